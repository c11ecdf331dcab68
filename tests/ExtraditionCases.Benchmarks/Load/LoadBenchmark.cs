using System.Globalization;
using ExtraditionCases.Benchmarks.Hosting;

namespace ExtraditionCases.Benchmarks.Load;

internal sealed record LoadSettings(
    int Repetitions, TimeSpan Warmup, TimeSpan Saturation, TimeSpan Duration, int Concurrency, TimeSpan Pause,
    int ReadCases, int PoolSize, int HistoryEvents, IReadOnlySet<string>? Only, string? Gc = null, TimeSpan? CheckpointInterval = null,
    double? StallRate = null, TimeSpan? StallThreshold = null, string Generator = "raw")
{
    public static LoadSettings From(Cli cli)
    {
        var quick = cli.Flag("quick");
        var only = cli.Text("scenarios") is { } list ? new HashSet<string>(list.Split(','), StringComparer.Ordinal) : null;
        return new LoadSettings(
            Repetitions: cli.Int("reps", quick ? 1 : 3),
            Warmup: TimeSpan.FromSeconds(cli.Double("warmup", 3)),
            Saturation: TimeSpan.FromSeconds(cli.Double("saturation", quick ? 3 : 4)),
            Duration: TimeSpan.FromSeconds(cli.Double("duration", quick ? 4 : 6)),
            Concurrency: cli.Int("concurrency", 16),
            Pause: TimeSpan.FromSeconds(cli.Double("pause", 1)),
            ReadCases: cli.Int("read-cases", 100),
            PoolSize: cli.Int("pool", 256),
            HistoryEvents: cli.Int("history-events", 1000),
            Only: only,
            Gc: cli.Text("gc"),
            CheckpointInterval: cli.Flag("publisher") ? TimeSpan.FromSeconds(cli.Double("checkpoint-interval", 60)) : null,
            // --stalls half: 0, each system at half its own saturation.
            StallRate: cli.Text("stalls") switch { null => null, "half" => 0, _ => cli.Double("stalls", 0) },
            StallThreshold: TimeSpan.FromMilliseconds(cli.Double("stall-ms", 20)),
            Generator: cli.Text("generator") ?? "raw");
    }
}

/// <summary>Medians over the repetitions of one system at one load (errors are summed).</summary>
internal sealed record OpenLoopSummary(double Rate, double P50, double P90, double P99, double P999, long Completed, long Errors, double LagP99);

/// <param name="AtSameRate">At half the slower system's saturation, the same rate for both: where one system is much faster,
/// its "half saturation" is a much higher rate, so the latency at each one's own fraction compares unlike loads.</param>
internal sealed record SystemResult(double Saturation, IReadOnlyList<ClosedLoopResult> SaturationRuns, OpenLoopSummary At50, OpenLoopSummary At90, OpenLoopSummary AtSameRate);

/// <summary><paramref name="ForeignCores"/>: CPU other processes used during each measured run of the scenario.</summary>
internal sealed record ScenarioResult(string Name, string Title, SystemResult Ours, SystemResult Baseline, IReadOnlyList<double> ForeignCores);

/// <summary>One saturation run of ours in the status pair phase, with the service's own CPU per request.</summary>
internal sealed record PairRun(double Throughput, double ServerCpuPerRequest, double GeneratorCpuPerRequest);

/// <summary>
/// Ours' status 304 against ours' status 200, run back to back in each repetition (200 then 304, then 304 then 200 on
/// the next): the target "304 over our 200" compares two scenarios of one system, and their scenario phases lie a
/// minute or more apart, over which this machine's CPU per request drifts by 20-30%.
/// </summary>
internal sealed record StatusPair(IReadOnlyList<(PairRun Status200, PairRun Status304)> Repetitions)
{
    public IEnumerable<double> Ratios => Repetitions.Select(r => r.Status304.Throughput / r.Status200.Throughput);
}

internal sealed record LoadResults(IReadOnlyList<ScenarioResult> Scenarios, StatusPair? Pair);

