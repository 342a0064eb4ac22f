namespace IotActors.Host.Http;

/// <summary>Where the HTTP API listens. Bound from the <c>Http</c> configuration section.</summary>
public sealed class HttpOptions
{
    /// <summary>Bind address; keep it on loopback unless a proxy fronts it. <b>Default:</b> 127.0.0.1.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (printed at start). <b>Default:</b> 5080.</summary>
    public int Port { get; set; } = 5080;
}
