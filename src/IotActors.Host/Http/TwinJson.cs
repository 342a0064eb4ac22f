using System.Text.Json;
using System.Text.Json.Nodes;
using IotActors.Actors.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;

namespace IotActors.Host.Http;

/// <summary>The device twin as the HTTP API shows it (property and event values as the JSON the device sent).</summary>
internal static class TwinJson
{
    public static JsonObject From(DeviceStateReply reply)
    {
        var json = new JsonObject
        {
            ["productKey"] = reply.Device.ProductKey,
            ["deviceName"] = reply.Device.DeviceName,
        };
        if (reply.State is DeviceTwin twin)
        {
            json["status"] = twin.Status is null ? null : twin.Status.Status == DeviceStatus.Online ? "online" : "offline";
            json["statusTime"] = twin.Status?.Time.ToUnixTimeMilliseconds();
            json["lastSessionTime"] = twin.Status?.LastTime?.ToUnixTimeMilliseconds();
            var properties = new JsonObject();
            foreach (var (id, p) in twin.Properties) // in identifier order
                properties[id] = new JsonObject { ["value"] = JsonNode.Parse(p.ValueJson), ["time"] = p.Time };
            json["properties"] = properties;
            var events = new JsonObject();
            foreach (var (id, e) in twin.Events)
                events[id] = new JsonObject { ["type"] = e.Type, ["value"] = JsonNode.Parse(e.ValueJson), ["time"] = e.Time };
            json["events"] = events;
            json["lifecycle"] = twin.Lifecycle is null ? null : new JsonObject
            {
                ["action"] = twin.Lifecycle.Action.ToString().ToLowerInvariant(),
                ["time"] = twin.Lifecycle.Time,
            };
            json["malformedMessages"] = twin.MalformedMessages;
            json["ignoredMessages"] = twin.IgnoredMessages;
        }
        else
        {
            // A user behavior's state: shown as System.Text.Json renders it.
            json["state"] = JsonSerializer.SerializeToNode(reply.State, reply.State.GetType());
        }
        json["messagesApplied"] = reply.MessagesApplied;
        json["duplicatesDropped"] = reply.DuplicatesDropped;
        json["parked"] = reply.Parked;
        json["lastSeen"] = reply.LastSeen == 0 ? null : reply.LastSeen;
        return json;
    }
}
