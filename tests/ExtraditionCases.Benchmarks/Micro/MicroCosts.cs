using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Benchmarks.Hosting;
using ExtraditionCases.Benchmarks.Load;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Access;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Transparency;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Benchmarks.Micro;

/// <summary>
/// Where a request's CPU goes: single-threaded timings of the per-request steps of the service's
/// hot paths, called in process through their public APIs (no HTTP, no database). Explains the
/// ours/baseline ratios; not a load test.
/// </summary>
internal static class MicroCosts
{
    public static async Task RunAsync(int iterations, bool tokensOnly = false, bool accessLogOnly = false)
    {
        if (tokensOnly)
        {
            await TokensAsync(iterations);
            return;
        }

        if (accessLogOnly)
        {
            await AccessLogAsync();
            return;
        }

        var file = JsonSerializer.Deserialize<CaseFileInput>(Requests.NewCase(1).ToJsonString(), CaseJson.Options)!.ToCaseFile();
        var rules = new DeadlineOptions().RulesFor("PK", "GB");
        var now = DateTimeOffset.UtcNow;
        var filed = ExtraditionCase.FileNew(Guid.CreateVersion7(now), "EXT-2026-000001", file, now, now, rules);
        var caller = new Caller("bench-officer-PK", Caller.Officer, "PK", "MOI", "bench-issuer");
        var source = new RequestSource("0af7651916cd43dd8448eb211c80319c", "127.0.0.1");
        var fileJson = JsonSerializer.Serialize(file, CaseJson.Options);
        var factsJson = JsonSerializer.Serialize(filed.Facts, CaseJson.Options);
        var fileData = JsonSerializer.SerializeToNode(file, CaseJson.Options)!.AsObject();
        var filedEvent = CaseEvent.Create(filed.Changes[0], 1, now, caller, source, fileData, CaseEvent.GenesisHash);

        ExtraditionCase Restore() => ExtraditionCase.Restore(filed.Id, filed.Reference, file, CaseState.Draft, now, 1, now, now, now,
            JsonSerializer.Deserialize<WorkflowFacts>(factsJson, CaseJson.Options)!, [], rules);

        Console.WriteLine($"Per-operation costs, one thread, {iterations:N0} iterations after a warm-up (µs and bytes allocated per operation):\n");
        Measure("Load: deserialise the stored case file and workflow facts", iterations, () =>
        {
            JsonSerializer.Deserialize<CaseFile>(fileJson, CaseJson.Options);
            JsonSerializer.Deserialize<WorkflowFacts>(factsJson, CaseJson.Options);
        });
        Measure("Load: ExtraditionCase.Restore (the thread's Stateless machine, configured once, bound per call)", iterations, () => Restore());
        Measure("Transition: Restore + Fire(Submit) (guards, time order, clocks)", iterations, () =>
            Restore().Fire(WorkflowTrigger.Submit, new TransitionContext(now, null, TriggerData.Empty), CaseSide.Requesting, now));
        var loaded = Restore();
        Measure("Response: CaseView.Of (allowedActions: CanFire over the state's triggers)", iterations, () => CaseView.Of(loaded, caller, now));
        Measure("Load + response: Restore, then CaseView.Of (what a case read does)", iterations, () => CaseView.Of(Restore(), caller, now));
        var view = CaseView.Of(loaded, caller, now);
        Measure("Response: serialise the CaseView (CaseJson options)", iterations, () => JsonSerializer.SerializeToUtf8Bytes(view, CaseJson.Options));
        Measure("Event: CaseEvent.Create, Transitioned (JSON tree, JCS, SHA-256)", iterations, () =>
            CaseEvent.Create(new CaseChange(CaseChange.Transitioned, WorkflowTrigger.Submit, CaseState.Draft, CaseState.UnderReview, now, null),
                2, now, caller, source, [], filedEvent.Hash));
        Measure("Event: CaseEvent.Create, CaseFiled (the case file as data)", iterations, () =>
            CaseEvent.Create(filed.Changes[0], 1, now, caller, source, JsonSerializer.SerializeToNode(file, CaseJson.Options)!.AsObject(), CaseEvent.GenesisHash));
        Measure("Save: serialise case file, facts and event data", iterations, () =>
        {
            JsonSerializer.Serialize(file, CaseJson.Options);
            JsonSerializer.Serialize(filed.Facts, CaseJson.Options);
            filedEvent.Data.ToJsonString(CaseJson.Options);
        });

        // The history of a 1,000-event case as GetHistory answers it: parse each stored data column into
        // a JSON tree, serialise the typed view (events as records, their data as stored).
        var stored = Enumerable.Range(0, 1000).Select(i => (i == 0 ? filedEvent.Data : []).ToJsonString(CaseJson.Options)).ToArray();
        var events = stored.Select((data, i) => filedEvent with { Sequence = i + 1, Data = JsonNode.Parse(data)!.AsObject() }).ToList();
        Measure("History (1,000 events): parse stored data, serialise the view (before issue 20)", Math.Max(20, iterations / 200), () =>
        {
            var rows = stored.Select((data, i) => filedEvent with { Sequence = i + 1, Data = JsonNode.Parse(data)!.AsObject() }).ToList();
            JsonSerializer.SerializeToUtf8Bytes(new GetHistory.View(filed.Id, rows[^1].Hash, rows), CaseJson.Options);
        });
        var sink = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        // A change-feed page of 100 through the serializer, instants parsed from the stored text (before issue 20's third
        // round); the streamed page is measured from a database below (StatusAndFeedReadsAsync).
        var feedRows = Enumerable.Range(1, 100).Select(i => new GetChanges.StoredItem
        {
            Seq = i, CaseId = filed.Id, Reference = filed.Reference, Version = i, State = "UnderReview", Type = "Transitioned",
            OccurredAt = Domain.Instant.ToText(now), RecordedAt = Domain.Instant.ToText(now),
        }).ToList();
        Measure("Feed page (100 items): parse instants, serialise the typed page (before issue 20's third round)", iterations / 10, () =>
        {
            sink.ResetWrittenCount();
            using var writer = new Utf8JsonWriter(sink, GetChanges.StreamedPage.WriterOptions);
            var page = new GetChanges.Page([.. feedRows.Select(r => r.ToFeedItem()).Select(i => new GetChanges.Item(i.CaseId, i.Reference, i.Version, i.State, i.Type, i.OccurredAt, i.RecordedAt))],
                GetChanges.WriteCursor(100));
            JsonSerializer.Serialize(writer, page, CaseJson.Options);
        });
        Measure("History verify (1,000 events): recompute every hash", Math.Max(20, iterations / 200), () =>
        {
            foreach (var e in events) e.ComputeHash();
        });

        await StatusAndFeedReadsAsync(iterations, sink);
        await SearchFromDatabaseAsync(Math.Max(20, iterations / 20));
        await HistoryFromDatabaseAsync(Math.Max(20, iterations / 200), sink);
        await TokensAsync(iterations);
        await PipelineAsync(iterations);
        await AccessLogAsync();
    }

