namespace IotActors.Platform.Messages;

/// <summary>
/// The family of a forwarding topic (spec §5). Forwarded topics carry no <c>/sys/</c> prefix;
/// <c>pk</c> is the productKey, <c>dn</c> the deviceName.
/// </summary>
public enum MessageKind
{
    /// <summary>Any other topic under <c>/pk/dn/…</c>: still routable to its device, payload unknown.</summary>
    Unknown,

    /// <summary><c>/as/mqtt/status/pk/dn</c> — device online/offline (§5.1).</summary>
    Status,

    /// <summary><c>/pk/dn/thing/event/property/post</c> — property report (§5.2).</summary>
    PropertyPost,

    /// <summary><c>/pk/dn/thing/event/{identifier}/post</c> — event report (§5.3).</summary>
    EventPost,

    /// <summary><c>/pk/dn/thing/property/batch/post</c> — batched property report (§5.4).</summary>
    PropertyBatchPost,

    /// <summary><c>/pk/dn/thing/event/batch/post</c> — batched event report (§5.4).</summary>
    EventBatchPost,

    /// <summary><c>/pk/dn/thing/event/property/history/post</c> — historical properties (§5.5).</summary>
    PropertyHistoryPost,

    /// <summary><c>/pk/dn/thing/event/{identifier}/history/post</c> — historical event (§5.5).</summary>
    EventHistoryPost,

    /// <summary><c>/pk/dn/thing/downlink/reply/message</c> — device replies to cloud requests (§5.6).</summary>
    DownlinkReply,

    /// <summary><c>/pk/dn/thing/lifecycle</c> — device created, deleted, enabled, disabled (§5.7).</summary>
    Lifecycle,

    /// <summary><c>/pk/dn/thing/topo/lifecycle</c> — gateway topology change (§5.8).</summary>
    TopoLifecycle,

    /// <summary><c>/pk/dn/thing/list/found</c> — gateway discovered sub-devices (§5.9).</summary>
    ListFound,

    /// <summary><c>/pk/dn/ota/upgrade</c> — OTA update result (§5.10).</summary>
    OtaUpgrade,

    /// <summary><c>/pk/dn/ota/progress/post</c> — OTA progress (§5.10).</summary>
    OtaProgress,

    /// <summary><c>/pk/dn/ota/version/post</c> — module version changed (§5.10).</summary>
    OtaVersion,

    /// <summary><c>/pk/{packageId}/{jobId}/ota/job/status</c> — OTA batch status; the only family without a device (§5.10).</summary>
    OtaJobStatus,

    /// <summary><c>/pk/dn/thing/deviceinfo/update</c> — device tags changed (§5.11).</summary>
    DeviceInfoUpdate,

    /// <summary><c>/pk/dn/user/{path}</c> — custom topic; body is whatever the device sent (may be binary).</summary>
    Custom,
}
