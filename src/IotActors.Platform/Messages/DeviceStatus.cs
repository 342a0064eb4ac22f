namespace IotActors.Platform.Messages;

/// <summary>The <c>status</c> of a device online/offline message (spec §5.1).</summary>
public enum DeviceStatus
{
    Online,
    Offline,
}
