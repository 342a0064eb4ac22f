using Akka.Actor;
using IotActors.Actors.Devices;
using IotActors.Actors.Twin;
using IotActors.Platform.Messages;

namespace IotActors.Actors.Behaviors;

/// <summary>
/// A device behavior and its <see cref="DeviceOptions"/>, without its state type showing: what the
/// device region needs to create a device actor for any device.
/// </summary>
public sealed class DeviceBehaviorRegistration
{
    private readonly Func<DeviceId, DeviceOptions, Props> _deviceProps;

    private DeviceBehaviorRegistration(Type behaviorType, Type stateType, DeviceOptions options, Func<DeviceId, DeviceOptions, Props> deviceProps,
        Props entityProps)
    {
        BehaviorType = behaviorType;
        StateType = stateType;
        Options = options;
        _deviceProps = deviceProps;
        EntityProps = entityProps;
    }

    public Type BehaviorType { get; }

    public Type StateType { get; }

    /// <summary>Validated copy; changing the options passed in later has no effect.</summary>
    public DeviceOptions Options { get; }

    /// <summary>Props of the actor for <paramref name="device"/>, with a behavior instance of its own.</summary>
    public Props DeviceProps(DeviceId device) => _deviceProps(device, Options);

    /// <summary>
    /// One Props for every device actor of a region or router (<see cref="DeviceEntityProducer{TState}"/>): each actor
    /// learns its device from its name and gets a behavior instance of its own. What the region and the router create
    /// devices from: unlike <see cref="DeviceProps"/>, nothing of them is kept per resident device.
    /// </summary>
    internal Props EntityProps { get; }

    /// <summary>
    /// A behavior created by <paramref name="createBehavior"/>, called once per device actor incarnation.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static DeviceBehaviorRegistration For<TState>(Func<DeviceBehavior<TState>> createBehavior, DeviceOptions? options = null)
        where TState : notnull =>
        Create(typeof(DeviceBehavior<TState>), createBehavior, options);

    /// <summary>A behavior with a parameterless constructor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static DeviceBehaviorRegistration For<TBehavior, TState>(DeviceOptions? options = null)
        where TBehavior : DeviceBehavior<TState>, new()
        where TState : notnull =>
        Create(typeof(TBehavior), () => new TBehavior(), options);

    /// <summary>The built-in <see cref="DeviceTwinBehavior"/>: the default when no behavior is registered.</summary>
    public static DeviceBehaviorRegistration Twin(DeviceOptions? options = null) =>
        For<DeviceTwinBehavior, DeviceTwin>(options);

    /// <summary>The same registration whose device actors run in the mailbox configured at <paramref name="mailboxId"/>.</summary>
    internal DeviceBehaviorRegistration WithMailbox(string mailboxId) =>
        new(BehaviorType, StateType, Options, (device, options) => _deviceProps(device, options).WithMailbox(mailboxId), EntityProps.WithMailbox(mailboxId));

    private static DeviceBehaviorRegistration Create<TState>(Type behaviorType, Func<DeviceBehavior<TState>> createBehavior, DeviceOptions? options)
        where TState : notnull
    {
        ArgumentNullException.ThrowIfNull(createBehavior);
        var copy = (options ?? new DeviceOptions()).Copy();
        copy.Validate();
        return new DeviceBehaviorRegistration(behaviorType, typeof(TState), copy,
            (device, o) => DeviceActor<TState>.Props(device, createBehavior(), o),
            Props.CreateBy(new DeviceEntityProducer<TState>(createBehavior, copy)));
    }

    public override string ToString() => $"{BehaviorType.Name} ({StateType.Name})";
}
