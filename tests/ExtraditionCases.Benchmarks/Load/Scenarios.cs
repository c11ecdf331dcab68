using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using ExtraditionCases.Benchmarks.Hosting;

namespace ExtraditionCases.Benchmarks.Load;

internal enum SystemKind { Ours, Baseline }

/// <summary>What went wrong, counted by kind, so that an error count comes with its reasons.</summary>
internal static class Errors
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Counts = new(StringComparer.Ordinal);

    public static void Note(string what)
    {
        var key = what.Length > 90 ? what[..90] : what;
        if (Counts.Count < 20 || Counts.ContainsKey(key)) Counts.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    /// <summary>The counts since the last call, most frequent first, and a fresh start.</summary>
    public static string Drain()
    {
        var snapshot = Counts.ToArray();
        Counts.Clear();
        return string.Join("; ", snapshot.OrderByDescending(p => p.Value).Take(3).Select(p => $"{p.Value} x {p.Key}"));
    }
}

/// <summary>A scenario builds, for each system, the operation the load generator repeats.</summary>
internal sealed record Scenario(string Name, string Title, Func<SystemKind, LoadClient, Operation> For);

/// <summary>Request bodies and helpers shared by the setup and the scenarios.</summary>
internal static class Requests
{
    public static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>A complete case file, PK requesting from GB (receivedAt left to default to now).</summary>
    public static JsonObject NewCase(int n) => new()
    {
        ["requestingState"] = "PK",
        ["requestedState"] = "GB",
        ["basis"] = "Treaty",
        ["category"] = "Accusation",
        ["person"] = new JsonObject
        {
            ["fullName"] = "محسن علی",
            ["aliases"] = new JsonArray("Mohsin Ali", $"M. Ali {n}"),
            ["dateOfBirth"] = "1980-02-29",
            ["nationality"] = "PK",
        },
        ["offences"] = new JsonArray(new JsonObject
        {
            ["description"] = "Money laundering",
            ["statute"] = "Anti-Money Laundering Act 2010 s.3",
            ["category"] = "MoneyLaundering",
            ["maxPenaltyMonths"] = 120,
            ["deathPenalty"] = false,
        }),
        ["warrant"] = new JsonObject
        {
            ["reference"] = "ATC-ISB-2026-17",
            ["issuedBy"] = "Anti-Terrorism Court Islamabad",
            ["issuedOn"] = "2026-01-15",
        },
    };

    public static readonly byte[] NewCaseBody = Encoding.UTF8.GetBytes(NewCase(0).ToJsonString());
    public static readonly byte[] SubmitBody = """{"trigger":"Submit"}"""u8.ToArray();
    public static readonly byte[] ReturnBody = """{"trigger":"ReturnForCorrection","data":{"reason":"Translation of the warrant is missing"}}"""u8.ToArray();

    public static HttpRequestMessage Get(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        return request;
    }

    public static HttpRequestMessage Post(string path, string token, byte[] body, string? ifMatch = null)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return request;
    }

    public static HttpClient Client(Uri baseAddress) => new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 512,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(60),
    };
}

/// <summary>
/// Cases for the transition scenario, one pool per system so neither touches the other's cases. A
/// request takes a free case (waiting counts in its latency), fires Submit or ReturnForCorrection
/// with the ETag it tracks, and gives the case back. Anything but 200 is an error, after which the
/// case's version and state are re-read from the service.
/// </summary>
internal sealed class CasePool
{
    private readonly Channel<Slot> _free = Channel.CreateUnbounded<Slot>();
    private readonly BenchTokens _tokens;
    private readonly HttpClient _repair;

    public CasePool(IEnumerable<Guid> ids, BenchTokens tokens, HttpClient repair)
    {
        _tokens = tokens;
        _repair = repair;
        foreach (var id in ids) _free.Writer.TryWrite(new Slot { Id = id, Version = 1 });
    }

    public async Task<bool> TransitionAsync(LoadClient client, CancellationToken ct)
    {
        var slot = await _free.Reader.ReadAsync(ct);
        try
        {
            var submit = !slot.UnderReview;
            var response = await client.SendAsync(new LoadRequest("POST", $"/api/v1/cases/{slot.Id}/transitions",
                submit ? _tokens.OfficerPk : _tokens.OfficerGb, submit ? Requests.SubmitBody : Requests.ReturnBody, IfMatch: $"\"{slot.Version}\""), ct);
            if (response.Status == (int)HttpStatusCode.OK && response.ETag is { } etag
                && int.TryParse(etag.Trim('"'), System.Globalization.CultureInfo.InvariantCulture, out var version))
            {
                slot.Version = version;
                slot.UnderReview = submit;
                return true;
            }

            Errors.Note($"{response.Status} from POST transitions");
            await RepairAsync(slot);
            return false;
        }
        finally
        {
            _free.Writer.TryWrite(slot);
        }
    }

    private async Task RepairAsync(Slot slot)
    {
        using var request = Requests.Get($"/api/v1/cases/{slot.Id}", _tokens.OfficerPk);
        using var response = await _repair.SendAsync(request);
        if (!response.IsSuccessStatusCode) return;
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        slot.Version = (int)body["version"]!;
        slot.UnderReview = (string?)body["state"] == "UnderReview";
    }

    private sealed class Slot
    {
        public Guid Id { get; init; }
        public int Version { get; set; }
        public bool UnderReview { get; set; }
    }
}

