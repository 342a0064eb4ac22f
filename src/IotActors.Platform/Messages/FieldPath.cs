namespace IotActors.Platform.Messages;

/// <summary>
/// Where a nested object sits in a payload (<c>items.Temperature</c>, <c>payload.Temperature[2]</c>,
/// <c>devices[0]</c>), put into text only when a failure reason names it: a 2 KB property post has ~45 items,
/// and building each item's path up front cost two strings per item on every message.
/// </summary>
/// <param name="parent">Text before the member, e.g. <c>items.</c>; null for the payload's root object.</param>
/// <param name="member">The member's name, or null when the path ends in an index.</param>
/// <param name="index">Array index, or -1 for none.</param>
internal readonly struct FieldPath(string? parent, string? member = null, int index = -1)
{
    /// <summary>The payload's root object: its fields are named without a prefix.</summary>
    public bool IsRoot => parent is null;

    /// <summary>The path followed by a dot, as a prefix for the names of this object's fields; empty for the root.</summary>
    public string FieldPrefix() => IsRoot ? "" : ToString() + ".";

    public override string ToString() => index < 0 ? parent + member : $"{parent}{member}[{index}]";
}
