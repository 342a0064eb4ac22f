namespace IotActors.Platform.Messages;

/// <summary>What a forwarding topic says about a message: its family and whom it concerns.</summary>
/// <param name="Kind">The topic family.</param>
/// <param name="ProductKey">Always present, also for <see cref="MessageKind.OtaJobStatus"/>.</param>
/// <param name="Device">The device; null only for <see cref="MessageKind.OtaJobStatus"/>, whose topic names no device.</param>
/// <param name="Identifier">TSL event identifier for <see cref="MessageKind.EventPost"/> and <see cref="MessageKind.EventHistoryPost"/>.</param>
/// <param name="CustomPath">For <see cref="MessageKind.Custom"/>: everything after <c>/user/</c>, slashes included.</param>
/// <param name="PackageId">OTA package ID, for <see cref="MessageKind.OtaJobStatus"/>.</param>
/// <param name="JobId">OTA job ID, for <see cref="MessageKind.OtaJobStatus"/>.</param>
public sealed record ParsedTopic(
    MessageKind Kind,
    string ProductKey,
    DeviceId? Device,
    string? Identifier = null,
    string? CustomPath = null,
    string? PackageId = null,
    string? JobId = null);
