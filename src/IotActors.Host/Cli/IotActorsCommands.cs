using System.CommandLine;

namespace IotActors.Host.Cli;

/// <summary>The <c>iot-actors</c> command line: run, emulate, check, verify.</summary>
public static class IotActorsCommands
{
    public static RootCommand CreateRoot() => new("iot-actors: consume Alibaba Cloud IoT Platform subscriptions (AMQP 1.0) with Akka.NET actors.")
    {
        RunCommand.Create(),
        EmulateCommand.Create(),
        CheckCommand.Create(),
        VerifyCommand.Create(),
    };
}