/// <summary>
/// A and B alternate inside every scenario: each repetition runs ours then the baseline, or the
/// baseline then ours on odd repetitions, so drift (caches, WAL growth, the other work on the
/// machine) falls on both.
/// </summary>
internal static class LoadBenchmark
{
    public static async Task<LoadResults> RunAsync(LoadSettings settings, BenchTokens tokens, string folder, string serviceDll)
    {
        var database = Path.Combine(folder, "load.db");
        var environment = new Dictionary<string, string>(tokens.Environment(), StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Cases"] = $"Data Source={database}",
            ["Database__Provider"] = "Sqlite",
            // Production settings default to SQL Server without migrating; this run is one SQLite instance.
            ["Database__MigrateOnStartup"] = "true",
            ["RateLimiting__Enabled"] = "false",
        };
        // --gc workstation|server|server-no-datas: the same garbage collector for both systems (default: the Web SDK's, Server GC with DATAS).
        switch (settings.Gc)
        {
            case null: break;
            case "workstation": environment["DOTNET_gcServer"] = "0"; break;
            case "server": environment["DOTNET_gcServer"] = "1"; break;
            case "server-no-datas": environment["DOTNET_gcServer"] = "1"; environment["DOTNET_GCDynamicAdaptationMode"] = "0"; break;
            default: throw new ArgumentException("--gc is workstation, server or server-no-datas.");
        }

        if (settings.Gc is not null) Console.WriteLine($"Garbage collector: {settings.Gc} (both systems)");

        // --publisher: both systems run the checkpoint publisher (the service's own class in the baseline) with one signing key.
        if (settings.CheckpointInterval is { } interval)
        {
            environment["Transparency__SigningKey"] = ExtraditionCases.Infrastructure.Transparency.TransparencyKeys.Generate("bench-log").PrivateKey;
            environment["Transparency__CheckpointInterval"] = interval.ToString("c", CultureInfo.InvariantCulture);
            Console.WriteLine(Invariant($"Checkpoint publisher: running in both systems, a round every {interval.TotalSeconds:0} s"));
        }

        Console.WriteLine($"Database: {database}");
        await using var service = await ChildProcess.StartAsync("service", serviceDll, [], environment, "/health/ready");
        Console.WriteLine($"Service (ours) pid {service.Pid} at {service.BaseAddress}");
        using var oursClient = Requests.Client(service.BaseAddress);

        var prepared = System.Diagnostics.Stopwatch.StartNew();
        var fixture = await Fixture.PrepareAsync(oursClient, tokens, settings.ReadCases, settings.PoolSize, settings.HistoryEvents);
        Console.WriteLine($"Fixture: {settings.ReadCases} read cases, 2 x {settings.PoolSize} pool cases, a {settings.HistoryEvents}-event case, " +
                          $"{fixture.FeedCursors.Count} feed pages; {prepared.Elapsed.TotalSeconds:0.0} s");

        // The baseline starts after the service migrated the file; it is this program again, as a child.
        // --publisher: each system integrates and signs only its own leaves, so each gets its own copy of the prepared file.
        var baselineEnvironment = environment;
        if (settings.CheckpointInterval is not null)
        {
            var copy = Path.Combine(folder, "load-baseline.db");
            CopyDatabase(database, copy);
            baselineEnvironment = new Dictionary<string, string>(environment, StringComparer.Ordinal) { ["ConnectionStrings__Cases"] = $"Data Source={copy}" };
            Console.WriteLine($"Baseline database (a copy, for its own publisher): {copy}");
        }

        await using var baseline = await ChildProcess.StartAsync("baseline", Paths.SelfDll, ["baseline"], baselineEnvironment, "/health");
        Console.WriteLine($"Baseline pid {baseline.Pid} at {baseline.BaseAddress}");
        // The measured requests go through the generator's client (--generator); the fixture above used HttpClient.
        using var oursLoad = LoadClient.For(settings.Generator, service.BaseAddress);
        using var baselineLoad = LoadClient.For(settings.Generator, baseline.BaseAddress);
        Console.WriteLine($"Load generator: {oursLoad.Name}");

        var monitor = new CpuMonitor(Environment.ProcessId, service.Pid, baseline.Pid);
        // A run during which other processes took more than 0.4 cores is repeated (twice at most, and 12
        // times in all, so a machine that never calms down cannot stretch the benchmark without end); the
        // least disturbed attempt counts.
        var repeatsLeft = 12;
        async Task<(T Result, double Foreign)> Measured<T>(Func<Task<T>> run)
        {
            (T Result, double Foreign)? best = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                await monitor.WaitForQuietAsync(0.25, TimeSpan.FromSeconds(10));
                var before = monitor.Take();
                var result = await run();
                var other = CpuMonitor.ForeignCores(before, monitor.Take());
                if (best is null || other < best.Value.Foreign) best = (result, other);
                if (double.IsNaN(other) || other <= 0.4 || repeatsLeft-- <= 0) break;
                Console.WriteLine(Invariant($"    (other processes used {other:0.00} cores during that run: repeating it)"));
                Errors.Drain();
                await Task.Delay(settings.Pause);
            }

            return best!.Value;
        }

