namespace IotActors.Platform.Messages;

/// <summary>The <c>action</c> of device and topology lifecycle messages (spec §5.7, §5.8).</summary>
public enum LifecycleAction
{
    Create,
    Delete,
    Enable,
    Disable,
}

internal static class LifecycleActions
{
    public const string Allowed = "create, delete, enable, disable";

    public static LifecycleAction? Parse(string text) => text.ToLowerInvariant() switch
    {
        "create" => LifecycleAction.Create,
        "delete" => LifecycleAction.Delete,
        "enable" => LifecycleAction.Enable,
        "disable" => LifecycleAction.Disable,
        _ => null,
    };
}