    /// <summary>
    /// MediatR with the service's own registrations (AddApplication: logging, validation and
    /// transaction behaviors), a DI scope per request as ASP.NET Core makes one, against calling the
    /// same handler directly; the database session is a stub answering from memory.
    /// </summary>
    private static async Task PipelineAsync(int iterations)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddApplication();
        services.AddScoped<IDatabaseSession, StubSession>();
        services.AddScoped<IIdempotencyStore, StubIdempotency>(); // resolved by the idempotency behaviors; unused by queries
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var query = new GetCaseStatus.Query(new Caller("bench-partner-PK", Caller.Partner, "PK", "FIA", "bench-issuer"), Guid.NewGuid(), new KnownVersions(false, new HashSet<int> { 3 }));
        var direct = new GetCaseStatus.Handler(new StubSession(), TimeProvider.System);
        await MeasureAsync("Status 304 handler called directly", iterations, () => direct.Handle(query, CancellationToken.None));
        await MeasureAsync("Status 304 through IMediator.Send (the behaviors that apply to a read, DI scope per request)", iterations, async () =>
        {
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(query);
        });
    }

    /// <summary>
    /// The history of a seeded 1,000-event case read from a SQLite file: the endpoint's way (the handler's head and
    /// transparency reads, then the events streamed from the statement into the writer, issue 20) against reading the
    /// rows as objects through Dapper (the way before). Allocation is the whole process's, per request.
    /// </summary>
    private static async Task HistoryFromDatabaseAsync(int iterations, System.Buffers.ArrayBufferWriter<byte> sink)
    {
        var folder = Paths.NewTempFolder("micro-history");
        try
        {
            var database = Path.Combine(folder, "history.db");
            await Seeding.Seeder.SeedAsync(database, cases: 1, events: 1650, overdueShare: 0, seed: 7, TextWriter.Null);
            var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={database}" };
            Infrastructure.DependencyInjection.AddInfrastructure(new ServiceCollection(), options); // registers Dapper's GUID and instant handlers
            using var gate = new SqliteWriterGate();
            using var keys = new TransparencyKeys(new TransparencyOptions());
            await using var session = new DatabaseSession(options, gate);
            var id = Guid.Parse((await session.QuerySingleOrDefaultAsync<string>(new SqlStatement("SELECT Id FROM Cases", "SELECT Id FROM dbo.Cases;"), null, CancellationToken.None))!);
            // The seeder gives each event its leaves as the service does (the auditors' tree and each party's), which the
            // history's transparency member lists.
            var auditor = new Caller("bench-auditor", Caller.Auditor, "GB", "AUDIT", "bench-issuer");
            var handler = new GetHistory.Handler(session, keys);
            var events = (await handler.Handle(new GetHistory.StoredQuery(auditor, id), CancellationToken.None)).Through;
            await MeasureAsync($"History ({events:N0} events, their leaves, no checkpoint) from SQLite: the endpoint's handler, then the events streamed into the writer", iterations, async () =>
            {
                sink.ResetWrittenCount();
                var stored = await handler.Handle(new GetHistory.StoredQuery(auditor, id), CancellationToken.None);
                await using var writer = new Utf8JsonWriter(sink, GetHistory.Stored.WriterOptions);
                await stored.WriteTo(writer, CancellationToken.None);
            });
            await MeasureAsync($"History ({events:N0} events) from SQLite: only reading the rows as objects through Dapper (before; no writing)", iterations, async () =>
                await session.QueryAsync<GetHistory.EventRow>(GetHistory.Sql.CaseEvents, new { CaseId = id }, CancellationToken.None));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A conditional status poll's one read (GetCaseStatus.Sql.Head) through a request's session on a seeded file: the
    /// connection opened from Microsoft.Data.Sqlite's pool per session (its pragmas run, the statement compiled again),
    /// against one rented from the kept-open read connections (<see cref="SqliteReaders"/>, issue 20). Then a change-feed
    /// page of 100: its rows read as objects through Dapper and the typed page serialised, against streamed from the
    /// statement into the writer (issue 20, sixth round).
    /// </summary>
    private static async Task StatusAndFeedReadsAsync(int iterations, System.Buffers.ArrayBufferWriter<byte> sink)
    {
        var folder = Paths.NewTempFolder("micro-status");
        try
        {
            var database = Path.Combine(folder, "status.db");
            await Seeding.Seeder.SeedAsync(database, cases: 200, events: 4, overdueShare: 0, seed: 7, TextWriter.Null);
            var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={database}" };
            Infrastructure.DependencyInjection.AddInfrastructure(new ServiceCollection(), options);
            using var gate = new SqliteWriterGate();
            using var readers = new SqliteReaders();
            Guid id;
            await using (var first = new DatabaseSession(options, gate))
                id = Guid.Parse((await first.QuerySingleOrDefaultAsync<string>(new SqlStatement("SELECT Id FROM Cases LIMIT 1", "SELECT TOP 1 Id FROM dbo.Cases;"), null, CancellationToken.None))!);
            await MeasureAsync("Status 304's read through a session: a connection opened per session (before)", iterations, async () =>
            {
                await using var session = new DatabaseSession(options, gate);
                await GetCaseStatus.HeadAsync(session, id, CancellationToken.None);
            });
            await MeasureAsync("Status 304's read through a session: a kept-open read connection, statement compiled", iterations, async () =>
            {
                await using var session = new DatabaseSession(options, gate, readers);
                await GetCaseStatus.HeadAsync(session, id, CancellationToken.None);
            });

            var auditor = new Caller("bench-auditor", Caller.Auditor, "GB", "AUDIT", "bench-issuer");
            await using var feedSession = new DatabaseSession(options, gate, readers);
            var feed = new GetChanges.Handler(feedSession);
            await MeasureAsync("Feed page (100 items) from SQLite: rows read as objects through Dapper, the typed page serialised", iterations / 4, async () =>
            {
                sink.ResetWrittenCount();
                var page = await feed.Handle(new GetChanges.Query(auditor, 100, 100), CancellationToken.None);
                using var writer = new Utf8JsonWriter(sink, GetChanges.StreamedPage.WriterOptions);
                JsonSerializer.Serialize(writer, page, CaseJson.Options);
            });
            await MeasureAsync("Feed page (100 items) from SQLite: streamed from the statement into the writer", iterations / 4, async () =>
            {
                sink.ResetWrittenCount();
                var page = await feed.Handle(new GetChanges.StoredQuery(auditor, 100, 100), CancellationToken.None);
                await using var writer = new Utf8JsonWriter(sink, GetChanges.StreamedPage.WriterOptions);
                await page.WriteTo(writer, CancellationToken.None);
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// A two-token name search on a seeded 1,000-case file: the service's handler through a session on a kept-open read
    /// connection (rank statement included, the page grouped and its cursor written), against the baseline's way (a
    /// connection opened per request, the same two statements through Dapper, compiled per call). Serialisation and the
    /// pipeline are left out: this is the data layer's share.
    /// </summary>
    private static async Task SearchFromDatabaseAsync(int iterations)
    {
        var folder = Paths.NewTempFolder("micro-search");
        try
        {
            var database = Path.Combine(folder, "search.db");
            await Seeding.Seeder.SeedAsync(database, cases: 1000, events: 10_000, overdueShare: 0, seed: 42, TextWriter.Null);
            var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={database}" };
            Infrastructure.DependencyInjection.AddInfrastructure(new ServiceCollection(), options);
            using var gate = new SqliteWriterGate();
            using var readers = new SqliteReaders();
            var officer = new Caller("bench-officer-PK", Caller.Officer, "PK", "MOI", "bench-issuer");
            const string q = "Muhammad Khan";
            var found = 0;
            await MeasureAsync($"Search '{q}' (officer PK): the handler through a session on a kept-open connection", iterations, async () =>
            {
                await using var session = new DatabaseSession(options, gate, readers);
                found = (await new Application.Features.Search.SearchCases.Handler(session).Handle(
                    new Application.Features.Search.SearchCases.Query(officer, q, Application.Features.Search.SearchCases.DefaultLimit, null), CancellationToken.None)).Items.Count;
            });
            await MeasureAsync($"Search '{q}' (officer PK): the baseline's statements, a connection opened per request ({found} cases)", iterations, async () =>
            {
                var tokens = Application.Features.Search.SearchText.Tokens(q);
                await using var connection = await ConnectionFactory.OpenAsync(options, CancellationToken.None);
                var json = JsonSerializer.Serialize(tokens);
                var hits = (await Dapper.SqlMapper.QueryAsync<(string Token, int Hits)>(connection, Application.Features.Search.SearchCases.Sql.TokenHits.Sqlite,
                    new { Tokens = json, Cap = Application.Features.Search.SearchCases.Sql.HitCap })).ToList();
                var driver = hits.OrderBy(h => h.Hits).ThenBy(h => h.Token, StringComparer.Ordinal).First().Token;
                await Dapper.SqlMapper.QueryAsync(connection, Application.Features.Search.SearchCases.Sql.Search.Sqlite, new
                {
                    Driver = driver, Cap = Application.Features.Search.SearchCases.Sql.RankCap, Tokens = json, TokenCount = tokens.Count,
                    Compact = Application.Features.Search.SearchText.Compact(q), Country = "PK", Limit = Application.Features.Search.SearchCases.DefaultLimit + 1,
                    AfterScore = int.MaxValue, AfterCaseId = Guid.Empty.ToString("D"),
                });
            });
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The access log's background writer: entries per second it can store, and its cost per entry.</summary>
    private static async Task AccessLogAsync()
    {
        var folder = Paths.NewTempFolder("micro");
        try
        {
            var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(folder, "access.db")}" };
            new Migrator(options, NullLogger<Migrator>.Instance).Migrate();
            using var gate = new SqliteWriterGate();
            var log = new AccessLog(options, gate, NullLogger<AccessLog>.Instance);
            await log.StartAsync(CancellationToken.None);
            const int Entries = 50_000;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < Entries; i++)
            {
                // A place in the bounded queue first, as the middleware takes one (it answers 503 when none is free):
                // recording past the bound drops the entry, and every entry here must be stored.
                while (!log.TryAdmit()) await Task.Delay(1);
                log.Record(new AccessEntry(DateTimeOffset.UtcNow, "bench-partner-PK", Caller.Partner, "PK", Guid.NewGuid(), "GET",
                    "/api/v1/cases/{id:guid}/status", 304, "0af7651916cd43dd8448eb211c80319c", "127.0.0.1"), admitted: true);
            }

            await log.StopAsync(CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| Access log: record and store one entry (batches of up to 500, one transaction each) | {used.TotalMilliseconds * 1000 / Entries:0.0} µs CPU | {Entries / elapsed.TotalSeconds:N0} entries/s |"));

            // The checkpoint publisher integrating those 50,000 access leaves: the background cost each logged request
            // leaves behind (the load benchmark runs both systems without a signing key, so no publisher runs there).
            using var keys = new TransparencyKeys(new TransparencyOptions { SigningKey = TransparencyKeys.Generate("bench-log").PrivateKey });
            var publisher = new CheckpointPublisher(options, gate, keys, new TransparencyOptions(), new TransparencyStatus(),
                TimeProvider.System, NullLogger<CheckpointPublisher>.Instance);
            cpu = Process.GetCurrentProcess().TotalProcessorTime;
            started = Stopwatch.GetTimestamp();
            var published = await publisher.PublishAsync(CancellationToken.None);
            elapsed = Stopwatch.GetElapsedTime(started);
            used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var leaves = Math.Max(1, published.Sum(c => c.TreeSize));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| Checkpoint publisher: integrate one leaf ({leaves:N0} in one round, {CheckpointPublisher.LeafBatch} per writer-gate transaction) | {used.TotalMilliseconds * 1000 / leaves:0.0} µs CPU | {leaves / elapsed.TotalSeconds:N0} leaves/s |"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class StubIdempotency : IIdempotencyStore
    {
        public Task<StoredResponse?> FindAsync(Caller caller, string key, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult<StoredResponse?>(null);

        public Task SaveAsync(Caller caller, string key, StoredResponse response, DateTimeOffset createdAt, DateTimeOffset expiresAt,
            CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken) => Task.FromResult(0);
    }

    private sealed class StubSession : IDatabaseSession
    {
        public Task BeginAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task BeginBatchAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CommitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RollbackAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<IReadOnlyList<T>> QueryAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The status poll runs single-row reads only.");

        /// <summary>The status poll's head read, answered from memory: case version 3 between PK and GB.</summary>
        public Task<T?> QuerySingleOrDefaultAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            Task.FromResult((T?)(object)Head);

        public Task<int> ExecuteAsync(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The status poll writes nothing.");

        public Task StreamAsync(SqlStatement statement, object? parameters, Action<IStreamedRow> onRow, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The status poll streams nothing.");

        private static readonly GetCaseStatus.Head Head = new() { RequestingState = "PK", RequestedState = "GB", Version = 3 };
    }

    /// <summary>
    /// Bearer validation with a key object built once (the baseline) against the service's way: issuer,
    /// audiences and signing keys read from configuration on every request, a new key each time (a copy
    /// of the logic in src/ExtraditionCases.Api/Auth/BearerAuthentication.cs).
    /// </summary>
    private static async Task TokensAsync(int iterations)
    {
        var tokens = new BenchTokens();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(tokens.Environment().Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), (string?)p.Value)))
            .AddEnvironmentVariables()
            .Build();
        var handler = new JsonWebTokenHandler { MapInboundClaims = false };
        var staticKey = new TokenValidationParameters
        {
            ValidIssuer = BenchTokens.Issuer,
            ValidAudience = BenchTokens.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(tokens.Key),
        };
        const string Section = "Authentication:Schemes:Bearer";
        var fromConfiguration = new TokenValidationParameters
        {
            IssuerValidator = (issuer, _, _) =>
            {
                var section = configuration.GetSection(Section);
                var issuers = section.GetSection("ValidIssuers").Get<string[]>() ?? [];
                string[] all = section["ValidIssuer"] is { } single ? [.. issuers, single] : issuers;
                return all.Contains(issuer, StringComparer.Ordinal) ? issuer : throw new SecurityTokenInvalidIssuerException("issuer");
            },
            AudienceValidator = (audiences, _, _) =>
            {
                var section = configuration.GetSection(Section);
                var valid = section.GetSection("ValidAudiences").Get<string[]>() ?? [];
                string[] all = section["ValidAudience"] is { } single ? [.. valid, single] : valid;
                return audiences.Intersect(all, StringComparer.Ordinal).Any();
            },
            IssuerSigningKeyResolver = (_, token, _, _) => configuration.GetSection($"{Section}:SigningKeys").GetChildren()
                .Where(k => k["Value"] is { Length: > 0 } && (k["Issuer"] is not { Length: > 0 } i || i == token.Issuer))
                .Select(k => (SecurityKey)new SymmetricSecurityKey(Convert.FromBase64String(k["Value"]!)) { KeyId = k["Id"] })
                .ToList(),
        };

        // Before issue 20 the scheme selector read every token once more, with a new handler, to find its issuer.
        await MeasureAsync("Bearer: pick the scheme, a new JsonWebTokenHandler reading the token (before issue 20; now skipped without state providers)", iterations,
            () => Task.FromResult(new JsonWebTokenHandler().ReadJsonWebToken(tokens.PartnerPk).Issuer));
        foreach (var (name, parameters) in new[] { ("Bearer token: validate, key built once (baseline)", staticKey), ("Bearer token: validate, settings and key read per request (the service before it cached them)", fromConfiguration) })
        {
            var result = await handler.ValidateTokenAsync(tokens.PartnerPk, parameters);
            if (!result.IsValid) throw new InvalidOperationException($"{name}: {result.Exception?.Message}");
            await MeasureAsync(name, iterations, () => handler.ValidateTokenAsync(tokens.PartnerPk, parameters));
        }

        // Production's state providers sign with published asymmetric keys (TokenSettings.DefaultAlgorithms); the load
        // benchmark's tokens are HS256 on both sides. What the same validation costs with each production algorithm.
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        using var ecdsa = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        foreach (var (algorithm, key) in new (string, SecurityKey)[]
        {
            (SecurityAlgorithms.RsaSha256, new RsaSecurityKey(rsa) { KeyId = "rsa" }),
            (SecurityAlgorithms.RsaSsaPssSha256, new RsaSecurityKey(rsa) { KeyId = "rsa" }),
            (SecurityAlgorithms.EcdsaSha256, new ECDsaSecurityKey(ecdsa) { KeyId = "ec" }),
        })
        {
            var token = handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = BenchTokens.Issuer,
                Audience = BenchTokens.Audience,
                Claims = new Dictionary<string, object> { ["sub"] = "partner-pk", ["role"] = "partner", ["country"] = "PK" },
                Expires = DateTime.UtcNow.AddHours(1),
                SigningCredentials = new SigningCredentials(key, algorithm),
            });
            var parameters = new TokenValidationParameters
            {
                ValidIssuer = BenchTokens.Issuer,
                ValidAudience = BenchTokens.Audience,
                IssuerSigningKey = key,
                ValidAlgorithms = [algorithm],
            };
            var result = await handler.ValidateTokenAsync(token, parameters);
            if (!result.IsValid) throw new InvalidOperationException($"{algorithm}: {result.Exception?.Message}");
            await MeasureAsync($"Bearer token: validate, {algorithm} (a production provider's published key)", iterations, () => handler.ValidateTokenAsync(token, parameters));
        }
    }

    private static void Measure(string name, int iterations, Action action)
    {
        // Warm up for a second at least, so that tiered compilation has finished with the code measured.
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 200 || warm.Elapsed < TimeSpan.FromSeconds(1); i++) action();
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++) action();
        Report(name, iterations, Stopwatch.GetElapsedTime(started), GC.GetAllocatedBytesForCurrentThread() - allocated);
    }

    private static async Task MeasureAsync(string name, int iterations, Func<Task> action)
    {
        var warm = Stopwatch.StartNew();
        for (var i = 0; i < 200 || warm.Elapsed < TimeSpan.FromSeconds(1); i++) await action();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++) await action();
        Report(name, iterations, Stopwatch.GetElapsedTime(started), GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static void Report(string name, int iterations, TimeSpan elapsed, long allocated) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {elapsed.TotalMilliseconds * 1000 / iterations:0.0} µs | {allocated / iterations:N0} B |"));
}
