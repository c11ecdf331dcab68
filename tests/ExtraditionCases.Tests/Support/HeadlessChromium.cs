using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// Debian's Chromium, headless, driven over the Chrome DevTools Protocol on a loopback port: a real browser
/// loading a real page, with no driver package in between. One page per instance; console messages and
/// browser log entries (a Content-Security-Policy violation is one) are collected.
/// </summary>
public sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string Executable = "/usr/bin/chromium";

    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _reader = Task.CompletedTask;
    private int _nextId;

    private HeadlessChromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console calls and log entries, as "level: text".</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    public static bool IsInstalled => File.Exists(Executable);

    public static async Task<HeadlessChromium> StartAsync()
    {
        var profile = Path.Combine(Path.GetTempPath(), "extradition-chromium", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var start = new ProcessStartInfo(Executable) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
                     "--disable-extensions", "--disable-background-networking", "--disable-sync", "--metrics-recording-only", "--mute-audio",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1280,2000", "about:blank",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var chromium = new HeadlessChromium(Process.Start(start)!, profile);
        _ = chromium._process.StandardOutput.ReadToEndAsync();
        var endpoint = await chromium.DevToolsEndpointAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{endpoint.Port}/json/list"))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        await chromium._socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None);
        chromium._reader = Task.Run(chromium.ReadAsync);
        await chromium.SendAsync("Page.enable");
        await chromium.SendAsync("Runtime.enable");
        await chromium.SendAsync("Log.enable");
        return chromium;
    }

    /// <summary>Chromium prints "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/..." once it listens.</summary>
    private async Task<Uri> DevToolsEndpointAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new StringBuilder();
        while (await _process.StandardError.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.AppendLine(line);
            if (DevToolsLine().Match(line) is { Success: true } match)
            {
                _ = _process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Uri(match.Groups[1].Value);
            }
        }

        throw new InvalidOperationException($"Chromium did not open the DevTools port: {seen}");
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();

    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var answer = await reply.Task.WaitAsync(TimeSpan.FromSeconds(30));
        if (answer["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return answer["result"]?.AsObject() ?? [];
    }

    /// <summary>Runs a script in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } exception) throw new InvalidOperationException($"Script failed: {exception.ToJsonString()}");
        return result["result"]?["value"]?.DeepClone();
    }

    public async Task NavigateAsync(string url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url });
        await WaitForAsync("document.readyState === 'complete' && location.href !== 'about:blank'");
    }

    /// <summary>Polls a script until it is true (bounded: 30 s).</summary>
    public async Task WaitForAsync(string condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await EvaluateAsync($"Boolean({condition})") is JsonValue value && value.GetValue<bool>()) return;
            }
            catch (InvalidOperationException e) when (IsNavigating(e))
            {
                // The page is being replaced (a reload or navigation under way): not yet, poll again.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Never true in the page: {condition}. Messages: {string.Join(" | ", Messages)}");
    }

    /// <summary>What Chromium answers to a script sent while the page it ran in is being replaced.</summary>
    private static bool IsNavigating(InvalidOperationException e) =>
        e.Message.Contains("Inspected target navigated or closed", StringComparison.Ordinal)
        || e.Message.Contains("Execution context was destroyed", StringComparison.Ordinal)
        || e.Message.Contains("Cannot find context with specified id", StringComparison.Ordinal);

    public async Task<byte[]> ScreenshotAsync()
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true });
        return Convert.FromBase64String((string)shot["data"]!);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                var json = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (json["id"] is { } id && _pending.TryRemove((int)id, out var reply)) reply.TrySetResult(json);
                else if ((string?)json["method"] == "Runtime.consoleAPICalled")
                    Messages.Enqueue($"{json["params"]!["type"]}: {string.Join(' ', json["params"]!["args"]!.AsArray().Select(a => a?["value"]?.ToString()))}");
                else if ((string?)json["method"] == "Log.entryAdded")
                    Messages.Enqueue($"{json["params"]!["entry"]!["level"]}: {json["params"]!["entry"]!["text"]}");
                else if ((string?)json["method"] == "Runtime.exceptionThrown")
                    Messages.Enqueue($"exception: {json["params"]!["exceptionDetails"]!.ToJsonString()}");
            }
        }
        catch (OperationCanceledException)
        {
            // stopping
        }
        catch (WebSocketException)
        {
            // the browser went away
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // the reader is abandoned with the socket
        }

        _socket.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // a profile file still held: left for the OS
        }
    }
}
