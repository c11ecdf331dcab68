using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Benchmarks.Hosting;

namespace ExtraditionCases.Benchmarks.Documents;

/// <summary>
/// Issue 13's benchmark line: uploading and downloading a 20 MiB PDF keeps the service's working set
/// growth under 10 MiB, because the bytes are streamed (spooled to a temporary file, then SQLite
/// incremental BLOB I/O in and out), never held whole. Runs the real service as a child process, warms
/// it up with a small document, then samples the child's working set every 10 ms through one upload and
/// one download of the large document and reports the peak growth over the warmed-up baseline.
/// </summary>
internal static class DocumentStreaming
{
    public const long LimitBytes = 10L * 1024 * 1024;

    public static async Task<int> RunAsync(int mebibytes, BenchTokens tokens, string folder, string serviceDll)
    {
        var size = mebibytes * 1024L * 1024;
        var pdf = Path.Combine(folder, "large.pdf");
        var sha = await WritePdfAsync(pdf, size);
        var environment = new Dictionary<string, string>(tokens.Environment(), StringComparer.Ordinal)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Cases"] = $"Data Source={Path.Combine(folder, "documents.db")}",
            ["Database__Provider"] = "Sqlite",
            // Production settings do not migrate on start-up; without this the service never reports ready.
            ["Database__MigrateOnStartup"] = "true",
            ["RateLimiting__Enabled"] = "false",
            ["Documents__MaxBytes"] = (size + 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        };

        await using var service = await ChildProcess.StartAsync("service", serviceDll, [], environment, "/health/ready");
        using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.OfficerPk);

        var caseId = await FileCaseAsync(client);
        // Warm-up: JIT, pools and SQLite page cache settle with small documents before the baseline is taken.
        var smallPdf = Path.Combine(folder, "small.pdf");
        await WritePdfAsync(smallPdf, 256 * 1024);
        for (var i = 0; i < 5; i++)
        {
            var small = await UploadAsync(client, caseId, smallPdf);
            await DownloadAsync(client, caseId, small.Id);
        }

        using var process = Process.GetProcessById(service.Pid);
        await Task.Delay(500);
        process.Refresh();
        var baseline = process.WorkingSet64;
        using var sampler = new Sampler(process);

        var stopwatch = Stopwatch.StartNew();
        var uploaded = await UploadAsync(client, caseId, pdf);
        var uploadTime = stopwatch.Elapsed;
        var (downloadedSha, downloadedBytes) = await DownloadAsync(client, caseId, uploaded.Id);
        var total = stopwatch.Elapsed;
        var peak = await sampler.StopAsync();

        var growth = peak - baseline;
        var ok = uploaded.Sha256 == sha && downloadedSha == sha && downloadedBytes == size && growth < LimitBytes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""

            Document streaming ({mebibytes} MiB PDF, service pid {service.Pid})
            | | value |
            |---|---|
            | upload (spool + store) | {uploadTime.TotalMilliseconds:0} ms |
            | upload + download | {total.TotalMilliseconds:0} ms |
            | working set before | {baseline / 1048576.0:0.0} MiB |
            | working set peak during | {peak / 1048576.0:0.0} MiB |
            | growth | {growth / 1048576.0:0.0} MiB (limit {LimitBytes / 1048576} MiB) |
            | bytes round-trip intact (SHA-256) | {(uploaded.Sha256 == sha && downloadedSha == sha ? "yes" : "NO")} |
            | result | {(ok ? "PASS" : "FAIL")} |
            """));
        return ok ? 0 : 1;
    }

    private static async Task<string> WritePdfAsync(string path, long size)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var file = File.Create(path);
        var random = new Random(13);
        var chunk = new byte[81920];
        long written = 0;
        while (written < size)
        {
            random.NextBytes(chunk);
            if (written == 0) "%PDF-1.7\n"u8.CopyTo(chunk);
            var take = (int)Math.Min(chunk.Length, size - written);
            hash.AppendData(chunk, 0, take);
            await file.WriteAsync(chunk.AsMemory(0, take));
            written += take;
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static async Task<string> FileCaseAsync(HttpClient client)
    {
        var body = """
            {"requestingState":"PK","requestedState":"GB","basis":"Treaty","category":"Accusation",
             "person":{"fullName":"محسن علی","dateOfBirth":"1980-02-29","nationality":"PK"},
             "offences":[{"description":"Money laundering","statute":"AMLA 2010 s.3","maxPenaltyMonths":120,"deathPenalty":false}],
             "warrant":{"reference":"ATC-ISB-2026-17","issuedBy":"ATC Islamabad","issuedOn":"2026-01-15"}}
            """;
        using var response = await client.PostAsync(new Uri("/api/v1/cases", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!;
    }

    private static async Task<(string Id, string Sha256)> UploadAsync(HttpClient client, string caseId, string path)
    {
        await using var file = File.OpenRead(path);
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("""{"kind":"EvidenceBundle","title":"Evidence bundle","language":"en"}""", Encoding.UTF8, "application/json"), "metadata");
        var content = new StreamContent(file, 81920);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(content, "file", Path.GetFileName(path));
        using var response = await client.PostAsync(new Uri($"/api/v1/cases/{caseId}/documents", UriKind.Relative), form);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {text}");
        var created = JsonNode.Parse(text)!;
        return ((string)created["id"]!, (string)created["sha256"]!);
    }

    private static async Task<(string Sha256, long Bytes)> DownloadAsync(HttpClient client, string caseId, string documentId)
    {
        using var response = await client.GetAsync(new Uri($"/api/v1/cases/{caseId}/documents/{documentId}/content", UriKind.Relative),
            HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            total += read;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), total);
    }

    /// <summary>The child's peak working set, sampled every 10 ms until stopped.</summary>
    private sealed class Sampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<long> _run;

        public Sampler(Process process) => _run = Task.Run(async () =>
        {
            long peak = 0;
            while (!_stop.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                try
                {
                    await Task.Delay(10, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            process.Refresh();
            return Math.Max(peak, process.WorkingSet64);
        });

        public async Task<long> StopAsync()
        {
            await _stop.CancelAsync();
            return await _run;
        }

        public void Dispose() => _stop.Dispose();
    }
}
