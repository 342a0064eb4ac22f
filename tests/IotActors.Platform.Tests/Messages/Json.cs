using System.Text;

namespace IotActors.Platform.Tests.Messages;

/// <summary>Test bodies as the platform sends them: UTF-8 bytes.</summary>
internal static class Json
{
    public static ReadOnlyMemory<byte> Body(string json) => Encoding.UTF8.GetBytes(json);
}
