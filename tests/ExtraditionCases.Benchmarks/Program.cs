using System.Globalization;
using ExtraditionCases.Benchmarks;
using ExtraditionCases.Benchmarks.Baseline;
using ExtraditionCases.Benchmarks.Hosting;
using ExtraditionCases.Benchmarks.Load;
using ExtraditionCases.Benchmarks.Seeding;

// dotnet run -c Release --project tests/ExtraditionCases.Benchmarks -- [run] [--quick] [options]   (see docs/benchmarks.md)
if (args.FirstOrDefault() == "baseline") return await BaselineApp.RunAsync(args[1..]);

var cli = new Cli(args);
if (cli.Flag("help"))
{
    Console.WriteLine(Help.Text);
    return 0;
}

switch (cli.Command)
{
    case "run":
    case "scale":
    {
        var quick = cli.Flag("quick");
        var settings = LoadSettings.From(cli);
        ChildProcess.LogFolder = cli.Text("child-logs");
        var tokens = new BenchTokens();
        var serviceDll = Paths.ServiceDll(cli.Text("api-dll"));
        if (Paths.Configuration != "Release") Console.WriteLine($"Warning: built in {Paths.Configuration}; run with -c Release for meaningful numbers.");
        // --work PATH (with --keep): a folder of one's own, whose seeded scale databases a later run reuses.
        var folder = cli.Text("work") is { } work ? Directory.CreateDirectory(work).FullName : Paths.NewTempFolder("run");
        Console.WriteLine($"Service: {serviceDll}\nWork folder: {folder}");
        try
        {
            var load = cli.Command == "run" && !cli.Flag("skip-load")
                ? await LoadBenchmark.RunAsync(settings, tokens, folder, serviceDll)
                : new LoadResults([], null);
            ScaleResult? scale = null;
            if (cli.Command == "scale" || !cli.Flag("skip-scale"))
            {
                scale = await ScaleCheck.RunAsync(
                    cli.Int("scale-small", 1_000), cli.Int("scale-large", quick ? 10_000 : 100_000), cli.Double("events-per-case", 10),
                    cli.Double("overdue-share", 0.1), cli.Int("samples", 200), tokens, folder, serviceDll,
                    cli.Text("probes")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                    cli.Text("small-db"), cli.Text("large-db"));
            }

            var markdown = Report.Markdown(string.Join(' ', args), settings, quick, load, scale);
            var output = cli.Text("out") ?? Path.Combine(Paths.RepositoryRoot(), "benchmark-results", "latest.md");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
            await File.WriteAllTextAsync(output, markdown);
            Console.WriteLine($"\n{markdown}\nWritten to {output}");
        }
        finally
        {
            if (!cli.Flag("keep"))
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    Console.WriteLine($"Could not remove {folder}.");
                }
            }
        }

        return 0;
    }

    case "seed":
    {
        var database = cli.Text("db") ?? throw new ArgumentException("seed needs --db PATH (a new file).");
        var report = await Seeder.SeedAsync(Path.GetFullPath(database), cli.Int("cases", 100_000), cli.Int("events", 1_000_000),
            cli.Double("overdue-share", 0.1), cli.Int("seed", 42), Console.Out);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Seeded {report.Cases:N0} cases, {report.Events:N0} events, {report.FeedRows:N0} feed rows, {report.Deadlines:N0} clocks in {report.Elapsed.TotalSeconds:0.0} s"));
        return 0;
    }

    case "documents":
    {
        var folder = Paths.NewTempFolder("documents");
        try
        {
            return await ExtraditionCases.Benchmarks.Documents.DocumentStreaming.RunAsync(
                cli.Int("mib", 20), new BenchTokens(), folder, Paths.ServiceDll(cli.Text("api-dll")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                Console.WriteLine($"Could not remove {folder}.");
            }
        }
    }

    case "webhooks":
    {
        var folder = Paths.NewTempFolder("webhooks");
        try
        {
            return await ExtraditionCases.Benchmarks.Webhooks.WebhookDelivery.RunAsync(
                cli.Int("transitions", 1_000), cli.Int("cases", 64), cli.Double("rate", 0), cli.Int("concurrency", 8), new BenchTokens(), folder,
                Paths.ServiceDll(cli.Text("api-dll")), cli.Text("out"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                Console.WriteLine($"Could not remove {folder}.");
            }
        }
    }

    case "micro":
        await ExtraditionCases.Benchmarks.Micro.MicroCosts.RunAsync(cli.Int("iterations", 20_000), tokensOnly: cli.Flag("tokens-only"), accessLogOnly: cli.Flag("access-log-only"));
        return 0;

    case "search-sql":
        await ExtraditionCases.Benchmarks.Micro.SearchTiming.RunAsync(cli.Text("db") ?? throw new ArgumentException("search-sql needs --db PATH."), cli.Int("samples", 1000));
        return 0;

    case "lists-sql":
        await ExtraditionCases.Benchmarks.Micro.ListTiming.RunAsync(
            new[] { cli.Text("db") ?? throw new ArgumentException("lists-sql needs --db PATH."), cli.Text("db2") }.OfType<string>().ToList(), cli.Int("samples", 300), cli.Flag("touch"));
        return 0;

    default:
        Console.Error.WriteLine($"Unknown command '{cli.Command}'.\n\n{Help.Text}");
        return 2;
}

internal static class Help
{
    public const string Text = """
        ExtraditionCases benchmark. Build and run in Release:

          dotnet run -c Release --project tests/ExtraditionCases.Benchmarks -- [run] [--quick] [options]
              Starts the real service (src/ExtraditionCases.Api, same configuration) and the baseline as child
              processes on 127.0.0.1, runs every scenario on both, then the scale check; writes
              benchmark-results/latest.md (or --out PATH).
              --quick                  1 repetition, short runs, scale check at 1,000 vs 10,000 cases
              --reps N --warmup S --saturation S --duration S --concurrency N --pause S
              --scenarios a,b          status-200,status-304,changes,history,file,transition
              --gc KIND                workstation, server or server-no-datas, for both systems
              --generator KIND         raw (default: a minimal HTTP/1.1 client over sockets, a few µs of CPU a request) or
                                       httpclient (.NET HttpClient, the generator of every run before the fifteenth round)
              --publisher [--checkpoint-interval S]   both systems run the checkpoint publisher (one signing key, a round
                                       every S seconds, default 60), each on its own copy of the prepared database
              --read-cases N --pool N --history-events N
              --child-logs DIR         every line the service and the baseline write, time-stamped, in DIR/<name>-<pid>.log
              --stalls RATE|half [--stall-ms MS]   no measurement: each system in turn at RATE req/s (half: at half its
                                       own saturation, then both at half the slower one's) for --duration s, --reps times;
                                       every episode of requests slower than MS (default 20) printed with its time, and
                                       each system's latencies pooled over its runs
              --skip-load --skip-scale
              --scale-small N --scale-large N --events-per-case N --overdue-share F --samples N
              --probes WORD,WORD       only the scale probes whose name holds one of these words (search, report, ...)
              --work PATH --keep       seed into PATH and keep it; a later run with the same PATH reuses its databases
              --small-db PATH --large-db PATH   (copies of files made by `seed` instead of seeding; migrated at start-up)
              --api-dll PATH --keep    (keep the temporary databases)
          ... -- scale [scale options]                  the scale check only
          ... -- seed --db PATH --cases N --events M [--overdue-share F] [--seed N]
              seed a new database file (migrations applied first)
          ... -- micro [--iterations N] [--tokens-only] [--access-log-only]  in-process costs of the service's per-request steps
          ... -- webhooks [--transitions N] [--cases N] [--rate R] [--concurrency N] [--out PATH]
              issue 16: N transitions (default 1,000) with 3 subscribers, receivers on 127.0.0.1 in this program; p50/p99
              delivery lag (event recordedAt to the receiver's acknowledgment) and throughput; --rate 0 (default) sends as
              fast as the service answers; exits non-zero if any event is missing, unsigned or out of order
          ... -- search-sql --db PATH [--samples N]     the search handler alone, in-process, over a seeded database
          ... -- lists-sql --db PATH [--db2 PATH] [--samples N] [--touch]   the overdue lists' handlers alone, in-process,
              over one or two seeded databases (their samples alternating); --touch commits a write to each file (table
              BenchTouch) before every sample, as the access log does in the service, which empties SQLite's page caches
          ... -- documents [--mib N] [--api-dll PATH]   upload and download an N MiB PDF (default 20) against the real
              service; passes when its working set grows by less than 10 MiB (issue 13: streamed, never buffered)
        """;
}
