using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Observability;

/// <summary>
/// The built service as a separate process in Production, as a container runs it: its console is
/// JSON lines with trace, span and correlation ids, and it never writes the person sought.
/// </summary>
public sealed class StructuredLoggingTests
{
    private const string Correlation = "obs-7f3a-filing";

    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "extradition-logging", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean.
        }
    }

    [Test]
    public async Task Production_logs_are_json_lines_with_trace_span_and_correlation_ids_and_no_person_data()
    {
        var (lines, errors, responses) = await RunServiceAsync(async client =>
        {
            var results = new Dictionary<string, HttpResponseMessage>();
            var officer = Tokens.Officer("PK");

            var filed = await SendAsync(client, HttpMethod.Post, "/api/v1/cases", officer, Correlation, Cases.Json(Cases.NewCase()));
            results["filed"] = filed;
            var id = (string)JsonNode.Parse(await filed.Content.ReadAsStringAsync())!["id"]!;
            results["read"] = await SendAsync(client, HttpMethod.Get, $"/api/v1/cases/{id}", Tokens.Officer("GB"), "obs-read", null);

            var invalid = Cases.NewCase();
            invalid["basis"] = Cases.UrduName;
            invalid["person"]!["placeOfBirth"] = Cases.UrduName + "\u0001";
            results["invalid"] = await SendAsync(client, HttpMethod.Post, "/api/v1/cases", officer, "obs-invalid", Cases.Json(invalid));
            results["missing"] = await SendAsync(client, HttpMethod.Get, $"/api/v1/cases/{Guid.NewGuid()}", officer, "obs-missing", null);
            results["anonymous"] = await SendAsync(client, HttpMethod.Get, "/api/v1/cases", null, "obs-anonymous", null);
            results["badId"] = await SendAsync(client, HttpMethod.Get, "/api/v1/workflow", officer, "not valid", null);
            return results;
        });

        var parsed = lines.Select(line => (Line: line, Json: TryParse(line))).ToList();
        var entries = parsed.Where(p => p.Json is not null).Select(p => p.Json!).ToList();
        var inRequests = entries.Where(e => Scope(e, "RequestId") is not null).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(responses["filed"].StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(responses["invalid"].StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(responses["missing"].StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(responses["anonymous"].StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(responses["filed"].Headers.GetValues("X-Correlation-Id").Single(), Is.EqualTo(Correlation));
            var made = responses["badId"].Headers.GetValues("X-Correlation-Id").Single();
            Assert.That(made, Does.Match("^[0-9a-f]{32}$"));

            Assert.That(lines, Has.Count.GreaterThan(10), string.Join('\n', lines));
            Assert.That(parsed.Where(p => p.Json is null).Select(p => p.Line), Is.Empty, "every line is one JSON object");
            foreach (var entry in entries)
            {
                Assert.That(entry.Select(p => p.Key), Is.SupersetOf(new[] { "Timestamp", "LogLevel", "Category", "Message" }));
                Assert.That((string?)entry["Timestamp"], Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"), "UTC");
            }

            Assert.That(inRequests, Is.Not.Empty);
            foreach (var entry in inRequests)
            {
                Assert.That(Scope(entry, "TraceId"), Does.Match("^[0-9a-f]{32}$"), entry.ToJsonString());
                Assert.That(Scope(entry, "SpanId"), Does.Match("^[0-9a-f]{16}$"), entry.ToJsonString());
            }

            // Every line the application writes while serving a request names its correlation id.
            var ours = inRequests.Where(e => ((string?)e["Category"])!.StartsWith("ExtraditionCases.", StringComparison.Ordinal)).ToList();
            Assert.That(ours.Select(e => Scope(e, "CorrelationId")), Has.All.Not.Null);
            Assert.That(ours.Select(e => Scope(e, "CorrelationId")), Is.SupersetOf(new[] { Correlation, "obs-invalid", "obs-missing" }));
            Assert.That(entries.Select(e => Scope(e, "CorrelationId")), Does.Contain(made), "a generated id is logged as it was echoed");
            var refusal = ours.Single(e => Scope(e, "CorrelationId") == "obs-missing" && (string?)e["Category"] == "ExtraditionCases.Api.Http.ProblemExceptionHandler");
            Assert.That(Scope(refusal, "TraceId"), Is.EqualTo((string?)JsonNode.Parse(responses["missing"].Content.ReadAsStringAsync().Result)!["traceId"]),
                "the trace id of the log line is the one the problem carries");

            // Nothing of the person: not the name in any script or escape, not the place of birth.
            foreach (var entry in entries)
            {
                var text = AllStrings(entry);
                Assert.That(text, Does.Not.Contain("محسن").And.Not.Contain("Mohsin").And.Not.Contain("1980-02-29"), entry.ToJsonString());
            }

            Assert.That(string.Join('\n', errors), Does.Not.Contain("محسن").And.Not.Contain("Mohsin"));
        });
    }

    // ---- running the service ----

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, string? token, string correlation, HttpContent? body)
    {
        var request = new HttpRequestMessage(method, url) { Content = body };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Correlation-Id", correlation);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<(List<string> Lines, List<string> Errors, T Result)> RunServiceAsync<T>(Func<HttpClient, Task<T>> exercise)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            // The folder is the content root: no appsettings.json, only what is set here counts.
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ExtraditionCases.Api.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase) || name.Contains("__", StringComparison.Ordinal))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Cases"] = $"Data Source={Path.Combine(_folder, "cases.db")}";
        start.Environment["Authentication__Schemes__Bearer__ValidIssuer"] = Tokens.Issuer;
        start.Environment["Authentication__Schemes__Bearer__ValidAudiences__0"] = Tokens.Audience;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Tokens.Issuer;
        start.Environment["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(Tokens.Key);
        // Everything, framework included, down to Debug: no level may carry case data.
        start.Environment["Logging__LogLevel__Default"] = "Debug";

        var lines = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (!string.IsNullOrEmpty(e.Data)) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (!string.IsNullOrEmpty(e.Data)) errors.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        T result;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilLiveAsync(client, process, lines, errors);
            result = await exercise(client);
        }
        finally
        {
            await StopAsync(process);
        }

        return ([.. lines], [.. errors], result);
    }

    private static async Task WaitUntilLiveAsync(HttpClient client, Process process, ConcurrentQueue<string> lines, ConcurrentQueue<string> errors)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited) Assert.Fail($"The service exited with {process.ExitCode}:\n{string.Join('\n', lines)}\n{string.Join('\n', errors)}");
            try
            {
                if ((await client.GetAsync("/health/live")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        Assert.Fail($"The service did not answer within a minute:\n{string.Join('\n', lines)}");
    }

    /// <summary>SIGTERM, as a container runtime stops it, so the console logger flushes; a kill after 15 s.</summary>
    private static async Task StopAsync(Process process)
    {
        if (process.HasExited) return;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        else
        {
            process.Kill(entireProcessTree: true);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        // The asynchronous readers deliver the last lines after exit.
        process.WaitForExit();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // ---- reading the lines ----

    private static JsonObject? TryParse(string line)
    {
        try
        {
            return JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The value of a key in any of the entry's scopes.</summary>
    private static string? Scope(JsonObject entry, string key) =>
        (entry["Scopes"] as JsonArray)?.OfType<JsonObject>().Select(s => s[key]).OfType<JsonValue>().Select(v => v.ToString()).FirstOrDefault();

    /// <summary>Every property name and string value, unescaped.</summary>
    private static string AllStrings(JsonNode? node) => node switch
    {
        JsonObject o => string.Join('\n', o.Select(p => p.Key + "\n" + AllStrings(p.Value))),
        JsonArray a => string.Join('\n', a.Select(AllStrings)),
        JsonValue v => v.ToString(),
        _ => "",
    };
}
