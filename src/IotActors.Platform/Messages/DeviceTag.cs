namespace IotActors.Platform.Messages;

/// <summary>One device tag, <c>{"attrKey":…,"attrValue":…}</c> (spec §5.11).</summary>
/// <param name="Key">The tag key.</param>
/// <param name="Value">The tag value; null when the tag was cleared or sent without a value.</param>
public sealed record DeviceTag(string Key, string? Value);
