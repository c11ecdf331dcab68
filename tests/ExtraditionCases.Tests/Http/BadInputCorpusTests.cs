using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// Hostile and broken requests across every endpoint: each gets its expected 4xx with a problem body,
/// none gets a 500, and the database is exactly as it was (row counts and every history head).
/// </summary>
[TestFixture]
public sealed class BadInputCorpusTests
{
    private const string Json = "application/json";
    private const string MergePatch = "application/merge-patch+json";
    private const string CurrentTag = "\"2\"";

    private ApiFactory _api = null!;
    private string _caseId = null!;
    private string _snapshot = null!;

    public sealed record Attempt(string Name, string Method, string Path, string Token, int Expected)
    {
        public string? ContentType { get; init; }
        public string? Body { get; init; }
        public byte[]? RawBody { get; init; }
        public Dictionary<string, string> Headers { get; init; } = [];

        public override string ToString() => Name;
    }

    [OneTimeSetUp]
    public async Task SeedOneCase()
    {
        _api = new ApiFactory();
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        _caseId = c.Id;
        _snapshot = await SnapshotAsync();
    }

    [OneTimeTearDown]
    public void StopService() => _api.Dispose();

    [Test]
    public void The_corpus_holds_at_least_150_requests() => Assert.That(Corpus().Count(), Is.GreaterThanOrEqualTo(150));

