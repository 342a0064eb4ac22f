using Akka.Actor;
using IotActors.Actors.Persistence;
using IotActors.Bench.Reporting;
using IotActors.Bench.Scenarios;
using IotActors.Bench.Traffic;

namespace IotActors.Bench.Probes;

/// <summary>
/// Akka's floor beside the idle-device figure: the managed memory of an idle sharded actor that holds nothing, and of
/// an idle persistent one (<see cref="FloorEntities"/>), measured as <see cref="MemoryProbe"/> measures devices (heap
/// growth between a tenth of the actors and all of them) in a node started as the devices' node is. The persistent
/// floor is what one persistent actor per device costs before a device holds anything; the device's figure minus it is
/// ours. Cluster topology only: the floors are sharded entities.
/// </summary>
public static class FloorProbe
{
    public static async Task<FloorResult> RunAsync(int actors, bool verbose, TextWriter log)
    {
        var result = new FloorResult { Actors = actors };
        var node = await PipelineNode.StartAsync(new PipelineNodeOptions
        {
            Topology = Topology.Cluster,
            Persistence = new DevicePersistenceOptions { Provider = DevicePersistenceProvider.InMemory },
            Verbose = verbose,
        });
        try
        {
            var empty = await FloorEntities.StartRegionAsync(node.System, persistent: false, "floor-empty");
            var persistent = await FloorEntities.StartRegionAsync(node.System, persistent: true, "floor-persistent");
            var timeout = TimeSpan.FromSeconds(120 + actors / 2_000.0);
            result = result with
            {
                EmptyActorBytes = await BytesPerActor(node.System, empty, actors, timeout),
                PersistentActorBytes = await BytesPerActor(node.System, persistent, actors, timeout),
            };
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            log.WriteLine($"    floor probe ({actors} actors) failed: {e.Message}");
            result = result with { Error = e.Message };
        }
        finally
        {
            await node.DisposeAsync();
        }
        return result;
    }

    private static async Task<double> BytesPerActor(ActorSystem system, IActorRef region, int actors, TimeSpan timeout)
    {
        var first = Math.Max(1, actors / 10);
        await Touch(system, region, 0, first, timeout);
        var tenth = MemoryProbe.Heap();
        await Touch(system, region, first, actors, timeout);
        var all = MemoryProbe.Heap();
        return actors > first ? (all - tenth) / (double)(actors - first) : 0;
    }

    private static async Task Touch(ActorSystem system, IActorRef region, int from, int to, TimeSpan timeout)
    {
        // The devices' own IDs: the actor's name (the escaped entity ID) is part of what an actor costs.
        var done = await FanOut.RunAsync(system, region, to - from,
            i => new FloorTouch(MessageFactory.Device(from + i).ToString()),
            reply => reply is FloorTouched, timeout);
        if (done.FailedChecks > 0) throw new InvalidOperationException($"{done.FailedChecks} floor actors answered something else");
    }
}
