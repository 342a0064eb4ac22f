namespace IotActors.Platform.Messages;

/// <summary>A device as the platform names it: <c>productKey/deviceName</c>.</summary>
public readonly record struct DeviceId(string ProductKey, string DeviceName)
{
    public override string ToString() => ProductKey + "/" + DeviceName;

    /// <summary>Parses <c>productKey/deviceName</c> (device names may not contain '/').</summary>
    public static bool TryParse(string? text, out DeviceId id)
    {
        id = default;
        if (string.IsNullOrEmpty(text)) return false;
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0) return false;
        id = new DeviceId(text[..slash], text[(slash + 1)..]);
        return true;
    }
}
