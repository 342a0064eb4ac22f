using System.Text.Json;
using IotActors.Bench.Traffic;
using IotActors.Platform.Messages;

namespace IotActors.Bench.Tests;

public sealed class MessageFactoryTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(2_048)]
    [InlineData(4_000)]
    public void Bodies_have_exactly_the_requested_size_and_are_property_posts_the_twin_reads(int bytes)
    {
        var factory = new MessageFactory();
        var shape = BodyShape.For(bytes);

        for (var i = 0; i < 50; i++)
        {
            var message = factory.Next(1_000, shape);
            Assert.Equal(bytes, message.Body.Length);
            var post = PayloadReader.ReadPropertyPost(message.Body);
            Assert.True(post.IsSuccess, post.Reason);
            Assert.Equal(TopicParser.Parse(message.Topic).Topic!.Device, post.Value!.Device);
        }
    }

    [Fact]
    public void Message_ids_are_unique_and_device_times_only_grow()
    {
        var factory = new MessageFactory();
        var shape = BodyShape.For(200);

        var messages = Enumerable.Range(0, 1_000).Select(_ => factory.Next(10, shape)).ToList();

        Assert.Equal(messages.Count, messages.Select(m => m.MessageId).Distinct().Count());
        Assert.True(messages.Zip(messages.Skip(1)).All(p => p.Item2.GenerateTime > p.Item1.GenerateTime));
        Assert.All(messages, m => JsonDocument.Parse(m.Body));
    }

    [Fact]
    public void A_message_for_a_given_device_is_addressed_to_it_and_keeps_the_run_s_identities_unique()
    {
        var factory = new MessageFactory();
        var shape = BodyShape.For(200);

        var drawn = factory.Next(10, shape);
        var messages = new[] { 0, 41, 999_999 }.Select(i => (Index: i, Message: factory.For(i, shape))).ToList();

        foreach (var (index, message) in messages)
        {
            var device = TopicParser.Parse(message.Topic).Topic!.Device;
            Assert.Equal(MessageFactory.Device(index), device);
            Assert.Equal(device, PayloadReader.ReadPropertyPost(message.Body).Value!.Device);
        }
        Assert.Equal(4, messages.Select(m => m.Message.MessageId).Append(drawn.MessageId).Distinct().Count());
        Assert.True(messages[0].Message.GenerateTime > drawn.GenerateTime);
    }

    [Fact]
    public void A_body_smaller_than_a_property_post_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BodyShape.For(100));
    }
}
