using IotActors.Actors.Behaviors;
using IotActors.Actors.Devices;
using IotActors.Platform.Messages;
using IotActors.TestKit.Faults;

namespace IotActors.TestKit.Invariants;

/// <summary>
/// Wraps your behavior for a chaos test: runs it unchanged, records every applied messageId next to its state
/// (<see cref="Ledger{TState}"/>), and lets <see cref="BehaviorFaults"/> make it throw on chosen messages.
/// Register it where you would register your own: <c>akka.WithDeviceBehavior(() =&gt; new LedgerBehavior&lt;MyState&gt;(new MyBehavior(), faults))</c>.
/// </summary>
public sealed class LedgerBehavior<TState>(DeviceBehavior<TState> inner, BehaviorFaults? faults = null) : DeviceBehavior<Ledger<TState>>
    where TState : notnull
{
    public override Ledger<TState> CreateInitialState(DeviceId device) => new(inner.CreateInitialState(device), []);

    public override Ledger<TState> Apply(Ledger<TState> state, DeviceMessage message, IDeviceContext context)
    {
        faults?.BeforeApply(context.Device, message);
        var next = inner.Apply(state.State, message, context);
        return new Ledger<TState>(next, state.Applied.Add(message.MessageId));
    }
}
