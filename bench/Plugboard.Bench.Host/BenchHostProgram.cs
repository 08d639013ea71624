using Plugboard.Server;

namespace Plugboard.Bench.Host;

/// Plugboard.Server with the bench's measuring routes: run by the bench (`engine`), never deployed.
internal static class BenchHostProgram
{
    public static Task<int> Main(string[] args) => PlugboardApp.RunAsync(args, app => app.MapBenchRoutes());
}