        // One measured saturation run of a system: its throughput, its CPU and the generator's per request, and its
        // scheduling line (user and system CPU, context switches, threads).
        async Task<(ClosedLoopResult Run, double Cpu, double GeneratorCpu, string Schedule, double Foreign)> SaturationAsync(Operation operation, int pid)
        {
            var ((run, ticks, generatorTicks, schedule), other) = await Measured(async () =>
            {
                var (before, generatorBefore, scheduleBefore) = (CpuMonitor.ProcessTicks(pid), CpuMonitor.ProcessTicks(Environment.ProcessId), CpuMonitor.ScheduleOf(pid));
                var result = await LoadRunner.ClosedLoopAsync(operation, settings.Concurrency, settings.Saturation);
                return (result, CpuMonitor.ProcessTicks(pid) - before, CpuMonitor.ProcessTicks(Environment.ProcessId) - generatorBefore,
                    CpuMonitor.ScheduleOf(pid).PerRequestSince(scheduleBefore, result.Completed));
            });
            // CPU per request in ticks of 10 ms: steadier than req/s on a shared machine, a direction for levers.
            return (run, run.Completed > 0 ? ticks * 10_000.0 / run.Completed : double.NaN,
                run.Completed > 0 ? generatorTicks * 10_000.0 / run.Completed : double.NaN, schedule, other);
        }

