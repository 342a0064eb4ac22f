using System.CommandLine;
using System.Runtime.InteropServices;
using IotActors.Host.Cli;

var root = IotActorsCommands.CreateRoot();

// Ctrl+C and SIGTERM (docker stop, systemd, kill) both ask every command to finish cleanly.
using var stop = new CancellationTokenSource();
void RequestStop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
