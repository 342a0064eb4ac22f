using System.Net.Sockets;
using System.Security.Authentication;
using IotActors.Platform.Errors;

namespace IotActors.Platform.Tests.Errors;

public class CloseConditionClassifierTests
{
    [Theory]
    [InlineData("amqp:unauthorized-access", CloseClass.Authentication)]
    [InlineData("amqp:not-allowed", CloseClass.FatalConfig)]
    [InlineData("amqp:not-implemented", CloseClass.FatalConfig)]
    [InlineData("amqp:decode-error", CloseClass.FatalConfig)]
    [InlineData("amqp:invalid-field", CloseClass.FatalConfig)]
    [InlineData("amqp:connection:framing-error", CloseClass.FatalConfig)]
    [InlineData("amqp:frame-size-too-small", CloseClass.FatalConfig)]
    [InlineData("amqp:illegal-state", CloseClass.FatalConfig)]
    [InlineData("amqp:session:window-violation", CloseClass.FatalConfig)]
    [InlineData("amqp:session:errant-link", CloseClass.FatalConfig)]
    [InlineData("amqp:session:handle-in-use", CloseClass.FatalConfig)]
    [InlineData("amqp:session:unattached-handle", CloseClass.FatalConfig)]
    [InlineData("amqp:not-found", CloseClass.FatalConfig)]
    [InlineData("amqp:link:message-size-exceeded", CloseClass.FatalConfig)]
    [InlineData("amqp:resource-limit-exceeded", CloseClass.Transient)]
    [InlineData("amqp:connection:forced", CloseClass.Transient)]
    [InlineData("amqp:link:detach-forced", CloseClass.Transient)]
    [InlineData("amqp:internal-error", CloseClass.Transient)]
    [InlineData("amqp:resource-locked", CloseClass.Transient)]
    [InlineData("amqp:resource-deleted", CloseClass.Transient)]
    [InlineData("amqp:connection:redirect", CloseClass.Transient)]
    [InlineData("amqp:link:redirect", CloseClass.Transient)]
    [InlineData("amqp:link:stolen", CloseClass.Transient)]
    [InlineData("amqp:link:transfer-limit-exceeded", CloseClass.Transient)]
    [InlineData("com.example:something-new", CloseClass.Transient)]
    [InlineData("AMQP:NOT-ALLOWED", CloseClass.FatalConfig)]
    [InlineData(" amqp:invalid-field ", CloseClass.FatalConfig)]
    public void Condition_gives_class_with_reason_and_hint(string condition, CloseClass expected)
    {
        var verdict = CloseConditionClassifier.Classify(condition);

        Assert.Equal(expected, verdict.Class);
        Assert.Contains(condition.Trim(), verdict.Reason);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Hint));
    }

    [Fact]
    public void Sasl_auth_failure_as_reported_by_amqpnetlite_is_authentication()
    {
        var verdict = CloseConditionClassifier.Classify("amqp:unauthorized-access", "Sasl negotiation failed with code Auth.");

        Assert.Equal(CloseClass.Authentication, verdict.Class);
        Assert.Equal("amqp:unauthorized-access: Sasl negotiation failed with code Auth.", verdict.Reason);
        Assert.Contains("consumer group ID", verdict.Hint);
        Assert.Contains("iotInstanceId", verdict.Hint);
    }

    [Theory]
    [InlineData("Sasl negotiation failed with code SysTemp.", CloseClass.Transient)]
    [InlineData("Sasl negotiation failed with code Sys.", CloseClass.Transient)]
    [InlineData("Sasl negotiation failed with code SysPerm.", CloseClass.Authentication)]
    [InlineData("Sasl negotiation failed with code Auth.", CloseClass.Authentication)]
    public void Sasl_outcome_code_decides_between_credentials_and_platform_fault(string description, CloseClass expected)
    {
        Assert.Equal(expected, CloseConditionClassifier.Classify("amqp:unauthorized-access", description).Class);
    }

    [Fact]
    public void Sasl_failure_flag_without_details_is_authentication()
    {
        Assert.Equal(CloseClass.Authentication, CloseConditionClassifier.Classify(null, saslFailure: true).Class);
    }

    [Fact]
    public void Sasl_failure_flag_wins_over_a_transient_looking_condition()
    {
        var verdict = CloseConditionClassifier.Classify("amqp:connection:forced", "socket closed", saslFailure: true);

        Assert.Equal(CloseClass.Authentication, verdict.Class);
    }

    [Theory]
    [InlineData("Auth", CloseClass.Authentication)]
    [InlineData("SysTemp", CloseClass.Transient)]
    public void Sasl_condition_with_bare_outcome_code_is_classified_by_the_code(string description, CloseClass expected)
    {
        // Library builds without tracing report a SASL-specific condition and only the code name.
        Assert.Equal(expected, CloseConditionClassifier.Classify("example:sasl-failed", description).Class);
    }

    [Fact]
    public void No_condition_and_no_exception_is_transient_io_loss()
    {
        var verdict = CloseConditionClassifier.Classify(null);

        Assert.Equal(CloseClass.Transient, verdict.Class);
        Assert.Contains("without", verdict.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_condition_counts_as_none(string condition)
    {
        Assert.Equal(CloseClass.Transient, CloseConditionClassifier.Classify(condition).Class);
    }

    public static TheoryData<string, CloseClass> Exceptions => new()
    {
        { nameof(AuthenticationException), CloseClass.FatalConfig },
        { "IOException wrapping AuthenticationException", CloseClass.FatalConfig },
        { nameof(SocketException), CloseClass.Transient },
        { nameof(IOException), CloseClass.Transient },
        { nameof(TimeoutException), CloseClass.Transient },
        { nameof(OperationCanceledException), CloseClass.Transient },
        { nameof(ObjectDisposedException), CloseClass.Transient },
        { "AggregateException wrapping SocketException", CloseClass.Transient },
        { nameof(ArgumentException), CloseClass.FatalConfig },
        { nameof(InvalidOperationException), CloseClass.Transient },
    };

    private static Exception Make(string name) => name switch
    {
        nameof(AuthenticationException) => new AuthenticationException("The remote certificate is invalid according to the validation procedure."),
        "IOException wrapping AuthenticationException" => new IOException("handshake", new AuthenticationException("bad cert")),
        nameof(SocketException) => new SocketException((int)SocketError.ConnectionReset),
        nameof(IOException) => new IOException("Unable to read data from the transport connection"),
        nameof(TimeoutException) => new TimeoutException("connect timed out"),
        nameof(OperationCanceledException) => new OperationCanceledException(),
        nameof(ObjectDisposedException) => new ObjectDisposedException("TlsSocket"),
        "AggregateException wrapping SocketException" => new AggregateException(new SocketException((int)SocketError.TimedOut)),
        nameof(ArgumentException) => new ArgumentException("bad host"),
        nameof(InvalidOperationException) => new InvalidOperationException("unexpected"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Exception_without_condition_gives_class(string exception, CloseClass expected)
    {
        var verdict = CloseConditionClassifier.Classify(null, exception: Make(exception));

        Assert.Equal(expected, verdict.Class);
        Assert.False(string.IsNullOrWhiteSpace(verdict.Reason));
        Assert.False(string.IsNullOrWhiteSpace(verdict.Hint));
    }

    [Fact]
    public void Tls_failure_hints_at_host_and_trusted_root()
    {
        var verdict = CloseConditionClassifier.ClassifyException(new AuthenticationException("The remote certificate is invalid."));

        Assert.Equal(CloseClass.FatalConfig, verdict.Class);
        Assert.Contains("TrustedRootCa", verdict.Hint);
    }

    [Theory]
    [InlineData(SocketError.HostNotFound, "Platform:Host")]
    [InlineData(SocketError.ConnectionRefused, "Platform:Port")]
    public void Socket_errors_are_transient_with_a_specific_hint(SocketError error, string hint)
    {
        var verdict = CloseConditionClassifier.ClassifyException(new SocketException((int)error));

        Assert.Equal(CloseClass.Transient, verdict.Class);
        Assert.Contains(hint, verdict.Hint);
    }

    [Fact]
    public void Condition_wins_over_the_exception()
    {
        var verdict = CloseConditionClassifier.Classify("amqp:not-allowed", exception: new IOException("closed"));

        Assert.Equal(CloseClass.FatalConfig, verdict.Class);
    }

    [Fact]
    public void Peer_description_is_one_bounded_line_in_the_reason()
    {
        var description = "line one\r\nline two\u001b[31m" + new string('x', 5_000);

        var verdict = CloseConditionClassifier.Classify("amqp:internal-error", description);

        Assert.DoesNotContain('\n', verdict.Reason);
        Assert.DoesNotContain('\u001b', verdict.Reason);
        Assert.True(verdict.Reason.Length < 300, verdict.Reason.Length.ToString());
        Assert.StartsWith("amqp:internal-error: line one", verdict.Reason);
    }
}
