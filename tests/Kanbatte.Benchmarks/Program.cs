using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Kanbatte.Benchmarks;
using Kanbatte.Testing.RoundTrips;

// One entry point for every benchmark (see docs/performance.md), plus the comparison servers it starts as child processes.
// Those are dispatched before anything else is referenced, so the empty app's start-up does not pay for loading the
// benchmark code (the JIT resolves the types a method references when it compiles it).
if (args is ["empty-server", ..]) { await EmptyApp.RunAsync(args[1..]); return 0; }
if (args is ["baseline-server", ..]) { await BaselineApp.RunAsync(args[1..]); return 0; }
if (args is ["push-baseline-server", ..]) { await PushBaselineApp.RunAsync(args[1..]); return 0; }
return await Cli.RunAsync(args);

internal static class Cli
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rest = args.Skip(1).ToArray();
        switch (args.Length > 0 ? args[0] : "all")
        {
            case "roundtrips":
                await PrintRoundTripsAsync();
                return 0;
            case "http":
                await HttpBenchmark.RunAsync(rest);
                return 0;
            case "rebuild":
                await RebuildBenchmark.RunAsync(rest);
                return 0;
            case "startup":
                await StartupBenchmark.RunAsync(rest);
                return 0;
            case "push":
                await PushBenchmark.RunAsync(rest);
                return 0;
            case "big":
                await BigProjectBenchmark.RunAsync(rest);
                return 0;
            case "big-cosmos":
                await CosmosBigProjectBenchmark.RunAsync(rest);
                return 0;
            case "micro":
                // In process: BenchmarkDotNet's generated project would sit under tests/ and inherit its build props.
                var job = BenchmarkDotNet.Jobs.Job.ShortRun.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance);
                BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(DomainBenchmarks).Assembly)
                    .Run(rest, BenchmarkDotNet.Configs.DefaultConfig.Instance.AddJob(job));
                return 0;
            case "all":
                Console.WriteLine(Machine.Describe());
                await PrintRoundTripsAsync();
                await StartupBenchmark.RunAsync([]);
                await HttpBenchmark.RunAsync(["8", "3"]); // the figures in docs/performance.md
                await RebuildBenchmark.RunAsync([]);
                await PushBenchmark.RunAsync(["15", "3"]);
                return 0;
            default:
                Console.Error.WriteLine("usage: Kanbatte.Benchmarks [all | roundtrips | http [seconds] [rounds] [--before=<Kanbatte.Server.dll>] | rebuild [events...] | startup [runs] | push [seconds] [rounds] | big [tasks] [events] | big-cosmos [minutes] | micro [BenchmarkDotNet args]]");
                return 2;
        }
    }

    private static async Task PrintRoundTripsAsync()
    {
        Console.WriteLine("SQLite store (port calls):");
        Console.WriteLine(RoundTripMeter.ToMarkdown(await RoundTripMeter.MeasureSqliteAsync()));
        Console.WriteLine();
        Console.WriteLine("Cosmos DB store on the Cosmos-protocol test server (port calls and the requests the SDK sent):");
        Console.WriteLine(RoundTripMeter.ToMarkdown(await RoundTripMeter.MeasureCosmosAsync()));
    }
}