/// <summary>What the scenarios read and write, made through the real service before anything is measured.</summary>
internal sealed class Fixture
{
    public required List<Guid> ReadCases { get; init; }
    public required Guid HistoryCase { get; init; }
    public required List<string> FeedCursors { get; init; }
    public required CasePool OursPool { get; init; }
    public required CasePool BaselinePool { get; init; }

    public static async Task<Fixture> PrepareAsync(HttpClient ours, BenchTokens tokens, int readCases, int poolSize, int historyEvents)
    {
        var reads = await FileManyAsync(ours, tokens, readCases);
        var oursPool = await FileManyAsync(ours, tokens, poolSize);
        var baselinePool = await FileManyAsync(ours, tokens, poolSize);

        // One case with a long history, walked through the real workflow (a valid hash chain).
        var history = (await FileManyAsync(ours, tokens, 1))[0];
        var version = 1;
        for (var i = 1; i < historyEvents; i++)
        {
            var submit = i % 2 == 1;
            using var request = Requests.Post($"/api/v1/cases/{history}/transitions", submit ? tokens.OfficerPk : tokens.OfficerGb,
                submit ? Requests.SubmitBody : Requests.ReturnBody, $"\"{version}\"");
            using var response = await ours.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"Seeding the history case failed at event {i + 1}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            version++;
        }

        // Real cursors of full pages of the PK partner's feed.
        var cursors = new List<string>();
        string? cursor = null;
        while (true)
        {
            using var request = Requests.Get(cursor is null ? "/api/v1/changes?limit=100" : $"/api/v1/changes?limit=100&cursor={cursor}", tokens.PartnerPk);
            using var response = await ours.SendAsync(request);
            var page = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            if (page["items"]!.AsArray().Count < 100) break;
            cursors.Add(cursor ?? "");
            cursor = (string)page["nextCursor"]!;
        }

        return new Fixture
        {
            ReadCases = reads,
            HistoryCase = history,
            FeedCursors = cursors,
            OursPool = new CasePool(oursPool, tokens, ours),
            BaselinePool = new CasePool(baselinePool, tokens, ours),
        };
    }

    private static async Task<List<Guid>> FileManyAsync(HttpClient ours, BenchTokens tokens, int count)
    {
        var ids = new Guid[count];
        using var gate = new SemaphoreSlim(8);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                using var request = Requests.Post("/api/v1/cases", tokens.OfficerPk, Encoding.UTF8.GetBytes(Requests.NewCase(i).ToJsonString()));
                using var response = await ours.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"Filing failed: {(int)response.StatusCode} {text}");
                ids[i] = Guid.Parse((string)JsonNode.Parse(text)!["id"]!);
            }
            finally
            {
                gate.Release();
            }
        }));
        return [.. ids];
    }

    public IReadOnlyList<Scenario> Scenarios(BenchTokens tokens)
    {
        var readCases = ReadCases;
        var cursors = FeedCursors;
        var history = HistoryCase;
        return
        [
            new("status-200", "Status poll, 200",
                (_, client) => ct => client.ExpectAsync(
                    new LoadRequest("GET", $"/api/v1/cases/{readCases[Random.Shared.Next(readCases.Count)]}/status", tokens.PartnerPk), HttpStatusCode.OK, ct)),
            new("status-304", "Status poll, 304 (If-None-Match)",
                (_, client) => ct => client.ExpectAsync(
                    new LoadRequest("GET", $"/api/v1/cases/{readCases[Random.Shared.Next(readCases.Count)]}/status", tokens.PartnerPk, IfNoneMatch: "\"1\""),
                    HttpStatusCode.NotModified, ct)),
            new("changes", "Change-feed page (limit 100)",
                (_, client) => ct =>
                {
                    var cursor = cursors[Random.Shared.Next(cursors.Count)];
                    var path = cursor.Length == 0 ? "/api/v1/changes?limit=100" : $"/api/v1/changes?limit=100&cursor={cursor}";
                    return client.ExpectAsync(new LoadRequest("GET", path, tokens.PartnerPk), HttpStatusCode.OK, ct);
                }),
            new("history", "History of a case with 1,000 events",
                (_, client) => ct => client.ExpectAsync(new LoadRequest("GET", $"/api/v1/cases/{history}/history", tokens.Auditor), HttpStatusCode.OK, ct)),
            // Issue 20: this wave's reads. Every fixture case's person is "محسن علی" with the alias "Mohsin Ali", so the
            // query matches hundreds of cases and the first page of 20 is ranked; the caseload report counts every case.
            new("search", "Search by name (q=Mohsin Ali, officer, first page)",
                (_, client) => ct => client.ExpectAsync(new LoadRequest("GET", "/api/v1/search?q=Mohsin%20Ali", tokens.OfficerPk), HttpStatusCode.OK, ct)),
            new("report-caseload", "Caseload report (auditor, every case)",
                (_, client) => ct => client.ExpectAsync(new LoadRequest("GET", "/api/v1/reports/caseload", tokens.Auditor), HttpStatusCode.OK, ct)),
            new("file", "File a case",
                (_, client) => ct => client.ExpectAsync(new LoadRequest("POST", "/api/v1/cases", tokens.OfficerPk, Requests.NewCaseBody), HttpStatusCode.Created, ct)),
            new("transition", "Transition a case (Submit / ReturnForCorrection, If-Match)",
                (system, client) =>
                {
                    var pool = system == SystemKind.Ours ? OursPool : BaselinePool;
                    return ct => pool.TransitionAsync(client, ct);
                }),
        ];
    }
}
