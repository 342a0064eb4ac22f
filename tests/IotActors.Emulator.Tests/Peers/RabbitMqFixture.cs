namespace IotActors.Emulator.Tests.Peers;

/// <summary>
/// One RabbitMQ node (with an AMQPS listener) shared by a test class: <c>IClassFixture&lt;RabbitMqFixture&gt;</c>.
/// The node starts on the first <see cref="GetBrokerAsync"/>, after the peer check, so a machine
/// without RabbitMQ skips the tests (or fails them under <c>IOTACTORS_REQUIRE_PEERS=1</c>)
/// instead of failing the fixture.
/// </summary>
public sealed class RabbitMqFixture : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RabbitMqBroker? _broker;
    private ServerCertificateFiles? _certificate;

    /// <summary>The certificate behind <see cref="RabbitMqBroker.TlsPort"/>; clients trust <see cref="ServerCertificateFiles.CaPemPath"/>.</summary>
    public ServerCertificateFiles Certificate => _certificate ?? throw new InvalidOperationException("call GetBrokerAsync first");

    public async Task<RabbitMqBroker> GetBrokerAsync()
    {
        RealPeers.RequireRabbitMq();
        await _gate.WaitAsync();
        try
        {
            _certificate ??= ServerCertificateFiles.IssuedByPrivateCa();
            return _broker ??= await RabbitMqBroker.StartAsync(_certificate);
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
        _certificate?.Dispose();
        _gate.Dispose();
    }
}
