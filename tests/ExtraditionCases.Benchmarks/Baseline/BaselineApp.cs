using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.Features.Reports;
using ExtraditionCases.Application.Features.Search;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure.Access;
using ExtraditionCases.Infrastructure.Cases;
using ExtraditionCases.Infrastructure.Feed;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Transparency;
using ExtraditionCases.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Data.Sqlite;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Benchmarks.Baseline;

/// <summary>
/// The floor we compare against: a bare minimal-API app serving the benchmark's routes with plain
/// Dapper and the service's own SQL statements, on the same SQLite file and with the same connection
/// settings (<see cref="ConnectionFactory"/>: foreign keys, busy timeout, synchronous=FULL). It keeps what
/// any correct implementation needs: JWT bearer validation (static key), the party check, the writer
/// gate with BEGIN IMMEDIATE, and for writes the same rows in one transaction (case, event, deadlines,
/// three feed rows, the event's leaf in each audience's transparency tree, the webhook subscribers lookup
/// that decides the outbox rows; since issue 20's filing round also the search index's rows of the file on
/// filing and of a transition's references, with the service's own tokens and multi-row statements, and the
/// reports' stays and offence categories). Like the service, every /api/v1 request takes a place in the access log's
/// queue first (503 when it cannot) and records an entry with its case id, or the case ids a feed page
/// returned, written by the service's own background writer (entry and access-tree leaf, in batches, under
/// the same writer gate as the case writes). A history carries the contract's transparency member (checkpoint,
/// leaf indexes, audit paths) from the same statements as ours. It skips MediatR and its behaviors, FluentValidation, strict
/// body binding, the Stateless workflow and statutory clocks, JCS canonicalisation (its hash is SHA-256 over
/// the previous hash and the raw body), the full case view in responses and problem details. It reads the file with the service's
/// <c>CaseJson</c> options on filing (the index needs the names), but does not validate it.
/// </summary>
internal static class BaselineApp
{
    private const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";
    private const string AllCases = "**";

    private static readonly CaseStoreSql Cases = CaseStoreSql.Statements.Sqlite;
    private static readonly ChangeFeedSql Feed = ChangeFeedSql.Statements.Sqlite;
    private static readonly TransparencySql Leaves = TransparencySql.Statements.Sqlite;
    private static readonly WebhookSql Webhooks = WebhookSql.Statements.Sqlite;

    /// <summary>One writer at a time on SQLite, shared by the case writes and the access log's batches (as in the service).</summary>
    private static readonly SqliteWriterGate WriterGate = new();

    /// <summary>
    /// The service's connection settings with SQLite's default planner, as bare Dapper gets it: the service turns the
    /// planner's stability guarantee on so that the statements it keeps compiled are not compiled again when rebound
    /// (<c>SqliteNative.EnablePlanStability</c>); the baseline keeps none, so each of its statements with a bound LIMIT is
    /// compiled, then compiled again on its first step, as in any application that leaves SQLite's defaults alone.
    /// </summary>
    private static async Task<DbConnection> OpenAsync(DatabaseOptions database, CancellationToken ct)
    {
        var connection = await ConnectionFactory.OpenAsync(database, ct);
        if (connection is SqliteConnection sqlite
            && (SQLitePCL.raw.sqlite3_db_config(sqlite.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_ENABLE_QPSG, 0, out var enabled) != SQLitePCL.raw.SQLITE_OK || enabled != 0))
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException("SQLite refused to turn the query planner stability guarantee off.");
        }

