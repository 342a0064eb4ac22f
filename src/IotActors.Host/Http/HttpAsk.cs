using System.Globalization;
using Akka.Actor;
using Microsoft.AspNetCore.Http;

namespace IotActors.Host.Http;

/// <summary>
/// An Ask made on behalf of an HTTP request. The actor is looked up in Akka.Hosting's registry (empty until
/// the actor system has started it) and must answer within <see cref="Timeout"/>, lookup included; if it does
/// not, the request gets 503 with a JSON reason naming who did not answer.
/// </summary>
/// <remarks>
/// Without this an <see cref="AskTimeoutException"/> escapes the endpoint and ASP.NET Core answers an empty 500,
/// which is what clients saw while a node started under load. A request the client abandons is not an unanswered
/// Ask: its cancellation propagates as usual.
/// </remarks>
public sealed class HttpAsk(TimeSpan timeout)
{
    /// <summary>How long the lookup and the Ask together may take.</summary>
    public TimeSpan Timeout { get; } = timeout > TimeSpan.Zero ? timeout : throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "must be positive");

    /// <summary>The reason given when <paramref name="who"/> did not answer in time.</summary>
    public string NoAnswer(string who) =>
        $"{who} did not answer within {Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; the node may be starting";

    /// <summary>The actor's reply, or null when it (or its registration) did not come within <see cref="Timeout"/>.</summary>
    /// <param name="actor">Finds the actor, e.g. <c>IRequiredActor&lt;T&gt;.GetAsync</c>; it must honour the token.</param>
    /// <param name="message">What to ask.</param>
    /// <param name="requestAborted">The request's token: when it is cancelled, <see cref="OperationCanceledException"/> propagates.</param>
    public async Task<TReply?> TryAskAsync<TReply>(Func<CancellationToken, Task<IActorRef>> actor, object message, CancellationToken requestAborted)
        where TReply : class
    {
        ArgumentNullException.ThrowIfNull(actor);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        deadline.CancelAfter(Timeout);
        try
        {
            var target = await actor(deadline.Token).ConfigureAwait(false);
            return await target.Ask<TReply>(message, Timeout, deadline.Token).ConfigureAwait(false);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
        catch (OperationCanceledException) when (!requestAborted.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="answer"/> applied to the actor's reply, or 503 <c>{"error": "… did not answer within … s; …"}</c>
    /// when <paramref name="who"/> did not answer in time.
    /// </summary>
    public async Task<IResult> AskAsync<TReply>(Func<CancellationToken, Task<IActorRef>> actor, object message, string who, Func<TReply, IResult> answer, CancellationToken requestAborted)
        where TReply : class
    {
        ArgumentNullException.ThrowIfNull(answer);
        var reply = await TryAskAsync<TReply>(actor, message, requestAborted).ConfigureAwait(false);
        return reply is null
            ? Results.Json(new { error = NoAnswer(who) }, statusCode: StatusCodes.Status503ServiceUnavailable)
            : answer(reply);
    }
}
