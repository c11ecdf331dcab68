using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// The real service as a child process (the built dll, as the container runs it) on 127.0.0.1, on a
/// SQLite file the test owns, so a test can kill it the hard way and start it again.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        _output = Task.Run(async () => await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync());
    }

    public Uri BaseAddress { get; }

    public int Id => _process.Id;

    public static async Task<ServiceProcess> StartAsync(string folder, string databasePath, Dictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExtraditionCases.Api.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var name in start.Environment.Keys.Where(n => n.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || n.Contains("__", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Cases"] = $"Data Source={databasePath}";
        start.Environment["RateLimiting__Enabled"] = "false";
        start.Environment["Authentication__Schemes__Bearer__ValidIssuer"] = Tokens.Issuer;
        start.Environment["Authentication__Schemes__Bearer__ValidAudiences__0"] = Tokens.Audience;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Tokens.Issuer;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(Tokens.Key);
        foreach (var (name, value) in settings ?? []) start.Environment[name] = value;

        var service = new ServiceProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        await service.WaitReadyAsync();
        return service;
    }

    public HttpClient ClientFor(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing, as a power cut or an OOM kill would leave it.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, the orchestrator's polite stop: the host runs its shutdown and exits.</summary>
    public async Task<int> StopAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public Task<string> OutputAsync() => _output;

    private async Task WaitReadyAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"The service exited: {await _output}");
            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The service did not become ready within 60 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) await KillAsync();
        _process.Dispose();
    }
}
