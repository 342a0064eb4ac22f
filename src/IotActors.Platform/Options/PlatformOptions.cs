using IotActors.Platform.Credentials;

namespace IotActors.Platform.Options;

/// <summary>
/// How to reach one consumer group of the platform. Bound from configuration section
/// <c>Platform</c> (environment: <c>IOTACTORS__PLATFORM__*</c>); validated once at startup by <see cref="PlatformOptionsValidator"/>.
/// </summary>
public sealed class PlatformOptions
{
    /// <summary>AMQP endpoint host, e.g. <c>iot-06z00example.amqp.iothub.aliyuncs.com</c>. <b>Required.</b></summary>
    public string Host { get; set; } = "";

    /// <summary>AMQP over TLS port. <b>Default:</b> 5671.</summary>
    public int Port { get; set; } = 5671;

    /// <summary>AccessKey ID (for STS: the STS credential's key ID). <b>Required.</b></summary>
    public string AccessKeyId { get; set; } = "";

    /// <summary>AccessKey secret. <b>Required.</b> Never logged.</summary>
    public string AccessKeySecret { get; set; } = "";

    /// <summary>STS token; required when <see cref="AuthMode"/> is <c>StsToken</c>. Never logged.</summary>
    public string? SecurityToken { get; set; }

    /// <summary><b>Default:</b> <c>AkSign</c>.</summary>
    public AuthMode AuthMode { get; set; } = AuthMode.AkSign;

    /// <summary><b>Default:</b> <c>HmacSha256</c>.</summary>
    public SignMethod SignMethod { get; set; } = SignMethod.HmacSha256;

    /// <summary>Consumer group ID from the console, e.g. <c>DEFAULT_GROUP</c>. <b>Required.</b></summary>
    public string ConsumerGroupId { get; set; } = "";

    /// <summary>Instance ID (<c>iot-…</c>); leave empty for old public instances that have none.</summary>
    public string? IotInstanceId { get; set; }

    /// <summary>
    /// One connection per client ID, 1–64 characters each, none of <c>| , =</c>, unique.
    /// Each connection carries up to 1,000 msg/s. <b>Required:</b> at least one.
    /// </summary>
    public List<string> ClientIds { get; set; } = [];

    /// <summary>
    /// The idle timeout the platform sees in our Open frame; it must be 30–300 s.
    /// AMQPNetLite advertises half of its own setting, so the adapter configures twice this
    /// value locally (and notices a silent peer after that long). <b>Default:</b> 60 s.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Link credit: the most un-acked deliveries per connection (1–10,000). <b>Default:</b> 100.</summary>
    public int LinkCredit { get; set; } = 100;

    /// <summary>
    /// Time allowed for TCP + TLS + SASL + Open + attach; the platform closes a connection without a
    /// receiver after 15 s anyway (1–15 s). <b>Default:</b> 15 s.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// PEM file with an extra root CA to trust (e.g. the emulator's certificate). Certificates are
    /// always validated; there is no setting that accepts any certificate. <b>Default:</b> none.
    /// </summary>
    public string? TrustedRootCa { get; set; }

    /// <summary>Builds the signed userName and password for one connection attempt.</summary>
    /// <remarks>Call once per attempt: the timestamp is fresh every time.</remarks>
    public SaslLogin CreateLogin(string clientId, TimeProvider? clock = null)
    {
        var timestamp = (clock ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds()
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        var token = AuthMode == AuthMode.StsToken ? SecurityToken : null;
        var userName = new UserName(clientId, AuthMode, SignMethod, timestamp, AccessKeyId, ConsumerGroupId,
            string.IsNullOrEmpty(IotInstanceId) ? null : IotInstanceId, token);
        var password = PasswordSignature.Compute(SignMethod, AccessKeySecret, AccessKeyId, timestamp, token);
        return new SaslLogin(userName, password);
    }

    /// <summary>Safe to log: secrets and tokens masked.</summary>
    public override string ToString() =>
        $"amqps://{Host}:{Port} group={ConsumerGroupId} instance={IotInstanceId ?? "(none)"} clients=[{string.Join(",", ClientIds)}] " +
        $"authMode={AuthMode.ToWire()} signMethod={SignMethod.ToWire()} accessKeyId={AccessKeyId} accessKeySecret=*** " +
        $"idleTimeout={IdleTimeout.TotalSeconds}s credit={LinkCredit}";
}