    [TestCaseSource(nameof(Corpus))]
    public async Task Bad_input_gets_its_4xx_problem_and_changes_nothing(Attempt attempt)
    {
        var request = new HttpRequestMessage(new HttpMethod(attempt.Method), attempt.Path.Replace("{id}", _caseId, StringComparison.Ordinal));
        if (attempt.Token.Length > 0) request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {attempt.Token}");
        foreach (var (name, value) in attempt.Headers) request.Headers.TryAddWithoutValidation(name, value);
        var bytes = attempt.RawBody ?? (attempt.Body is null ? null : Encoding.UTF8.GetBytes(attempt.Body));
        if (bytes is not null)
        {
            request.Content = new ByteArrayContent(bytes);
            if (attempt.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", attempt.ContentType);
        }

        var response = await _api.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(attempt.Expected), text);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"), text);
            Assert.That((int?)JsonNode.Parse(text)?["status"], Is.EqualTo(attempt.Expected));
            Assert.That(await SnapshotAsync(), Is.EqualTo(_snapshot), "the database is unchanged");
        });
    }

    /// <summary>Row counts of every case table and each case's history head.</summary>
    private async Task<string> SnapshotAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_api.DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM Cases) || '/' || (SELECT COUNT(*) FROM CaseEvents) || '/' || (SELECT COUNT(*) FROM Deadlines)
                || '/' || (SELECT COUNT(*) FROM ChangeFeed) || '/' || (SELECT COUNT(*) FROM IdempotencyKeys)
                || '/' || COALESCE((SELECT group_concat(Id || ':' || Version || ':' || HeadHash, ',') FROM Cases), '')
            """;
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static readonly string Officer = Tokens.Officer("GB");
    private static readonly string Requesting = Tokens.Officer("PK");
    private static readonly string Partner = Tokens.Partner("GB");
    private static readonly string Auditor = Tokens.Auditor();

    private static string NewCaseWith(Action<JsonObject> change)
    {
        var body = Cases.NewCase();
        change(body);
        return body.ToJsonString();
    }

    private static string Transition(string trigger, JsonObject? data = null, Action<JsonObject>? change = null)
    {
        var body = new JsonObject { ["trigger"] = trigger };
        if (data is not null) body["data"] = data;
        change?.Invoke(body);
        return body.ToJsonString();
    }

    private static Attempt PostCase(string name, string body, int expected = 400) =>
        new(name, "POST", "/api/v1/cases", Requesting, expected) { ContentType = Json, Body = body };

    private static Attempt Fire(string name, string body, int expected = 400, string? ifMatch = CurrentTag) =>
        new(name, "POST", "/api/v1/cases/{id}/transitions", Officer, expected)
        {
            ContentType = Json, Body = body, Headers = ifMatch is null ? [] : new() { ["If-Match"] = ifMatch },
        };

    private static Attempt Patch(string name, string body, int expected = 400, string? ifMatch = CurrentTag, string contentType = MergePatch) =>
        new(name, "PATCH", "/api/v1/cases/{id}", Officer, expected)
        {
            ContentType = contentType, Body = body, Headers = ifMatch is null ? [] : new() { ["If-Match"] = ifMatch },
        };

    private static Attempt Extend(string name, string body, int expected = 400, string kind = "FullRequest", string? ifMatch = CurrentTag) =>
        new(name, "POST", $"/api/v1/cases/{{id}}/deadlines/{kind}/extensions", Officer, expected)
        {
            ContentType = Json, Body = body, Headers = ifMatch is null ? [] : new() { ["If-Match"] = ifMatch },
        };

    private static Attempt Get(string name, string path, int expected = 400, string? token = null) => new(name, "GET", path, token ?? Auditor, expected);

    public static IEnumerable<Attempt> Corpus()
    {
        const string validExtension = """{"dueAt":"2027-01-01T00:00:00Z","orderReference":"HC-1"}""";
        const string validTransition = """{"trigger":"ReceiveFullRequest","data":{"certificateReference":"S70-1"}}""";

        // Broken JSON, on every endpoint that takes a body.
        string[] broken = ["{", "{\"requestingState\":}", "{\"a\":1,}", "/* comment */ {}", "[1,2", "\"just a string\"", "nul", "{'single':'quotes'}", "\u0000"];
        foreach (var (text, i) in broken.Select((t, i) => (t, i)))
        {
            yield return PostCase($"broken JSON #{i} filing", text);
            yield return Fire($"broken JSON #{i} transition", text);
            yield return Patch($"broken JSON #{i} patch", text);
            yield return Extend($"broken JSON #{i} extension", text);
        }

        yield return PostCase("null body", "null");
        yield return PostCase("array body", "[]");
        yield return Patch("array patch", "[]");
        yield return PostCase("empty body", "");

        // Wrong types.
        yield return PostCase("requestingState as number", NewCaseWith(b => b["requestingState"] = 5));
        yield return PostCase("person as string", NewCaseWith(b => b["person"] = "Mohsin"));
        yield return PostCase("offences as object", NewCaseWith(b => b["offences"] = new JsonObject()));
        yield return PostCase("aliases as string", NewCaseWith(b => b["person"]!["aliases"] = "Mohsin"));
        yield return PostCase("maxPenaltyMonths as text", NewCaseWith(b => b["offences"]![0]!["maxPenaltyMonths"] = "ten"));
        yield return PostCase("deathPenalty as text", NewCaseWith(b => b["offences"]![0]!["deathPenalty"] = "no"));
        yield return PostCase("dateOfBirth as number", NewCaseWith(b => b["person"]!["dateOfBirth"] = 19800229));
        yield return PostCase("warrant as array", NewCaseWith(b => b["warrant"] = new JsonArray()));
        yield return Fire("trigger as number", """{"trigger":7}""");
        yield return Fire("data as array", """{"trigger":"Adjourn","data":[]}""");
        yield return Fire("note as object", """{"trigger":"Adjourn","data":{"ground":"UkCharge"},"note":{}}""");
        yield return Fire("occurredAt as number", """{"trigger":"Adjourn","data":{"ground":"UkCharge"},"occurredAt":123}""");
        yield return Fire("consent flag as text", Transition("RecordConsent", new JsonObject { ["written"] = "yes", ["legallyRepresented"] = true }));
        yield return Fire("reason as number", Transition("Withdraw", new JsonObject { ["reason"] = 42 }));
        yield return Extend("dueAt as number", """{"dueAt":5,"orderReference":"HC-1"}""");
        yield return Extend("orderReference as bool", """{"dueAt":"2027-01-01T00:00:00Z","orderReference":true}""");
        yield return Patch("patch person as number", """{"person":7}""");
        yield return Patch("patch offences as string", """{"offences":"many"}""");

        // Huge and out-of-range numbers.
        yield return PostCase("penalty beyond int", NewCaseWith(b => b["offences"]![0]!["maxPenaltyMonths"] = JsonNode.Parse("99999999999999999999")));
        yield return PostCase("penalty 1e400", NewCaseWith(b => b["offences"]![0]!["maxPenaltyMonths"] = JsonNode.Parse("1e400")));
        yield return PostCase("penalty negative", NewCaseWith(b => b["offences"]![0]!["maxPenaltyMonths"] = -1));
        yield return PostCase("penalty fractional", NewCaseWith(b => b["offences"]![0]!["maxPenaltyMonths"] = 2.5));
        yield return PostCase("penalty absurd", NewCaseWith(b => b["offences"]![0]!["maxPenaltyMonths"] = 100000));
        yield return Get("case list limit beyond long", "/api/v1/cases?limit=99999999999999999999");
        yield return Get("feed limit beyond long", "/api/v1/changes?limit=99999999999999999999");

        // Negative, zero and out-of-range limits.
        foreach (var path in new[] { "/api/v1/cases", "/api/v1/deadlines", "/api/v1/changes", "/api/v1/audit/events", "/api/v1/audit/access" })
        {
            yield return Get($"{path} limit 0", $"{path}?limit=0");
            yield return Get($"{path} limit -1", $"{path}?limit=-1");
            yield return Get($"{path} limit 1.5", $"{path}?limit=1.5");
            yield return Get($"{path} limit words", $"{path}?limit=ten");
            yield return Get($"{path} malformed cursor", $"{path}?cursor=%27%20OR%201%3D1--");
            yield return Get($"{path} base64 cursor of junk", $"{path}?cursor=anVuaw");
        }

        yield return Get("cases limit 201", "/api/v1/cases?limit=201");
        yield return Get("deadlines limit 201", "/api/v1/deadlines?limit=201");
        yield return Get("feed limit 1001", "/api/v1/changes?limit=1001");

        // Unknown enum values.
        yield return PostCase("unknown basis", NewCaseWith(b => b["basis"] = "Friendship"));
        yield return PostCase("unknown category", NewCaseWith(b => b["category"] = "Suspicion"));
        yield return PostCase("unknown offence category", NewCaseWith(b => b["offences"]![0]!["category"] = "Jaywalking"));
        yield return PostCase("enum in wrong case", NewCaseWith(b => b["basis"] = "treaty"));
        yield return PostCase("enum as number", NewCaseWith(b => b["basis"] = "0"));
        yield return Fire("unknown trigger", Transition("Teleport"));
        yield return Fire("unknown adjournment ground", Transition("Adjourn", new JsonObject { ["ground"] = "Boredom" }));
        yield return Fire("unknown discharge authority", Transition("Discharge", new JsonObject { ["by"] = "Police", ["ground"] = "x" }));
        yield return Extend("unknown clock kind", validExtension, kind: "Teatime");
        yield return Get("unknown state filter", "/api/v1/cases?state=Sleeping");
        yield return Get("unknown deadline status", "/api/v1/deadlines?status=Late");
        yield return Get("unknown diagram format", "/api/v1/workflow/diagram?format=png");
        yield return Get("overdue not a bool", "/api/v1/cases?overdue=yes");

        // Control characters and bidirectional overrides.
        yield return PostCase("NUL in name", NewCaseWith(b => b["person"]!["fullName"] = "Mohsin\u0000Ali"));
        yield return PostCase("bell in alias", NewCaseWith(b => b["person"]!["aliases"] = new JsonArray("M\u0007")));
        yield return PostCase("escape in authority", NewCaseWith(b => b["requestingAuthority"] = "\u001b[31mMOI"));
        yield return PostCase("newline in name", NewCaseWith(b => b["person"]!["fullName"] = "Mohsin\nAli"));
        yield return Fire("NUL in reason", Transition("Withdraw", new JsonObject { ["reason"] = "x\u0000y" }), expected: 400);
        yield return Fire("escape in note", Transition("Adjourn", new JsonObject { ["ground"] = "UkCharge" }, b => b["note"] = "\u001b]0;pwned\u0007"));
        yield return PostCase("RLO in name", NewCaseWith(b => b["person"]!["fullName"] = "محسن\u202Eexe.gpj"));
        yield return PostCase("RLE in alias", NewCaseWith(b => b["person"]!["aliases"] = new JsonArray("\u202BMohsin")));
        yield return PostCase("isolate in warrant reference", NewCaseWith(b => b["warrant"]!["reference"] = "ATC\u2066-17\u2069"));
        yield return Fire("RLO in certificate reference", Transition("ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70\u202E1" }));
        yield return Patch("RLO in patched name", """{"person":{"fullName":"Ali\u202Eila"}}""");

        // SQL and script injection into fields that have a shape.
        yield return PostCase("SQL in requesting state", NewCaseWith(b => b["requestingState"] = "PK'; DROP TABLE Cases;--"));
        yield return PostCase("SQL in basis", NewCaseWith(b => b["basis"] = "Treaty' OR '1'='1"));
        yield return PostCase("script in nationality", NewCaseWith(b => b["person"]!["nationality"] = "<script>alert(1)</script>"));
        yield return PostCase("script in date of birth", NewCaseWith(b => b["person"]!["dateOfBirth"] = "<img src=x onerror=alert(1)>"));
        yield return PostCase("SQL in received at", NewCaseWith(b => b["receivedAt"] = "2026-01-01' OR 1=1--"));
        yield return Fire("SQL in trigger", Transition("Submit; DELETE FROM CaseEvents"));
        yield return Fire("SQL in occurredAt", Transition("Adjourn", new JsonObject { ["ground"] = "UkCharge" }, b => b["occurredAt"] = "'; DROP TABLE Deadlines;--"));
        yield return Extend("SQL in clock kind", validExtension, kind: "FullRequest'--");
        yield return Get("SQL in state filter", "/api/v1/cases?state=Draft%27%20OR%201%3D1--");
        yield return Get("SQL in country filter", "/api/v1/cases?requestingState=PK%27--");
        yield return Get("SQL in audit case id", "/api/v1/audit/events?caseId=1%20OR%201%3D1");
        yield return Get("SQL in access case id", "/api/v1/audit/access?caseId=%27%3B--");
        yield return Get("SQL in route id", "/api/v1/cases/1%3BDROP%20TABLE%20Cases/status", expected: 404);
        yield return Get("script in route id", "/api/v1/cases/%3Cscript%3E/history", expected: 404);

        // Overlong strings.
        yield return PostCase("name of 301 characters", NewCaseWith(b => b["person"]!["fullName"] = new string('م', 301)));
        yield return PostCase("statute of 501 characters", NewCaseWith(b => b["offences"]![0]!["statute"] = new string('s', 501)));
        yield return PostCase("description of 2001 characters", NewCaseWith(b => b["offences"]![0]!["description"] = new string('d', 2001)));
        yield return PostCase("21 aliases", NewCaseWith(b => b["person"]!["aliases"] = new JsonArray([.. Enumerable.Range(0, 21).Select(i => (JsonNode)$"a{i}")])));
        yield return PostCase("51 offences", NewCaseWith(b => b["offences"] = new JsonArray([.. Enumerable.Range(0, 51).Select(i => (JsonNode)new JsonObject { ["description"] = $"c{i}" })])));
        yield return Fire("note of 2001 characters", Transition("Adjourn", new JsonObject { ["ground"] = "UkCharge" }, b => b["note"] = new string('n', 2001)));
        yield return Fire("reason of 501 characters", Transition("Withdraw", new JsonObject { ["reason"] = new string('r', 501) }));
        yield return Extend("order reference of 501 characters", $$"""{"dueAt":"2027-01-01T00:00:00Z","orderReference":"{{new string('o', 501)}}"}""");
        yield return Get("actor subject of 201 characters", $"/api/v1/audit/events?actorSubject={new string('x', 201)}");
        yield return new Attempt("idempotency key of 256 characters", "POST", "/api/v1/cases", Requesting, 400)
        {
            ContentType = Json, Body = Cases.NewCase().ToJsonString(), Headers = new() { ["Idempotency-Key"] = new string('k', 256) },
        };
        yield return new Attempt("idempotency key with spaces", "POST", "/api/v1/cases/{id}/transitions", Officer, 400)
        {
            ContentType = Json, Body = validTransition, Headers = new() { ["Idempotency-Key"] = "two words", ["If-Match"] = CurrentTag },
        };

        // Dates and instants.
        yield return PostCase("receivedAt in words", NewCaseWith(b => b["receivedAt"] = "yesterday"));
        yield return PostCase("receivedAt in the future", NewCaseWith(b => b["receivedAt"] = "2099-01-01T00:00:00Z"));
        yield return PostCase("receivedAt without offset", NewCaseWith(b => b["receivedAt"] = "2026-08-01T09:30:00"));
        yield return PostCase("date of birth 30 February", NewCaseWith(b => b["person"]!["dateOfBirth"] = "1980-02-30"));
        yield return PostCase("warrant date in US form", NewCaseWith(b => b["warrant"]!["issuedOn"] = "01/15/2026"));
        yield return Fire("occurredAt 30 February", Transition("Adjourn", new JsonObject { ["ground"] = "UkCharge" }, b => b["occurredAt"] = "2026-02-30T00:00:00Z"));
        yield return Fire("scheduledFor not an instant", Transition("ArrangeSurrender", new JsonObject { ["scheduledFor"] = "next week" }));
        yield return Extend("dueAt not an instant", """{"dueAt":"soon","orderReference":"HC-1"}""");
        yield return Get("dueBefore month 13", "/api/v1/deadlines?dueBefore=2026-13-01T00:00:00Z");
        yield return Get("audit from not a date", "/api/v1/audit/events?from=not-a-date");
        yield return Get("access to not a date", "/api/v1/audit/access?to=2026-11-20");

        // Unknown and duplicate members, depth and size.
        yield return PostCase("unknown member", NewCaseWith(b => b["favouriteColour"] = "green"));
        yield return PostCase("unknown nested member", NewCaseWith(b => b["person"]!["shoeSize"] = 9));
        yield return PostCase("duplicate member", """{"requestingState":"PK","requestingState":"GB"}""");
        yield return Fire("duplicate trigger", """{"trigger":"Arrest","trigger":"Submit"}""");
        yield return Fire("duplicate member inside data", """{"trigger":"Withdraw","data":{"reason":"a","reason":"b"}}""");
        yield return Patch("duplicate member in a patch", """{"requestingAuthority":"a","requestingAuthority":"b"}""");
        yield return Patch("duplicate member nested in a patch", """{"person":{"fullName":"a","fullName":"b"}}""");
        yield return Patch("patch of the received date", """{"receivedAt":"2026-01-01T00:00:00Z"}""");
        yield return Fire("unknown data member", Transition("Adjourn", new JsonObject { ["ground"] = "UkCharge", ["mood"] = "calm" }));
        yield return Fire("unknown top-level member", Transition("Adjourn", new JsonObject { ["ground"] = "UkCharge" }, b => b["by"] = "me"));
        yield return Extend("unknown extension member", """{"dueAt":"2027-01-01T00:00:00Z","orderReference":"HC-1","judge":"X"}""");
        yield return Patch("patch of the id", """{"id":"00000000-0000-0000-0000-000000000000"}""");
        yield return Patch("patch of the state", """{"state":"Surrendered"}""");
        yield return Patch("patch of the version", """{"version":99}""");
        yield return Patch("patch of the requested state", """{"requestedState":"FR"}""");
        yield return Patch("patch of the reference", """{"reference":"EXT-0"}""");
        yield return Patch("patch removing the name", """{"person":{"fullName":null}}""");
        yield return Patch("patch with an unknown member", """{"tattoos":"none"}""");
        yield return PostCase("nested 40 deep", "{\"person\":" + string.Concat(Enumerable.Repeat("{\"a\":", 40)) + "1" + new string('}', 41));
        yield return new Attempt("body of 300 KiB", "POST", "/api/v1/cases", Requesting, 413)
        {
            ContentType = Json, Body = "{\"requestingAuthority\":\"" + new string('x', 300 * 1024) + "\"}",
        };
        yield return Fire("transition body of 300 KiB", "{\"note\":\"" + new string('x', 300 * 1024) + "\"}", expected: 413);

        // Wrong or missing content types.
        foreach (var (contentType, i) in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" }.Select((c, i) => (c, i)))
        {
            yield return new Attempt($"filing as {contentType}", "POST", "/api/v1/cases", Requesting, 415) { ContentType = contentType, Body = Cases.NewCase().ToJsonString() };
            yield return new Attempt($"transition as {contentType}", "POST", "/api/v1/cases/{id}/transitions", Officer, 415)
            {
                ContentType = contentType, Body = validTransition, Headers = new() { ["If-Match"] = CurrentTag },
            };
            if (i < 2) yield return Patch($"patch as {contentType}", """{"requestingAuthority":"MOI"}""", expected: 415, contentType: contentType);
        }

        yield return new Attempt("filing without content type", "POST", "/api/v1/cases", Requesting, 415) { RawBody = Encoding.UTF8.GetBytes(Cases.NewCase().ToJsonString()) };
        yield return Patch("patch as json-patch", """[{"op":"remove","path":"/person"}]""", expected: 415, contentType: "application/json-patch+json");
        yield return Extend("extension as text", validExtension, expected: 400) with { ContentType = "text/plain", Expected = 415 };

        // Missing and malformed If-Match.
        yield return Fire("transition without If-Match", validTransition, expected: 428, ifMatch: null);
        yield return Fire("transition with If-Match *", validTransition, expected: 428, ifMatch: "*");
        yield return Fire("transition with a stale tag", validTransition, expected: 412, ifMatch: "\"1\"");
        yield return Fire("transition with a weak tag", validTransition, expected: 412, ifMatch: "W/\"2\"");
        yield return Fire("transition with an unquoted tag", validTransition, expected: 412, ifMatch: "2");
        yield return Fire("transition with garbage tag", validTransition, expected: 412, ifMatch: "\"2\"; DROP");
        yield return Patch("patch without If-Match", """{"requestingAuthority":"MOI"}""", expected: 428, ifMatch: null);
        yield return Patch("patch with If-Match *", """{"requestingAuthority":"MOI"}""", expected: 428, ifMatch: "*");
        yield return Patch("patch with a future tag", """{"requestingAuthority":"MOI"}""", expected: 412, ifMatch: "\"3\"");
        yield return Extend("extension without If-Match", validExtension, expected: 428, ifMatch: null);
        yield return Extend("extension with a stale tag", validExtension, expected: 412, ifMatch: "\"1\"");

        // Tokens: invalid, expired, forged, misaddressed, unsigned, missing claims.
        var claims = new Dictionary<string, object> { ["role"] = "officer", ["country"] = "GB", ["sub"] = "mallory" };
        var tokens = new (string Name, string Token)[]
        {
            ("garbage token", "not-a-jwt"),
            ("truncated token", Officer[..^10]),
            ("expired token", Tokens.Mint(claims, notBefore: DateTime.UtcNow.AddHours(-3), expires: DateTime.UtcNow.AddHours(-2))),
            ("token not yet valid", Tokens.Mint(claims, notBefore: DateTime.UtcNow.AddHours(2), expires: DateTime.UtcNow.AddHours(3))),
            ("token signed with another key", Tokens.Mint(claims, key: new byte[32])),
            ("token from another issuer", Tokens.Mint(claims, issuer: "https://evil.example")),
            ("token for another audience", Tokens.Mint(claims, audience: "https://other.example")),
            ("unsigned token", UnsignedToken()),
        };
        foreach (var (name, token) in tokens)
        {
            yield return new Attempt($"{name} reading a case", "GET", "/api/v1/cases/{id}", token, 401);
            yield return new Attempt($"{name} filing", "POST", "/api/v1/cases", token, 401) { ContentType = Json, Body = Cases.NewCase().ToJsonString() };
        }

        yield return new Attempt("no token on the feed", "GET", "/api/v1/changes", "", 401);
        yield return new Attempt("no token on a transition", "POST", "/api/v1/cases/{id}/transitions", "", 401) { ContentType = Json, Body = validTransition };
        var noRole = Tokens.Mint(new() { ["country"] = "GB", ["sub"] = "no-role" });
        var unknownRole = Tokens.Mint(new() { ["role"] = "admin", ["country"] = "GB", ["sub"] = "root" });
        var noCountry = Tokens.Mint(new() { ["role"] = "officer", ["sub"] = "stateless" });
        var noSubject = Tokens.Mint(new() { ["role"] = "auditor", ["country"] = "GB" });
        yield return new Attempt("token without a subject", "GET", "/api/v1/cases/{id}", noSubject, 401);
        yield return new Attempt("token without a role reads a case", "GET", "/api/v1/cases/{id}", noRole, 403);
        yield return new Attempt("token with an unknown role files", "POST", "/api/v1/cases", unknownRole, 403) { ContentType = Json, Body = Cases.NewCase().ToJsonString() };
        yield return new Attempt("officer without a country files", "POST", "/api/v1/cases", noCountry, 403) { ContentType = Json, Body = Cases.NewCase().ToJsonString() };
        yield return new Attempt("officer without a country reads", "GET", "/api/v1/cases/{id}", noCountry, 404);
        yield return new Attempt("partner lists cases", "GET", "/api/v1/cases", Partner, 403);
        yield return new Attempt("partner reads history", "GET", "/api/v1/cases/{id}/history", Partner, 403);
        yield return new Attempt("partner fires a trigger", "POST", "/api/v1/cases/{id}/transitions", Partner, 403) { ContentType = Json, Body = validTransition };
        yield return new Attempt("auditor patches", "PATCH", "/api/v1/cases/{id}", Auditor, 403) { ContentType = MergePatch, Body = "{}" };
        yield return new Attempt("officer reads the access log", "GET", "/api/v1/audit/access", Officer, 403);
        yield return new Attempt("third-state officer fires with a bad body", "POST", "/api/v1/cases/{id}/transitions", Tokens.Officer("FR"), 404)
        {
            ContentType = Json, Body = "{", Headers = new() { ["If-Match"] = CurrentTag },
        };
        yield return new Attempt("officer files between two other states", "POST", "/api/v1/cases", Officer, 403)
        {
            ContentType = Json, Body = Cases.NewCase("PK", "US").ToJsonString(),
        };

        // Workflow refusals that must leave no trace.
        yield return Fire("trigger not permitted in the state", Transition("Surrender"), expected: 409);
        yield return new Attempt("requesting state fires a requested-state trigger", "POST", "/api/v1/cases/{id}/transitions", Requesting, 403)
        {
            ContentType = Json, Body = validTransition, Headers = new() { ["If-Match"] = CurrentTag },
        };
        yield return Fire("consent without representation", Transition("RecordConsent", new JsonObject { ["written"] = true, ["legallyRepresented"] = false }), expected: 422);
        yield return Fire("transition dated in the future", Transition("ReceiveFullRequest", new JsonObject { ["certificateReference"] = "S70-1" }, b => b["occurredAt"] = "2026-11-21T10:00:00Z"), expected: 422);
        yield return Extend("extension of a clock not running", validExtension, expected: 409, kind: "HearingStart");
        yield return new Attempt("unknown case status", "GET", $"/api/v1/cases/{Guid.NewGuid()}/status", Auditor, 404);
        yield return new Attempt("unknown case transition", "POST", $"/api/v1/cases/{Guid.NewGuid()}/transitions", Officer, 404) { ContentType = Json, Body = validTransition };
    }

    private static string UnsignedToken()
    {
        static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        return $"{Segment("{\"alg\":\"none\",\"typ\":\"JWT\"}")}.{Segment($"{{\"role\":\"officer\",\"country\":\"GB\",\"sub\":\"x\",\"iss\":\"{Tokens.Issuer}\",\"aud\":\"{Tokens.Audience}\",\"exp\":{exp}}}")}.";
    }
}
