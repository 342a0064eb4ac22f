using Amqp;
using Amqp.Framing;
using Amqp.Types;
using IotActors.Platform.Amqp;
using IotActors.Platform.Messages;

namespace IotActors.Platform.Tests.Amqp;

public class IotMessageReaderTests
{
    private static Message PlatformMessage(params (string Key, object Value)[] extra)
    {
        var properties = new ApplicationProperties();
        properties.Map["topic"] = "/a1Bc/dev01/thing/event/property/post";
        properties.Map["messageId"] = "1730000000000000001";
        properties.Map["generateTime"] = 1730000000000L;
        foreach (var (key, value) in extra) properties.Map[key] = value;
        return new Message { BodySection = new Data { Binary = "{}"u8.ToArray() }, ApplicationProperties = properties };
    }

    [Fact]
    public void A_message_with_only_the_platforms_properties_shares_the_empty_read_only_properties()
    {
        var message = IotMessageReader.Read(PlatformMessage(), out var failure);

        Assert.Null(failure);
        Assert.NotNull(message);
        Assert.Equal("1730000000000000001", message.MessageId);
        Assert.Equal(1730000000000L, message.GenerateTime);
        Assert.Empty(message.Properties);
        Assert.Same(IotMessage.NoProperties, message.Properties);
        // Shared by every such message: a cast must not let one consumer change another's.
        Assert.Throws<NotSupportedException>(() => ((IDictionary<string, object?>)message.Properties).Add("x", 1));
    }

    [Fact]
    public void Other_application_properties_are_kept_and_the_platforms_three_are_not_repeated()
    {
        var message = IotMessageReader.Read(PlatformMessage(("traceId", "t-1"), ("qos", 1)), out _);

        Assert.NotNull(message);
        Assert.Equal(new Dictionary<string, object?> { ["traceId"] = "t-1", ["qos"] = 1 }, message.Properties);
    }
}
