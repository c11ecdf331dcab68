using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace ExtraditionCases.Benchmarks.Hosting;

/// <summary>
/// A server started by this benchmark as `dotnet some.dll`, on 127.0.0.1 and a free port. Stopped by
/// its own process id: SIGTERM first (the service drains its access log on a clean stop), then kill.
/// </summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly List<string> _publisherLines = [];
    private StreamWriter? _log;

    /// <summary>--child-logs DIR: every line each child writes, stamped with the time it arrived, kept in DIR/NAME-PID.log (two services of one name, as in the scale check, each in its own file).</summary>
    public static string? LogFolder { get; set; }

    private ChildProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        _process = process;
        BaseAddress = baseAddress;
    }

    public string Name { get; }
    public Uri BaseAddress { get; }
    public int Pid => _process.Id;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The thread pool's spinning before an idle worker sleeps; set for the generator, never passed to a server.</summary>
    public const string GeneratorSpinLimit = "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit";

    public static async Task<ChildProcess> StartAsync(
        string name, string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string readyPath)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        info.Environment["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/');
        // Settings a `dotnet run` of this program may have passed down must not leak into the server.
        info.Environment.Remove("ASPNETCORE_HOSTINGSTARTUPASSEMBLIES");
        info.Environment.Remove("DOTNET_WATCH");
        // The generator's own thread-pool tuning (see docs/benchmarks.md, fifteenth round) is not the servers'.
        if (!environment.ContainsKey(GeneratorSpinLimit)) info.Environment.Remove(GeneratorSpinLimit);

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {name}.");
        var child = new ChildProcess(name, process, baseAddress);
        if (LogFolder is not null)
            child._log = new StreamWriter(Path.Combine(Directory.CreateDirectory(LogFolder).FullName, $"{name}-{process.Id}.log"), append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(1200))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{name} exited with {process.ExitCode} before it was ready:\n{child.Tail()}");
            try
            {
                using var response = await probe.GetAsync(new Uri(readyPath, UriKind.Relative));
                if (response.IsSuccessStatusCode) return child;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Not answering yet.
            }

            await Task.Delay(200);
        }

        await child.DisposeAsync();
        throw new TimeoutException($"{name} was not ready within 1200 s:\n{child.Tail()}");
    }

    public string Tail()
    {
        lock (_tail) return string.Join('\n', _tail);
    }

    /// <summary>Every line the checkpoint publisher logged (the first 1,000), not only those still in the tail.</summary>
    public IReadOnlyList<string> PublisherLines()
    {
        lock (_tail) return [.. _publisherLines];
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _log?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
            if (_publisherLines.Count < 1000 && line.Contains("CheckpointPublisher", StringComparison.Ordinal)) _publisherLines.Add(line);
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await term.WaitForExitAsync();
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        lock (_tail)
        {
            _log?.Dispose();
            _log = null;
        }
    }
}