        var results = new List<ScenarioResult>();
        var oursOperations = new Dictionary<string, Operation>(StringComparer.Ordinal);
        foreach (var scenario in fixture.Scenarios(tokens))
        {
            if (settings.Only is not null && !settings.Only.Contains(scenario.Name)) continue;
            Console.WriteLine($"\n== {scenario.Title}");
            var operations = new Dictionary<SystemKind, Operation>
            {
                [SystemKind.Ours] = scenario.For(SystemKind.Ours, oursLoad),
                [SystemKind.Baseline] = scenario.For(SystemKind.Baseline, baselineLoad),
            };
            oursOperations[scenario.Name] = operations[SystemKind.Ours];

            if (settings.StallRate is { } stallRate)
            {
                await WatchStallsAsync(settings, stallRate, operations, monitor, new() { [SystemKind.Ours] = service.Pid, [SystemKind.Baseline] = baseline.Pid });
                continue;
            }

            var foreign = new List<double>();
            var saturation = new Dictionary<SystemKind, List<ClosedLoopResult>> { [SystemKind.Ours] = [], [SystemKind.Baseline] = [] };
            foreach (var system in Alternating(settings.Repetitions))
            {
                if (saturation[system].Count == 0)
                {
                    // The first scenario also warms the processes up (JIT tiers, pools, heaps): three times longer.
                    await LoadRunner.ClosedLoopAsync(operations[system], settings.Concurrency, results.Count == 0 ? settings.Warmup * 3 : settings.Warmup);
                    Errors.Drain();
                }

                var (run, cpuPerRequest, generatorPerRequest, schedule, other) = await SaturationAsync(operations[system], system == SystemKind.Ours ? service.Pid : baseline.Pid);
                saturation[system].Add(run);
                foreign.Add(other);
                Console.WriteLine(Invariant($"  saturation {Label(system),-8} {run.Throughput,9:0.0} req/s  ({run.Completed} ok, {run.Errors} errors; other load {other:0.00} cores; its CPU {cpuPerRequest:0.0} µs/req, the generator's {generatorPerRequest:0.0})"));
                Console.WriteLine($"    {schedule}");
                if (run.Errors > 0) Console.WriteLine($"    errors: {Errors.Drain()}");
                await Task.Delay(settings.Pause);
            }

            var peak = saturation.ToDictionary(p => p.Key, p => Median(p.Value.Select(r => r.Throughput)));
            var open = new Dictionary<(SystemKind, double), List<OpenLoopResult>>();
            foreach (var fraction in new[] { 0.5, 0.9 })
            {
                foreach (var system in Alternating(settings.Repetitions))
                {
                    var rate = Math.Max(1, peak[system] * fraction);
                    var (run, other) = await Measured(() => LoadRunner.OpenLoopAsync(operations[system], rate, settings.Duration));
                    foreign.Add(other);
                    if (!open.TryGetValue((system, fraction), out var runs)) open[(system, fraction)] = runs = [];
                    runs.Add(run);
                    Console.WriteLine(Invariant(
                        $"  {fraction:P0} {Label(system),-8} {rate,8:0.0}/s  p50 {run.P50,7:0.00}  p90 {run.P90,7:0.00}  p99 {run.P99,7:0.00}  p99.9 {run.P999,7:0.00} ms  errors {run.Errors}  (lag p99 {run.LagP99:0.00} ms, other load {other:0.00})"));
                    if (run.Errors > 0) Console.WriteLine($"    errors: {Errors.Drain()}");
                    await Task.Delay(settings.Pause);
                }
            }

            // Both at one rate, half the slower one's saturation (key fraction 0 below).
            var sameRate = Math.Max(1, Math.Min(peak[SystemKind.Ours], peak[SystemKind.Baseline]) * 0.5);
            foreach (var system in Alternating(settings.Repetitions))
            {
                var (run, other) = await Measured(() => LoadRunner.OpenLoopAsync(operations[system], sameRate, settings.Duration));
                foreign.Add(other);
                if (!open.TryGetValue((system, 0), out var runs)) open[(system, 0)] = runs = [];
                runs.Add(run);
                Console.WriteLine(Invariant(
                    $"  same rate {Label(system),-8} {sameRate,8:0.0}/s  p50 {run.P50,7:0.00}  p90 {run.P90,7:0.00}  p99 {run.P99,7:0.00}  p99.9 {run.P999,7:0.00} ms  errors {run.Errors}  (lag p99 {run.LagP99:0.00} ms, other load {other:0.00})"));
                if (run.Errors > 0) Console.WriteLine($"    errors: {Errors.Drain()}");
                await Task.Delay(settings.Pause);
            }

            SystemResult Result(SystemKind system) => new(
                peak[system], saturation[system], Summarise(open[(system, 0.5)]), Summarise(open[(system, 0.9)]), Summarise(open[(system, 0)]));
            results.Add(new ScenarioResult(scenario.Name, scenario.Title, Result(SystemKind.Ours), Result(SystemKind.Baseline), foreign));
        }

        StatusPair? pair = null;
        if (settings.StallRate is null && oursOperations.TryGetValue("status-200", out var status200) && oursOperations.TryGetValue("status-304", out var status304))
        {
            Console.WriteLine("\n== Status 304 over our 200, back to back (ours only)");
            var repetitions = new List<(PairRun, PairRun)>();
            for (var i = 0; i < settings.Repetitions; i++)
            {
                var runs = new Dictionary<string, PairRun>(StringComparer.Ordinal);
                foreach (var name in i % 2 == 0 ? new[] { "status-200", "status-304" } : ["status-304", "status-200"])
                {
                    var operation = name == "status-200" ? status200 : status304;
                    await LoadRunner.ClosedLoopAsync(operation, settings.Concurrency, settings.Warmup);
                    Errors.Drain();
                    var (run, cpu, generatorCpu, schedule, other) = await SaturationAsync(operation, service.Pid);
                    runs[name] = new PairRun(run.Errors > 0 ? double.NaN : run.Throughput, cpu, generatorCpu);
                    Console.WriteLine(Invariant($"  {name} ours {run.Throughput,9:0.0} req/s  ({run.Completed} ok, {run.Errors} errors; other load {other:0.00} cores; its CPU {cpu:0.0} µs/req, the generator's {generatorCpu:0.0})"));
                    Console.WriteLine($"    {schedule}");
                    if (run.Errors > 0) Console.WriteLine($"    errors: {Errors.Drain()}");
                    await Task.Delay(settings.Pause);
                }

                repetitions.Add((runs["status-200"], runs["status-304"]));
                Console.WriteLine(Invariant($"  repetition {i + 1}: 304 over 200 {runs["status-304"].Throughput / runs["status-200"].Throughput:0.00}x (CPU per request {runs["status-200"].ServerCpuPerRequest / runs["status-304"].ServerCpuPerRequest:0.00}x)"));
            }

            pair = new StatusPair(repetitions);
        }