        return connection;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        // SQLite's process settings as the service makes them (memory statistics off): a setting of the engine, like the pragmas.
        SqliteProcessSettings.Apply();
        var builder = WebApplication.CreateBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var bearer = builder.Configuration.GetSection("Authentication:Schemes:Bearer");
        var key = Convert.FromBase64String(bearer["SigningKeys:0:Value"] ?? throw new InvalidOperationException("No signing key."));
        var database = new DatabaseOptions
        {
            Provider = DatabaseProvider.Sqlite,
            ConnectionString = builder.Configuration.GetConnectionString("Cases") ?? throw new InvalidOperationException("No database."),
            // As ours reads it, so Database__SqliteCheckpointIntervalMs=0 turns the checkpointer off in both.
            SqliteCheckpointIntervalMs = builder.Configuration.GetValue("Database:SqliteCheckpointIntervalMs", 100),
        };

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = bearer["ValidIssuer"],
                ValidAudience = bearer["ValidAudiences:0"],
                IssuerSigningKey = new SymmetricSecurityKey(key),
                NameClaimType = "sub",
                RoleClaimType = "role",
            };
        });
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy("officer", p => p.RequireRole("officer"))
            .AddPolicy("officerOrAuditor", p => p.RequireRole("officer", "auditor"))
            .AddPolicy("anyRole", p => p.RequireRole("officer", "partner", "auditor"));

        var app = builder.Build();
        // The service's access-log writer, on the same file and gate: the log is a correctness requirement
        // (fail closed, lossless across SIGTERM), so the floor pays for it too.
        var accessLog = new AccessLog(database, WriterGate, app.Services.GetRequiredService<ILogger<AccessLog>>());
        app.Lifetime.ApplicationStarted.Register(() => accessLog.StartAsync(CancellationToken.None).GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopping.Register(() => accessLog.StopAsync(CancellationToken.None).GetAwaiter().GetResult());
        // The service's checkpointer too: an engine setting, like the pragmas (the connections' backstop comes with the options).
        var checkpointer = new SqliteCheckpointer(database, TimeProvider.System, app.Services.GetRequiredService<ILogger<SqliteCheckpointer>>());
        app.Lifetime.ApplicationStarted.Register(() => checkpointer.StartAsync(CancellationToken.None).GetAwaiter().GetResult());
        app.Lifetime.ApplicationStopping.Register(() => checkpointer.StopAsync(CancellationToken.None).GetAwaiter().GetResult());
        // With a signing key (the load benchmark's --publisher), the service's checkpoint publisher over this file's trees.
        if (builder.Configuration["Transparency:SigningKey"] is { Length: > 0 })
        {
            var transparency = builder.Configuration.GetSection(TransparencyOptions.SectionName).Get<TransparencyOptions>()!;
            var keys = new TransparencyKeys(transparency);
            var publisher = new CheckpointPublisher(database, WriterGate, keys, transparency, new TransparencyStatus(), TimeProvider.System,
                app.Services.GetRequiredService<ILogger<CheckpointPublisher>>());
            app.Lifetime.ApplicationStarted.Register(() => publisher.StartAsync(CancellationToken.None).GetAwaiter().GetResult());
            app.Lifetime.ApplicationStopping.Register(() =>
            {
                publisher.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
                keys.Dispose();
            });
        }

        app.Use((http, next) => LogAccessAsync(accessLog, http, next));
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/health", () => "ok");

        app.MapGet("/api/v1/cases/{id:guid}/status", (Guid id, HttpContext http, CancellationToken ct) => StatusAsync(database, id, http, ct))
            .RequireAuthorization("anyRole");
        app.MapGet("/api/v1/changes", (HttpContext http, string? cursor, string? limit, CancellationToken ct) => ChangesAsync(database, http, cursor, limit, ct))
            .RequireAuthorization("anyRole");
        app.MapGet("/api/v1/cases/{id:guid}/history", (Guid id, HttpContext http, CancellationToken ct) => HistoryAsync(database, id, http, ct))
            .RequireAuthorization("officerOrAuditor");
        app.MapGet("/api/v1/search", (HttpContext http, string? q, CancellationToken ct) => SearchAsync(database, http, q, ct))
            .RequireAuthorization("officerOrAuditor");
        app.MapGet("/api/v1/reports/caseload", (HttpContext http, CancellationToken ct) => CaseloadAsync(database, http, ct))
            .RequireAuthorization("officerOrAuditor");
        app.MapPost("/api/v1/cases", (HttpContext http, CancellationToken ct) => FileAsync(database, http, ct))
            .RequireAuthorization("officer");
        app.MapPost("/api/v1/cases/{id:guid}/transitions", (Guid id, HttpContext http, CancellationToken ct) => TransitionAsync(database, id, http, ct))
            .RequireAuthorization("officer");

        await app.RunAsync();
        return 0;
    }

    private static string? Country(ClaimsPrincipal user) => user.FindFirst("country")?.Value;

    private static readonly object ReturnedCases = new();

    /// <summary>
    /// What the service's access-log middleware does, minus its claim mapping through Callers.From: a place in the
    /// queue before the request (503 when none), an entry after it with the route's case id or the returned ones.
    /// </summary>
    private static async Task LogAccessAsync(AccessLog accessLog, HttpContext http, Func<Task> next)
    {
        if (!http.Request.Path.StartsWithSegments("/api/v1", StringComparison.OrdinalIgnoreCase))
        {
            await next();
            return;
        }

        var admitted = http.Request.Headers.ContainsKey("Authorization") && accessLog.TryAdmit();
        if (!admitted && http.Request.Headers.ContainsKey("Authorization"))
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        try
        {
            await next();
        }
        finally
        {
            var user = http.User.Identity?.IsAuthenticated == true ? http.User : null;
            Guid? caseId = http.Request.RouteValues.TryGetValue("id", out var id) && Guid.TryParse(id?.ToString(), out var parsed) ? parsed : null;
            accessLog.Record(new AccessEntry(
                DateTimeOffset.UtcNow, user?.FindFirst("sub")?.Value, user?.FindFirst("role")?.Value, user is null ? null : Country(user), caseId,
                http.Request.Method, (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "",
                http.Response.StatusCode, System.Diagnostics.Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
                http.Connection.RemoteIpAddress?.ToString(), CaseIds: http.Items[ReturnedCases] as IReadOnlyList<Guid>,
                Issuer: user?.FindFirst("iss")?.Value), admitted);
        }
    }

    private static bool MaySee(ClaimsPrincipal user, string requesting, string requested)
    {
        if (user.IsInRole("auditor")) return true;
        var country = Country(user);
        return country == requesting || country == requested;
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task<IResult> StatusAsync(DatabaseOptions database, Guid id, HttpContext http, CancellationToken ct)
    {
        await using var connection = await OpenAsync(database, ct);
        var key = new { Id = id.ToString("D") };
        // The same reads as the service: the version alone for a conditional poll, one statement for a 200.
        if (http.Request.Headers.IfNoneMatch.Count > 0)
        {
            var head = await connection.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(GetCaseStatus.Sql.Head.Sqlite, key, cancellationToken: ct));
            if (head is null || !MaySee(http.User, head.RequestingState, head.RequestedState)) return Results.NotFound();
            var etag = $"\"{head.Version}\"";
            http.Response.Headers.ETag = etag;
            if (http.Request.Headers.IfNoneMatch.ToString() == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        // The service's one statement for a 200 since issue 20 (status, parties, next clock and the assignees the contract's
        // status has, a row per assignee); the baseline reads the rows and writes the first's status, without the assignees.
        var row = await connection.QueryFirstOrDefaultAsync<StatusRow>(new CommandDefinition(GetCaseStatus.Sql.StatusWithAssignees.Sqlite, new { key.Id, Now = Now() }, cancellationToken: ct));
        if (row is null || !MaySee(http.User, row.RequestingState, row.RequestedState)) return Results.NotFound();
        http.Response.Headers.ETag = $"\"{row.Version}\"";
        var next = row.NextKind is null || row.NextDueAt is null ? null : new NextRow { Kind = row.NextKind, DueAt = row.NextDueAt };
        return Results.Ok(new StatusBody(row.Id, row.Reference, row.State, row.StateSince, row.Version, row.UpdatedAt, next));
    }

    private static async Task<IResult> ChangesAsync(DatabaseOptions database, HttpContext http, string? cursor, string? limit, CancellationToken ct)
    {
        var after = 0L;
        if (cursor is not null && !TryReadCursor(cursor, out after)) return Results.BadRequest();
        var take = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > 1000))
            return Results.BadRequest();
        var audience = http.User.IsInRole("auditor") ? AllCases : Country(http.User);
        if (audience is null) return Results.Ok(new ChangesBody([], WriteCursor(after)));

        await using var connection = await OpenAsync(database, ct);
        var rows = (await connection.QueryAsync<FeedRow>(new CommandDefinition(GetChanges.Sql.Page.Sqlite, new { Audience = audience, After = after, Limit = take }, cancellationToken: ct))).AsList();
        var items = rows.ConvertAll(r => new FeedItem(r.CaseId, r.Reference, r.Version, r.State, r.Type, r.OccurredAt, r.RecordedAt));
        // The access log names the cases a feed page returned, as the service's does.
        http.Items[ReturnedCases] = rows.Select(r => Guid.Parse(r.CaseId)).Distinct().ToList();
        return Results.Ok(new ChangesBody(items, WriteCursor(rows.Count > 0 ? rows[^1].Seq : after)));
    }

    /// <summary>The service's search statement with its tokeniser; rows grouped per case as the service's are. No cursor.</summary>
    private static async Task<IResult> SearchAsync(DatabaseOptions database, HttpContext http, string? q, CancellationToken ct)
    {
        var tokens = SearchText.Tokens(q);
        if (tokens.Count is 0 or > SearchCases.MaxTokens) return Results.BadRequest();
        await using var connection = await OpenAsync(database, ct);
        var json = JsonSerializer.Serialize(tokens);
        // As the service: the rarest token (bounded counts first) drives the index walk.
        var hits = tokens.Count == 1 ? [] : (await connection.QueryAsync<(string Token, int Hits)>(new CommandDefinition(
            SearchCases.Sql.TokenHits.Sqlite, new { Tokens = json, Cap = SearchCases.Sql.HitCap }, cancellationToken: ct))).ToList();
        var driver = hits.Count == 0 ? tokens[0] : hits.OrderBy(h => h.Hits).ThenBy(h => h.Token, StringComparer.Ordinal).First().Token;
        var rows = await connection.QueryAsync<SearchRow>(new CommandDefinition(SearchCases.Sql.Search.Sqlite, new
        {
            Driver = driver,
            Cap = SearchCases.Sql.RankCap,
            Tokens = json,
            TokenCount = tokens.Count,
            Compact = tokens.Count > 1 ? SearchText.Compact(q) : null,
            Country = http.User.IsInRole("auditor") ? null : Country(http.User) ?? "--",
            Limit = SearchCases.DefaultLimit + 1,
            AfterScore = int.MaxValue,
            AfterCaseId = Guid.Empty.ToString("D"),
        }, cancellationToken: ct));
        var cases = rows.GroupBy(r => r.CaseId).Take(SearchCases.DefaultLimit).Select(g => new SearchResult(
            g.Key, g.First().Reference, g.First().State, g.First().CaseScore, [.. g.Select(r => new SearchMatch(r.Field, r.Label, r.Text, r.Score))])).ToList();
        http.Items[ReturnedCases] = cases.Select(c => Guid.Parse(c.CaseId)).ToList();
        return Results.Ok(new { items = cases });
    }

    /// <summary>The service's three caseload statements (auditor: every case, no filter), rows passed through.</summary>
    private static async Task<IResult> CaseloadAsync(DatabaseOptions database, HttpContext http, CancellationToken ct)
    {
        var parameters = new
        {
            Country = http.User.IsInRole("auditor") ? null : Country(http.User) ?? "--",
            RequestingState = (string?)null, RequestedState = (string?)null, OffenceCategory = (string?)null, Basis = (string?)null,
            FiledFrom = (string?)null, FiledTo = (string?)null, EventFrom = (string?)null, EventTo = (string?)null, Now = Now(),
        };
        await using var connection = await OpenAsync(database, ct);
        var open = await connection.QueryAsync<StateCountRow>(new CommandDefinition(GetCaseload.Sql.OpenByState.Sqlite, parameters, cancellationToken: ct));
        var months = await connection.QueryAsync<MonthRow>(new CommandDefinition(GetCaseload.Sql.Monthly.Sqlite, parameters, cancellationToken: ct));
        var outcomes = await connection.QueryAsync<OutcomeRow>(new CommandDefinition(GetCaseload.Sql.Outcomes.Sqlite, parameters, cancellationToken: ct));
        return Results.Ok(new { generatedAt = parameters.Now, open, months, outcomes });
    }

    private static async Task HistoryAsync(DatabaseOptions database, Guid id, HttpContext http, CancellationToken ct)
    {
        await using var connection = await OpenAsync(database, ct);
        var key = new { Id = id.ToString("D"), CaseId = id.ToString("D") };
        var parties = await connection.QuerySingleOrDefaultAsync<PartiesRow>(new CommandDefinition(Cases.FindParties, key, cancellationToken: ct));
        if (parties is null || !MaySee(http.User, parties.RequestingState, parties.RequestedState))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var events = await connection.QueryAsync<EventRow>(new CommandDefinition(GetHistory.Sql.CaseEvents.Sqlite, key, cancellationToken: ct));
        http.Response.ContentType = "application/json; charset=utf-8";
        var head = Genesis;
        await using (var json = new Utf8JsonWriter(http.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("caseId", key.Id);
            json.WriteStartArray("events");
            var count = 0;
            foreach (var e in events)
            {
                json.WriteStartObject();
                json.WriteNumber("sequence", e.Sequence);
                json.WriteString("type", e.Type);
                json.WriteString("trigger", e.Trigger);
                json.WriteString("fromState", e.FromState);
                json.WriteString("toState", e.ToState);
                json.WriteString("occurredAt", e.OccurredAt);
                json.WriteString("recordedAt", e.RecordedAt);
                json.WriteStartObject("actor");
                json.WriteString("subject", e.ActorSubject);
                json.WriteString("role", e.ActorRole);
                json.WriteString("agency", e.ActorAgency);
                json.WriteString("country", e.ActorCountry);
                json.WriteString("issuer", e.ActorIssuer);
                json.WriteEndObject();
                json.WriteStartObject("source");
                json.WriteString("requestId", e.RequestId);
                json.WriteString("clientAddress", e.ClientAddress);
                json.WriteEndObject();
                json.WriteString("note", e.Note);
                json.WritePropertyName("data");
                json.WriteRawValue(e.Data, skipInputValidation: true);
                json.WriteString("prevHash", e.PrevHash);
                json.WriteString("hash", e.Hash);
                json.WriteEndObject();
                head = e.Hash;
                if (++count % 64 == 0)
                {
                    await json.FlushAsync(ct);
                }
            }

            json.WriteEndArray();
            json.WriteString("head", head);
            json.WritePropertyName("transparency");
            await WriteTransparencyAsync(connection, json, http.User, key.CaseId, ct);
            json.WriteEndObject();
        }

        await http.Response.BodyWriter.FlushAsync(ct);
    }

    /// <summary>
    /// The contract's transparency member of a history, as ours reads it since issue 20's third round (made as cheap as it
    /// could be there first): the caller's tree's latest checkpoint and the case's leaf indexes by the same statements, and
    /// for leaves the checkpoint covers their audit paths from the stored nodes, all read by one statement. It skips what ours adds:
    /// verifying the checkpoint's signature.
    /// </summary>
    private static async Task WriteTransparencyAsync(System.Data.Common.DbConnection connection, Utf8JsonWriter json, ClaimsPrincipal user, string caseId, CancellationToken ct)
    {
        var tree = user.IsInRole("auditor") ? "all" : Country(user) ?? "";
        var checkpoint = await connection.QuerySingleOrDefaultAsync<CheckpointRow>(new CommandDefinition(
            Application.Features.Transparency.TransparencyReads.Sql.LatestCheckpoint.Sqlite, new { Tree = tree }, cancellationToken: ct));
        var leaves = await connection.QueryAsync<LeafIndexRow>(new CommandDefinition(
            Application.Features.Transparency.TransparencyReads.Sql.LeafIndexesOfCase.Sqlite, new { Tree = tree, CaseId = caseId }, cancellationToken: ct));
        var nodes = new Dictionary<Merkle.NodeId, byte[]>();
        if (checkpoint is not null)
        {
            // Every path's nodes in one read, by the statement ours uses (issue 20, eighth round: made in both systems).
            var ids = leaves.Where(l => l.LeafIndex < checkpoint.TreeSize)
                .SelectMany(l => Merkle.InclusionRanges(l.LeafIndex, checkpoint.TreeSize))
                .SelectMany(r => Merkle.NodesOf(r.Lo, r.Hi)).Distinct().ToList();
            if (ids.Count > 0)
            {
                var list = "[" + string.Join(",", ids.Select(id => $"[{id.Level},{id.Index}]")) + "]";
                foreach (var (level, index, hash) in await connection.QueryAsync<(long, long, string)>(new CommandDefinition(
                    Application.Features.Transparency.TransparencyReads.Sql.Nodes.Sqlite, new { Tree = tree, Ids = list }, cancellationToken: ct)))
                    nodes[new Merkle.NodeId((int)level, index)] = Convert.FromHexString(hash.Trim());
            }
        }

        json.WriteStartObject();
        json.WriteString("tree", tree);
        if (checkpoint is null)
        {
            json.WriteNull("treeSize");
            json.WriteNull("rootHash");
            json.WriteNull("checkpoint");
        }
        else
        {
            json.WriteNumber("treeSize", checkpoint.TreeSize);
            json.WriteString("rootHash", Convert.ToBase64String(Convert.FromHexString(checkpoint.RootHash.Trim())));
            json.WriteString("checkpoint", checkpoint.Note);
        }

        json.WriteStartArray("leaves");
        foreach (var leaf in leaves)
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", leaf.Sequence ?? 0);
            json.WriteNumber("leafIndex", leaf.LeafIndex);
            if (checkpoint is null || leaf.LeafIndex >= checkpoint.TreeSize) json.WriteNull("proof");
            else
            {
                json.WriteStartArray("proof");
                foreach (var (lo, hi) in Merkle.InclusionRanges(leaf.LeafIndex, checkpoint.TreeSize))
                {
                    json.WriteBase64StringValue(Merkle.SubtreeHash(lo, hi, id => nodes[id]));
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static async Task<IResult> FileAsync(DatabaseOptions database, HttpContext http, CancellationToken ct)
    {
        var body = await ReadBodyAsync(http, ct);
        string requesting, requested;
        string? receivedAt = null;
        CaseFile file;
        try
        {
            // The file itself, as the search index and the reports' categories need its names, numbers and offences.
            file = JsonSerializer.Deserialize<CaseFile>(body, CaseJson.Options) ?? throw new JsonException("No case file.");
            using var document = JsonDocument.Parse(body);
            requesting = document.RootElement.GetProperty("requestingState").GetString() ?? "";
            requested = document.RootElement.GetProperty("requestedState").GetString() ?? "";
            if (document.RootElement.TryGetProperty("receivedAt", out var received) && received.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(received.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var at))
            {
                receivedAt = at.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Results.BadRequest();
        }

        var country = Country(http.User);
        if (country != requesting && country != requested) return Results.Forbid();

        var now = DateTimeOffset.UtcNow;
        var nowText = Now();
        receivedAt ??= nowText;
        var id = Guid.CreateVersion7(now).ToString("D");
        var caseFile = Encoding.UTF8.GetString(body);
        var hash = Hash(Genesis, body);
        string reference;

        await WriterGate.Gate.WaitAsync(ct);
        try
        {
            await using var connection = (SqliteConnection)await OpenAsync(database, ct);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var number = await connection.QuerySingleAsync<long>(new CommandDefinition(Cases.NextReferenceNumber, null, transaction, cancellationToken: ct));
            reference = $"EXT-{now.Year}-{number:D6}";
            await connection.ExecuteAsync(new CommandDefinition(Cases.InsertCase, new
            {
                Id = id,
                Reference = reference,
                RequestingState = requesting,
                RequestedState = requested,
                State = "Draft",
                StateSince = receivedAt,
                Version = 1,
                ReceivedAt = receivedAt,
                CreatedAt = nowText,
                UpdatedAt = nowText,
                CaseFile = caseFile,
                Workflow = $"{{\"lastOccurredAt\":\"{receivedAt}\"}}",
                HeadHash = hash,
                RulesVersion = ClockRules.Version,
            }, transaction, cancellationToken: ct));
            await InsertEventAsync(connection, transaction, http, id, 1, "CaseFiled", null, null, "Draft", receivedAt, nowText, null, caseFile, Genesis, hash, ct);
            await AppendFeedAsync(connection, transaction, requesting, requested, id, reference, 1, "Draft", "CaseFiled", receivedAt, nowText, hash, ct);
            // Like for like (issue 20): the service's search-index rows and the reports' stay and categories, by its own statements.
            await IndexAsync(connection, transaction, id, requesting, requested, SearchIndex.FileEntries(reference, file), ct);
            await connection.ExecuteAsync(new CommandDefinition(SearchIndex.Sql.InsertIndexed.Sqlite, new { CaseId = id, IndexVersion = SearchText.Version }, transaction, cancellationToken: ct));
            var categories = file.Offences.Select(o => o.Category.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (categories.Count > 0)
                await connection.ExecuteAsync(new CommandDefinition(CaseStays.Sql.InsertCategories.Sqlite, new { CaseId = id, Rows = JsonSerializer.Serialize(categories) }, transaction, cancellationToken: ct));
            await OpenStayAsync(connection, transaction, id, 1, "Draft", receivedAt, requesting, requested, receivedAt, file.Basis.ToString(), CaseStays.CategoryList(categories), ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            WriterGate.Gate.Release();
        }

        http.Response.Headers.ETag = "\"1\"";
        return Results.Created($"/api/v1/cases/{id}", new CaseBody(id, reference, requesting, requested, "Draft", receivedAt, 1, nowText, nowText));
    }

    private static async Task<IResult> TransitionAsync(DatabaseOptions database, Guid id, HttpContext http, CancellationToken ct)
    {
        var body = await ReadBodyAsync(http, ct);
        string trigger;
        string? note = null;
        var data = "{}";
        try
        {
            using var document = JsonDocument.Parse(body);
            trigger = document.RootElement.GetProperty("trigger").GetString() ?? "";
            if (document.RootElement.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String) note = n.GetString();
            if (document.RootElement.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object) data = d.GetRawText();
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return Results.BadRequest();
        }

        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*") return Results.StatusCode(StatusCodes.Status428PreconditionRequired);
        var country = Country(http.User);
        var idText = id.ToString("D");
        var nowText = Now();
        CaseRow row;
        int version;
        string to;

        await WriterGate.Gate.WaitAsync(ct);
        try
        {
            await using var connection = (SqliteConnection)await OpenAsync(database, ct);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var found = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(Cases.FindCase, new { Id = idText }, transaction, cancellationToken: ct));
            if (found is null || (country != found.RequestingState && country != found.RequestedState)) return Results.NotFound();
            row = found;
            var deadlines = (await connection.QueryAsync<DeadlineRow>(new CommandDefinition(Cases.FindDeadlines, new { Id = idText }, transaction, cancellationToken: ct))).AsList();
            if (ifMatch.Trim() != $"\"{row.Version}\"") return Results.StatusCode(StatusCodes.Status412PreconditionFailed);

            // The benchmark's two triggers, by hand: no state machine, no guards beyond who fires them.
            var requestingSide = country == row.RequestingState;
            (to, var mayFire) = (trigger, row.State) switch
            {
                ("Submit", "Draft") => ("UnderReview", requestingSide),
                ("ReturnForCorrection", "UnderReview") => ("Draft", !requestingSide),
                _ => ("", false),
            };
            if (to.Length == 0) return Results.Conflict();
            if (!mayFire) return Results.Forbid();

            version = row.Version + 1;
            var hash = Hash(row.HeadHash, body);
            var updated = await connection.ExecuteAsync(new CommandDefinition(Cases.UpdateCase, new
            {
                Id = idText,
                State = to,
                StateSince = nowText,
                Version = version,
                UpdatedAt = nowText,
                row.CaseFile,
                row.Workflow,
                HeadHash = hash,
                ExpectedVersion = row.Version,
                RulesVersion = ClockRules.Version,
            }, transaction, cancellationToken: ct));
            if (updated == 0) return Results.StatusCode(StatusCodes.Status412PreconditionFailed);

            await InsertEventAsync(connection, transaction, http, idText, version, "Transitioned", trigger, row.State, to, nowText, nowText, note, data, row.HeadHash, hash, ct);
            // The clock rows rewritten, as the service does when a step moves its clocks (the service skips the rewrite
            // when they did not move; the benchmark's Draft/UnderReview cases have none, so both write no clock row).
            await connection.ExecuteAsync(new CommandDefinition(Cases.DeleteDeadlines, new { CaseId = idText }, transaction, cancellationToken: ct));
            foreach (var d in deadlines)
                await connection.ExecuteAsync(new CommandDefinition(Cases.InsertDeadline, d, transaction, cancellationToken: ct));
            await AppendFeedAsync(connection, transaction, row.RequestingState, row.RequestedState, idText, row.Reference, version, to, "Transitioned", nowText, nowText, hash, ct);
            // Like for like (issue 20): the references the step's data holds in the search index (none for the benchmark's two
            // triggers, as in the service), and the reports' stays: the open one closed, one opened in the new state.
            if (data != "{}")
            {
                var references = SearchIndex.EventEntries(version, trigger, System.Text.Json.Nodes.JsonNode.Parse(data)!.AsObject());
                if (references.Count > 0) await IndexAsync(connection, transaction, idText, row.RequestingState, row.RequestedState, references, ct);
            }

            var (basis, categoryList) = FileFilters(row.CaseFile);
            await connection.ExecuteAsync(new CommandDefinition(CaseStays.Sql.CloseStay.Sqlite, new { CaseId = idText, At = nowText }, transaction, cancellationToken: ct));
            await OpenStayAsync(connection, transaction, idText, version, to, nowText, row.RequestingState, row.RequestedState, row.ReceivedAt, basis, categoryList, ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            WriterGate.Gate.Release();
        }

        http.Response.Headers.ETag = $"\"{version}\"";
        return Results.Ok(new CaseBody(idText, row.Reference, row.RequestingState, row.RequestedState, to, nowText, version, row.CreatedAt, nowText));
    }

    /// <summary>The service's multi-row search-index inserts (<see cref="SearchIndex.Rows"/>) for these entries of one case.</summary>
    private static async Task IndexAsync(
        SqliteConnection connection, SqliteTransaction transaction, string caseId, string requesting, string requested, IReadOnlyList<SearchIndex.Entry> entries, CancellationToken ct)
    {
        var (entryRows, termRows) = SearchIndex.Rows(entries);
        await connection.ExecuteAsync(new CommandDefinition(SearchIndex.Sql.InsertEntries.Sqlite, new { CaseId = caseId, Rows = entryRows }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(SearchIndex.Sql.InsertTerms.Sqlite,
            new { CaseId = caseId, RequestingState = requesting, RequestedState = requested, Rows = termRows }, transaction, cancellationToken: ct));
    }

    private static Task OpenStayAsync(
        SqliteConnection connection, SqliteTransaction transaction, string caseId, int sequence, string stage, string at, string requesting, string requested,
        string receivedAt, string basis, string? categories, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(CaseStays.Sql.OpenStay.Sqlite, new
        {
            CaseId = caseId, Sequence = sequence, Stage = stage, At = at, RequestingState = requesting, RequestedState = requested,
            ReceivedAt = receivedAt, Basis = basis, Categories = categories,
        }, transaction, cancellationToken: ct));

    /// <summary>The basis and the ',A,B,' category list a stay carries, read from the stored file (the service has it loaded).</summary>
    private static (string Basis, string? Categories) FileFilters(string caseFile)
    {
        using var document = JsonDocument.Parse(caseFile);
        var root = document.RootElement;
        var basis = root.TryGetProperty("basis", out var b) ? b.GetString() ?? "" : "";
        var categories = new SortedSet<string>(StringComparer.Ordinal);
        if (root.TryGetProperty("offences", out var offences) && offences.ValueKind == JsonValueKind.Array)
        {
            foreach (var offence in offences.EnumerateArray())
            {
                if (offence.TryGetProperty("category", out var category) && category.GetString() is { } name) categories.Add(name);
            }
        }

        return (basis, CaseStays.CategoryList(categories));
    }

    private static Task InsertEventAsync(
        SqliteConnection connection, SqliteTransaction transaction, HttpContext http, string caseId, int sequence, string type, string? trigger,
        string? from, string? to, string occurredAt, string recordedAt, string? note, string data, string prevHash, string hash, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(Cases.InsertEvent, new
        {
            CaseId = caseId,
            Sequence = sequence,
            Type = type,
            Trigger = trigger,
            FromState = from,
            ToState = to,
            OccurredAt = occurredAt,
            RecordedAt = recordedAt,
            ActorSubject = http.User.FindFirst("sub")?.Value ?? "unknown",
            ActorRole = "officer",
            ActorAgency = http.User.FindFirst("agency")?.Value,
            ActorCountry = Country(http.User),
            ActorIssuer = http.User.FindFirst("iss")?.Value,
            RequestId = http.TraceIdentifier,
            ClientAddress = http.Connection.RemoteIpAddress?.ToString(),
            Note = note,
            Data = data,
            PrevHash = prevHash,
            Hash = hash,
            RulesVersion = ClockRules.Version,
        }, transaction, cancellationToken: ct));

    private static async Task AppendFeedAsync(
        SqliteConnection connection, SqliteTransaction transaction, string requesting, string requested, string caseId, string reference,
        int version, string state, string type, string occurredAt, string recordedAt, string hash, CancellationToken ct)
    {
        string[] audiences = [.. new[] { requesting, requested, AllCases }.Distinct().Order(StringComparer.Ordinal)];
        foreach (var audience in audiences)
        {
            await connection.ExecuteAsync(new CommandDefinition(Feed.Append, new
            {
                Audience = audience,
                CaseId = caseId,
                Reference = reference,
                Version = version,
                State = state,
                Type = type,
                OccurredAt = occurredAt,
                RecordedAt = recordedAt,
            }, transaction, cancellationToken: ct));
        }

        // As the service's store does after the feed rows: the webhook subscribers of the case (the outbox rows
        // follow only when there are some; the benchmark registers none) and the event's leaf in each audience's tree.
        await connection.QueryAsync(new CommandDefinition(Webhooks.Subscribers,
            new { CaseId = caseId, RequestingState = requesting, RequestedState = requested }, transaction, cancellationToken: ct));
        foreach (var audience in audiences)
        {
            await connection.ExecuteAsync(new CommandDefinition(Leaves.AppendLeaf, new
            {
                Tree = Trees.OfAudience(audience), CaseId = caseId, Sequence = version, AccessId = (long?)null, EntryHash = hash,
            }, transaction, cancellationToken: ct));
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpContext http, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        return buffer.ToArray();
    }

    /// <summary>The trivial hash: SHA-256 of the previous hash, a newline and the raw request body (no JCS).</summary>
    private static string Hash(string prevHash, byte[] body)
    {
        var prefix = Encoding.UTF8.GetBytes(prevHash + "\n");
        var all = new byte[prefix.Length + body.Length];
        prefix.CopyTo(all, 0);
        body.CopyTo(all, prefix.Length);
        return Convert.ToHexStringLower(SHA256.HashData(all));
    }

    private static string WriteCursor(long seq) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("feed1:" + seq.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryReadCursor(string cursor, out long seq)
    {
        seq = 0;
        if (cursor.Length is 0 or > 200) return false;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("feed1:", StringComparison.Ordinal)
                && long.TryParse(text.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed record SearchResult(string CaseId, string Reference, string State, int Score, List<SearchMatch> Matches);

    private sealed record SearchMatch(string Field, string Label, string Text, int Score);

    private sealed class SearchRow
    {
        public string CaseId { get; init; } = "";
        public int CaseScore { get; init; }
        public string Reference { get; init; } = "";
        public string State { get; init; } = "";
        public string Field { get; init; } = "";
        public string Label { get; init; } = "";
        public string Text { get; init; } = "";
        public int Score { get; init; }
    }

    private sealed class StateCountRow
    {
        public string State { get; init; } = "";
        public long Cases { get; init; }
    }

    private sealed class MonthRow
    {
        public string Month { get; init; } = "";
        public long Filed { get; init; }
        public long Closed { get; init; }
    }

    private sealed class OutcomeRow
    {
        public string Outcome { get; init; } = "";
        public string? DischargedBy { get; init; }
        public long Cases { get; init; }
    }

    private sealed record StatusBody(string Id, string Reference, string State, string StateSince, int Version, string UpdatedAt, NextRow? NextDeadline);

    private sealed record ChangesBody(List<FeedItem> Items, string NextCursor);

    private sealed record FeedItem(string CaseId, string Reference, int Version, string State, string Type, string OccurredAt, string RecordedAt);

    private sealed record CaseBody(
        string Id, string Reference, string RequestingState, string RequestedState, string State, string StateSince, int Version,
        string CreatedAt, string UpdatedAt);

    // Rows as plain text: SQLite stores ids and instants as text, and the baseline passes them through.
    private sealed class HeadRow
    {
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public int Version { get; init; }
    }

    private sealed class PartiesRow
    {
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
    }

    private sealed class StatusRow
    {
        public string Id { get; init; } = "";
        public string Reference { get; init; } = "";
        public string State { get; init; } = "";
        public string StateSince { get; init; } = "";
        public int Version { get; init; }
        public string UpdatedAt { get; init; } = "";
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string? NextKind { get; init; }
        public string? NextDueAt { get; init; }
    }

    private sealed class NextRow
    {
        public string Kind { get; init; } = "";
        public string DueAt { get; init; } = "";
    }

    private sealed class FeedRow
    {
        public long Seq { get; init; }
        public string CaseId { get; init; } = "";
        public string Reference { get; init; } = "";
        public int Version { get; init; }
        public string State { get; init; } = "";
        public string Type { get; init; } = "";
        public string OccurredAt { get; init; } = "";
        public string RecordedAt { get; init; } = "";
    }

    private sealed class EventRow
    {
        public int Sequence { get; init; }
        public string Type { get; init; } = "";
        public string? Trigger { get; init; }
        public string? FromState { get; init; }
        public string? ToState { get; init; }
        public string OccurredAt { get; init; } = "";
        public string RecordedAt { get; init; } = "";
        public string ActorSubject { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public string? ActorAgency { get; init; }
        public string? ActorCountry { get; init; }
        public string? ActorIssuer { get; init; }
        public string? RequestId { get; init; }
        public string? ClientAddress { get; init; }
        public string? Note { get; init; }
        public string Data { get; init; } = "{}";
        public string PrevHash { get; init; } = "";
        public string Hash { get; init; } = "";
    }

    private sealed class CheckpointRow
    {
        public long TreeSize { get; init; }
        public string RootHash { get; init; } = "";
        public string Note { get; init; } = "";
    }

    private sealed class LeafIndexRow
    {
        public int? Sequence { get; init; }
        public long LeafIndex { get; init; }
    }

    private sealed class CaseRow
    {
        public string Id { get; init; } = "";
        public string Reference { get; init; } = "";
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string State { get; init; } = "";
        public int Version { get; init; }
        public string CreatedAt { get; init; } = "";
        public string ReceivedAt { get; init; } = "";
        public string CaseFile { get; init; } = "";
        public string Workflow { get; init; } = "";
        public string HeadHash { get; init; } = "";
    }

    private sealed class DeadlineRow
    {
        public string CaseId { get; init; } = "";
        public int Ordinal { get; init; }
        public string Kind { get; init; } = "";
        public string StartedAt { get; init; } = "";
        public string DueAt { get; init; } = "";
        public string Status { get; init; } = "";
        public string Statute { get; init; } = "";
        public long Advisory { get; init; }
    }
}
