using System.Text.Json;
using Akka.Hosting;
using IotActors.Host.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace IotActors.Host.Tests.Http;

/// <summary>An Ask on behalf of an HTTP request: an actor that does not answer gives 503 with a JSON reason, never an empty 500.</summary>
public class HttpAskTests : Akka.TestKit.Xunit2.TestKit
{
    private sealed class Region;

    private sealed class NeverRegistered;

    private sealed record State(int Messages);

    private static async Task<(int Status, string? ContentType, JsonElement Body)> ExecuteAsync(IResult result)
    {
        await using var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Response.Body = body;
        await result.ExecuteAsync(context);
        using var json = JsonDocument.Parse(body.ToArray());
        return (context.Response.StatusCode, context.Response.ContentType, json.RootElement.Clone());
    }

    private static IResult Twin(State state) => Results.Json(new { messages = state.Messages });

    [Fact]
    public async Task An_actor_that_never_answers_gets_503_with_a_json_reason()
    {
        var region = CreateTestProbe();
        var registry = ActorRegistry.For(Sys);
        registry.Register<Region>(region.Ref);
        var ask = new HttpAsk(TimeSpan.FromMilliseconds(300));

        var result = await ask.AskAsync<State>(registry.GetAsync<Region>, "state?", "the device region", Twin, CancellationToken.None);

        region.ExpectMsg("state?"); // it was asked, and never answered
        var (status, contentType, body) = await ExecuteAsync(result);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.StartsWith("application/json", contentType, StringComparison.Ordinal);
        Assert.Equal("the device region did not answer within 0.3 s; the node may be starting", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_actor_not_registered_yet_gets_503_within_the_timeout()
    {
        // While the node starts, Akka.Hosting's registry is empty and its GetAsync waits for as long as it is allowed to.
        var ask = new HttpAsk(TimeSpan.FromMilliseconds(300));

        var result = await ask.AskAsync<State>(ActorRegistry.For(Sys).GetAsync<NeverRegistered>, "state?", "the consumer", Twin, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));

        var (status, _, body) = await ExecuteAsync(result);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, status);
        Assert.Equal("the consumer did not answer within 0.3 s; the node may be starting", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_reply_in_time_is_answered_by_the_caller()
    {
        var region = CreateTestProbe();
        var ask = new HttpAsk(TimeSpan.FromSeconds(30));

        var asking = ask.AskAsync<State>(_ => Task.FromResult(region.Ref), "state?", "the device region", Twin, CancellationToken.None);
        region.ExpectMsg("state?");
        region.Reply(new State(7));

        var (status, _, body) = await ExecuteAsync(await asking.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal(7, body.GetProperty("messages").GetInt32());
    }

    [Fact]
    public async Task A_request_the_client_abandons_is_cancelled_not_answered()
    {
        var region = CreateTestProbe();
        var ask = new HttpAsk(TimeSpan.FromSeconds(30));
        using var aborted = new CancellationTokenSource();

        var asking = ask.TryAskAsync<State>(_ => Task.FromResult(region.Ref), "state?", aborted.Token);
        region.ExpectMsg("state?");
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => asking.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_reason_names_who_and_the_timeout_in_seconds() =>
        Assert.Equal("the device region did not answer within 5 s; the node may be starting", new HttpAsk(TimeSpan.FromSeconds(5)).NoAnswer("the device region"));
}
