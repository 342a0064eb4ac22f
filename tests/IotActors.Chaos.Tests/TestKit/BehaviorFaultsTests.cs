using IotActors.Actors.Devices;
using IotActors.Platform.Messages;
using IotActors.TestKit.Faults;

namespace IotActors.Chaos.Tests.TestKit;

public sealed class BehaviorFaultsTests
{
    private static readonly DeviceId Device = new("a1Fault", "d");

    private static DeviceMessage Message(string id) => new(id, "/a1Fault/d/user/x", MessageKind.Custom, null, null, 0, ReadOnlyMemory<byte>.Empty);

    [Fact]
    public void A_chosen_message_fails_its_first_attempts_then_succeeds()
    {
        var faults = new BehaviorFaults { CrashAttempts = 2 };
        faults.CrashOn((_, m) => m.MessageId == "m1");

        Assert.Throws<InjectedFaultException>(() => faults.BeforeApply(Device, Message("m1")));
        Assert.Throws<InjectedFaultException>(() => faults.BeforeApply(Device, Message("m1")));
        faults.BeforeApply(Device, Message("m1"));
        faults.BeforeApply(Device, Message("m2"));
        Assert.Equal(2, faults.Injected);
    }

    [Fact]
    public void The_dice_are_rolled_once_per_message_so_a_redelivery_of_an_applied_message_is_not_crashed()
    {
        var faults = new BehaviorFaults(seed: 1) { CrashProbability = 0.5 };
        var crashed = new HashSet<string>();
        for (var i = 0; i < 100; i++)
        {
            try { faults.BeforeApply(Device, Message($"m{i}")); }
            catch (InjectedFaultException) { crashed.Add($"m{i}"); }
        }
        Assert.InRange(crashed.Count, 20, 80);
        faults.Heal();
        // Second attempts: the chosen ones had their one failing attempt, the others were never chosen.
        for (var i = 0; i < 100; i++) faults.BeforeApply(Device, Message($"m{i}"));
        Assert.Equal(crashed.Count, faults.Injected);
    }
}