        if (settings.CheckpointInterval is not null)
        {
            Console.WriteLine($"\nPublished by the end (access tree): ours {PublishedAccess(database)}, baseline {PublishedAccess(Path.Combine(folder, "load-baseline.db"))}");
            foreach (var (name, child) in new[] { ("ours", service), ("baseline", baseline) })
            {
                // A publisher that failed says so in its log (console or JSON): show it, or the figures above are not what they claim.
                // Every publisher line of the run is kept (ChildProcess.PublisherLines), so a failure mid-run counts too.
                var failures = child.PublisherLines().Where(line =>
                    (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal)
                        || line.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || line.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal))).ToList();
                if (failures.Count > 0) Console.WriteLine($"{name}'s publisher failed {failures.Count} time(s), first: {failures[0]}");
            }
        }

        return new LoadResults(results, pair);
    }

    /// <summary>
    /// --stalls RATE|half: no measurement, only the watch. Each system in turn takes a constant rate for --duration
    /// seconds, --reps times, alternating; every episode of slow requests is printed with its time, and the runs'
    /// latencies are pooled per system. "half": each at half its own saturation (measured first, as the benchmark
    /// does), then both at half the slower one's: the p99 targets' two loads, over runs long enough that one stall
    /// of the shared machine does not decide a p99.
    /// </summary>
    private static async Task WatchStallsAsync(
        LoadSettings settings, double stallRate, Dictionary<SystemKind, Operation> operations, CpuMonitor monitor, Dictionary<SystemKind, int> pids)
    {
        var threshold = settings.StallThreshold ?? TimeSpan.FromMilliseconds(20);
        var systems = new[] { SystemKind.Ours, SystemKind.Baseline };
        foreach (var system in systems) await LoadRunner.ClosedLoopAsync(operations[system], settings.Concurrency, settings.Warmup * 3);
        Errors.Drain();

        var phases = new List<(string Name, Dictionary<SystemKind, double> Rates)>();
        if (stallRate > 0)
        {
            phases.Add(("fixed rate", systems.ToDictionary(s => s, _ => stallRate)));
        }
        else
        {
            var half = new Dictionary<SystemKind, double>();
            foreach (var system in systems)
            {
                await monitor.WaitForQuietAsync(0.25, TimeSpan.FromSeconds(10));
                var saturation = await LoadRunner.ClosedLoopAsync(operations[system], settings.Concurrency, settings.Saturation);
                half[system] = Math.Max(1, saturation.Throughput / 2);
                Console.WriteLine(Invariant($"  saturation {Label(system),-8} {saturation.Throughput,9:0.0} req/s"));
            }

            phases.Add(("each at half its own saturation", half));
            phases.Add(("both at half the slower one's", systems.ToDictionary(s => s, _ => half.Values.Min())));
        }

        foreach (var (name, rates) in phases)
        {
            Console.WriteLine($"  -- {name}");
            var pooled = systems.ToDictionary(s => s, _ => new List<long[]>());
            foreach (var system in Alternating(settings.Repetitions))
            {
                await monitor.WaitForQuietAsync(0.25, TimeSpan.FromSeconds(10));
                var (serverBefore, generatorBefore, machineBefore) = (CpuMonitor.ProcessTicks(pids[system]), CpuMonitor.ProcessTicks(Environment.ProcessId), monitor.Take());
                var watched = await StallWatch.RunAsync(operations[system], rates[system], settings.Duration, threshold);
                var machineAfter = monitor.Take();
                var (machine, other) = (CpuMonitor.BusyCores(machineBefore, machineAfter), CpuMonitor.ForeignCores(machineBefore, machineAfter));
                // CPU per request at this rate (ticks of 10 ms), not at saturation: how loaded "half saturation" leaves the two cores.
                double PerRequest(long ticks) => watched.Run.Completed > 0 ? ticks * 10_000.0 / watched.Run.Completed : double.NaN;
                pooled[system].Add(watched.Latencies);
                StallWatch.Print(Label(system), rates[system], watched.Run, watched.Episodes, threshold);
                Console.WriteLine(Invariant(
                    $"    CPU: the server {PerRequest(CpuMonitor.ProcessTicks(pids[system]) - serverBefore):0} µs/req, the generator {PerRequest(CpuMonitor.ProcessTicks(Environment.ProcessId) - generatorBefore):0} µs/req; the machine {machine:0.00} of 2 cores busy, other processes {other:0.00}"));
                if (watched.Run.Errors > 0) Console.WriteLine($"    errors: {Errors.Drain()}");
                await Task.Delay(settings.Pause);
            }

            foreach (var system in systems)
            {
                var runs = pooled[system];
                Console.WriteLine(Invariant(
                    $"  pooled {Label(system),-8} {rates[system],8:0.0}/s  {runs.Sum(r => r.Length)} requests  p50 {StallWatch.PooledMs(runs, 50),7:0.00}  p99 {StallWatch.PooledMs(runs, 99),7:0.00}  p99.9 {StallWatch.PooledMs(runs, 99.9),7:0.00} ms"));
            }

            Console.WriteLine(Invariant(
                $"  pooled p99 ours / baseline: {StallWatch.PooledMs(pooled[SystemKind.Ours], 99) / StallWatch.PooledMs(pooled[SystemKind.Baseline], 99):0.00}x"));
        }
    }

    /// <summary>What a system's publisher got done: the access tree's last checkpoint against its leaves.</summary>
    private static string PublishedAccess(string file)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM TransparencyCheckpoints WHERE Tree = 'access'),
                   (SELECT COALESCE(MAX(TreeSize), 0) FROM TransparencyCheckpoints WHERE Tree = 'access'),
                   (SELECT COUNT(*) FROM TransparencyLeaves WHERE Tree = 'access')
            """;
        using var reader = command.ExecuteReader();
        reader.Read();
        return Invariant($"{reader.GetInt64(0)} checkpoints, the last of {reader.GetInt64(1):N0} of {reader.GetInt64(2):N0} leaves");
    }

    /// <summary>A consistent copy of the live file (SQLite's online backup), while the service keeps running.</summary>
    private static void CopyDatabase(string from, string to)
    {
        using var source = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={from};Mode=ReadOnly;Pooling=False");
        using var target = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={to};Pooling=False");
        source.Open();
        target.Open();
        source.BackupDatabase(target);
        using var wal = target.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        wal.ExecuteNonQuery();
    }

    private static IEnumerable<SystemKind> Alternating(int repetitions)
    {
        for (var i = 0; i < repetitions; i++)
        {
            yield return i % 2 == 0 ? SystemKind.Ours : SystemKind.Baseline;
            yield return i % 2 == 0 ? SystemKind.Baseline : SystemKind.Ours;
        }
    }

    private static OpenLoopSummary Summarise(List<OpenLoopResult> runs) => new(
        runs[0].TargetRate,
        Median(runs.Select(r => r.P50)), Median(runs.Select(r => r.P90)), Median(runs.Select(r => r.P99)), Median(runs.Select(r => r.P999)),
        runs.Sum(r => r.Completed), runs.Sum(r => r.Errors), Median(runs.Select(r => r.LagP99)));

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Label(SystemKind system) => system == SystemKind.Ours ? "ours" : "baseline";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
