namespace IotActors.Platform.Errors;

/// <summary>
/// AMQP 1.0 error condition symbols (spec part 2.8.15 ff.), as strings so that neither the
/// classifier nor the emulator needs AMQPNetLite types to name them.
/// </summary>
public static class AmqpConditions
{
    public const string InternalError = "amqp:internal-error";
    public const string NotFound = "amqp:not-found";
    public const string UnauthorizedAccess = "amqp:unauthorized-access";
    public const string DecodeError = "amqp:decode-error";
    public const string ResourceLimitExceeded = "amqp:resource-limit-exceeded";
    public const string NotAllowed = "amqp:not-allowed";
    public const string InvalidField = "amqp:invalid-field";
    public const string NotImplemented = "amqp:not-implemented";
    public const string ResourceLocked = "amqp:resource-locked";
    public const string PreconditionFailed = "amqp:precondition-failed";
    public const string ResourceDeleted = "amqp:resource-deleted";
    public const string IllegalState = "amqp:illegal-state";
    public const string FrameSizeTooSmall = "amqp:frame-size-too-small";

    public const string ConnectionForced = "amqp:connection:forced";
    public const string ConnectionFramingError = "amqp:connection:framing-error";
    public const string ConnectionRedirect = "amqp:connection:redirect";

    public const string SessionWindowViolation = "amqp:session:window-violation";
    public const string SessionErrantLink = "amqp:session:errant-link";
    public const string SessionHandleInUse = "amqp:session:handle-in-use";
    public const string SessionUnattachedHandle = "amqp:session:unattached-handle";

    public const string LinkDetachForced = "amqp:link:detach-forced";
    public const string LinkTransferLimitExceeded = "amqp:link:transfer-limit-exceeded";
    public const string LinkMessageSizeExceeded = "amqp:link:message-size-exceeded";
    public const string LinkRedirect = "amqp:link:redirect";
    public const string LinkStolen = "amqp:link:stolen";
}
