using System.Runtime.CompilerServices;

namespace IotActors.Chaos.Tests;

/// <summary>
/// A floor under the thread pool for this test process. Akka's dispatchers, the in-process emulator and TestKit's
/// blocking expectations (<c>ReceiveN</c>, <c>ExpectMsg</c> wait on a pool thread) all share the .NET pool; on a
/// 2-core CI machine it starts with 2 threads and adds about one per second while starved. Twice a suite stalled
/// for minutes (an expectation that should time out after 60 s returned after 3 min with nothing received), which is
/// what starvation looks like. The floor lets blocked waits and actors run side by side; it does not change what any
/// test asserts.
/// </summary>
internal static class ThreadPoolFloor
{
    [ModuleInitializer]
    internal static void Raise()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 32), Math.Max(io, 32));
    }
}
