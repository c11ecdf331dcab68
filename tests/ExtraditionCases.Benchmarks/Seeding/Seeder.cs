using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Search;
using ExtraditionCases.Application.Features.Reports;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Domain;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Cases;
using ExtraditionCases.Infrastructure.Feed;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Transparency;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtraditionCases.Benchmarks.Seeding;

internal sealed record SeedReport(int Cases, long Events, long FeedRows, long Deadlines, TimeSpan Elapsed);

/// <summary>
/// Fills a database for the scale check: the real migrations first (<see cref="Migrator"/>), then
/// bulk inserts in large transactions with prepared statements: the service's own INSERT statements
/// (<see cref="CaseStoreSql"/>, <see cref="ChangeFeedSql"/>) and the same column encodings as
/// <see cref="CaseStore"/>. Every case is walked through the real domain (filed, then Submit, Certify,
/// IssueWarrant, Arrest, OpenHearing, then Adjourn/OpenHearing in turn, as long as its event count
/// asks; a share of cases stops after Arrest with its hearing-start clock missed), so its state, clocks and workflow facts are what the service would hold, and every event
/// is made by the real <see cref="CaseEvent.Create"/>: hash chains are genuine. Each case names a person
/// (<see cref="SeedNames"/>: names in Urdu and Latin script, aliases, document numbers), and its search index
/// rows are the ones the case store writes (<see cref="SearchIndex"/>). Cases are generated on all cores while
/// one connection writes.
/// </summary>
internal static partial class Seeder
{
    private const int ChunkSize = 500;
    private const string AllCases = "**";

    private static readonly (string Requesting, string Requested)[] Stuck = [("PK", "GB"), ("PK", "GB"), ("US", "GB"), ("IN", "GB")];

    private static readonly (string Requesting, string Requested)[] Pairs =
        [("PK", "GB"), ("GB", "PK"), ("US", "GB"), ("PK", "US"), ("GB", "US"), ("US", "PK"), ("IN", "GB"), ("FR", "PK")];

    public static async Task<SeedReport> SeedAsync(string database, int cases, long events, double overdueShare, int seed, TextWriter log)
    {
        var clock = Stopwatch.StartNew();
        var options = new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={database}" };
        new Migrator(options, NullLogger<Migrator>.Instance).Migrate();

        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        await connection.OpenAsync();
        await using (var pragma = connection.CreateCommand())
        {
            // Bulk load: durability per transaction is not needed here (the service sets its own pragmas).
            pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY;";
            await pragma.ExecuteNonQueryAsync();
            pragma.CommandText = "SELECT COUNT(*) FROM Cases";
            if (Convert.ToInt64(await pragma.ExecuteScalarAsync(), CultureInfo.InvariantCulture) != 0)
                throw new InvalidOperationException($"{database} already holds cases; seed a new file.");
        }

        var sql = CaseStoreSql.Statements.Sqlite;
        using var insertCase = Prepare(connection, sql.InsertCase);
        using var insertEvent = Prepare(connection, sql.InsertEvent);
        using var insertDeadline = Prepare(connection, sql.InsertDeadline);
        using var appendFeed = Prepare(connection, ChangeFeedSql.Statements.Sqlite.Append);
        using var appendLeaf = Prepare(connection, TransparencySql.Statements.Sqlite.AppendLeaf);
        using var insertEntries = Prepare(connection, SearchIndex.Sql.InsertEntries.Sqlite);
        using var insertTerms = Prepare(connection, SearchIndex.Sql.InsertTerms.Sqlite);
        using var insertIndexed = Prepare(connection, SearchIndex.Sql.InsertIndexed.Sqlite);

        // Stuck cases have 5 events; the others make up the requested average.
        var average = Math.Max(1.0, (((double)events / Math.Max(1, cases)) - (overdueShare * 5)) / (1 - overdueShare));
        var now = Instant.Truncate(DateTimeOffset.UtcNow);
        var chunks = (cases + ChunkSize - 1) / ChunkSize;
        var queue = Channel.CreateBounded<SeedCase[]>(new BoundedChannelOptions(4) { SingleReader = true });
        var nextChunk = -1;

        var producers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(async () =>
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref nextChunk)) < chunks)
            {
                var first = chunk * ChunkSize;
                var batch = new SeedCase[Math.Min(ChunkSize, cases - first)];
                for (var i = 0; i < batch.Length; i++) batch[i] = Generate(first + i, seed, average, overdueShare, now);
                await queue.Writer.WriteAsync(batch);
            }
        })).ToArray();
        var completion = Task.WhenAll(producers).ContinueWith(t => queue.Writer.Complete(t.Exception), TaskScheduler.Default);

        long eventRows = 0, feedRows = 0, deadlineRows = 0;
        var written = 0;
        await foreach (var batch in queue.Reader.ReadAllAsync())
        {
            await using var transaction = connection.BeginTransaction(deferred: false);
            insertCase.Transaction = insertEvent.Transaction = insertDeadline.Transaction = appendFeed.Transaction = appendLeaf.Transaction = transaction;
            insertEntries.Transaction = insertTerms.Transaction = insertIndexed.Transaction = transaction;
            foreach (var c in batch)
            {
                Set(insertCase, c.CaseRow);
                insertCase.ExecuteNonQuery();
                foreach (var e in c.EventRows)
                {
                    Set(insertEvent, e);
                    insertEvent.ExecuteNonQuery();
                }

                foreach (var d in c.DeadlineRows)
                {
                    Set(insertDeadline, d);
                    insertDeadline.ExecuteNonQuery();
                }

                // Each feed row and, right after it, the event's leaf in that audience's transparency tree (TransparencyLeaves).
                foreach (var f in c.FeedRows)
                {
                    Set(appendFeed, f);
                    appendFeed.ExecuteNonQuery();
                    Set(appendLeaf, f);
                    appendLeaf.ExecuteNonQuery();
                }

                Set(insertEntries, c.EntryRows);
                insertEntries.ExecuteNonQuery();
                Set(insertTerms, c.TermRows);
                insertTerms.ExecuteNonQuery();

                Set(insertIndexed, new Dictionary<string, object?> { ["CaseId"] = c.CaseRow["Id"], ["IndexVersion"] = SearchText.Version });
                insertIndexed.ExecuteNonQuery();

                eventRows += c.EventRows.Count;
                feedRows += c.FeedRows.Count;
                deadlineRows += c.DeadlineRows.Count;
            }

            await transaction.CommitAsync();
            written += batch.Length;
            if (written % 10_000 < ChunkSize || written == cases)
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seeded {written:N0}/{cases:N0} cases, {eventRows:N0} events ({clock.Elapsed.TotalSeconds:0} s)"));
        }

        await completion;
        await using (var backfill = connection.CreateCommand())
        {
            // The reports' stays and categories (migration 0014), which the bulk insert bypasses: the migration's own
            // backfill, run again now that the history is there, as on a database migrated with its cases in it.
            var started = clock.Elapsed;
            backfill.CommandTimeout = 0;
            backfill.CommandText = $"{CaseStays.Sql.BackfillStays.Sqlite};\n{CaseStays.Sql.BackfillCategories.Sqlite};";
            await backfill.ExecuteNonQueryAsync();
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  backfilled the reports' stays and categories ({(clock.Elapsed - started).TotalSeconds:0} s)"));
        }

        await using (var finish = connection.CreateCommand())
        {
            // Later filings must not collide with the seeded references.
            finish.CommandText = "UPDATE ReferenceCounter SET NextNumber = $next WHERE Id = 1; PRAGMA wal_checkpoint(TRUNCATE);";
            finish.Parameters.AddWithValue("$next", cases + 1L);
            await finish.ExecuteNonQueryAsync();
        }

        return new SeedReport(cases, eventRows, feedRows, deadlineRows, clock.Elapsed);
    }

    private static SeedCase Generate(int index, int seed, double averageEvents, double overdueShare, DateTimeOffset now)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var (requesting, requested) = Pairs[random.Next(Pairs.Length)];
        var eventCount = Math.Max(1, 1 + (int)(random.NextDouble() * ((2 * (averageEvents - 1)) + 1)));
        if (random.NextDouble() < overdueShare)
        {
            // A backlog: arrested months ago and no hearing since, so the GB hearing-start clock is missed.
            (requesting, requested) = Stuck[random.Next(Stuck.Length)];
            eventCount = 5;
        }
        var person = SeedNames.For(index, random, requesting);
        var file = new CaseFileInput
        {
            RequestingState = requesting,
            RequestedState = requested,
            Basis = "Treaty",
            Category = "Accusation",
            Person = new PersonInput
            {
                FullName = person.FullName,
                Aliases = person.Aliases,
                Names = person.Names,
                IdentityDocuments = person.Documents,
                DateOfBirth = $"{1950 + random.Next(50)}-{1 + random.Next(12):D2}-{1 + random.Next(28):D2}",
                Nationality = requesting,
            },
            Offences = [new OffenceInput { Description = "Money laundering", Statute = "Anti-Money Laundering Act 2010 s.3", Category = "MoneyLaundering", MaxPenaltyMonths = 120, DeathPenalty = false }],
            Warrant = new WarrantInput { Reference = $"W-{index}", IssuedBy = "Anti-Terrorism Court Islamabad", IssuedOn = "2024-01-15" },
        }.ToCaseFile();

        var rules = Rules.RulesFor(requesting, requested);
        var occurred = Instant.Truncate(now - TimeSpan.FromDays(200 + (random.NextDouble() * 700)));
        var recorded = occurred + TimeSpan.FromMinutes(1 + random.Next(60));
        var c = ExtraditionCase.FileNew(Guid.CreateVersion7(recorded), $"EXT-{recorded.Year}-{index + 1:D6}", file, occurred, recorded, rules);
        var source = new RequestSource($"seed-{index}", "127.0.0.1");
        Caller CallerFor(CaseSide side)
        {
            var country = side == CaseSide.Requesting ? requesting : requested;
            return new Caller($"seed-officer-{country}", Caller.Officer, country, "SEED", "seed-issuer");
        }

        var events = new List<CaseEvent>(eventCount)
        {
            CaseEvent.Create(c.Changes[0], 1, recorded, CallerFor(CaseSide.Requesting), source,
                JsonSerializer.SerializeToNode(file, CaseJson.Options)!.AsObject(), CaseEvent.GenesisHash),
        };
        for (var step = 1; step < eventCount; step++)
        {
            var (trigger, side, data) = Step(step, index);
            occurred += TimeSpan.FromHours(1 + random.Next(240));
            recorded = occurred + TimeSpan.FromMinutes(1 + random.Next(60));
            var errors = new Dictionary<string, string[]>();
            var triggerData = TriggerDataReader.Read(trigger, data, errors);
            if (errors.Count > 0) throw new InvalidOperationException($"Seed data for {trigger} is invalid: {string.Join("; ", errors.Keys)}");
            c.Fire(trigger, new TransitionContext(occurred, null, triggerData), side, recorded);
            events.Add(CaseEvent.Create(c.Changes[^1], c.Version, recorded, CallerFor(side), source, TriggerDataReader.ToJson(triggerData), events[^1].Hash));
        }

        var id = c.Id.ToString("D");
        var caseRow = new Dictionary<string, object?>
        {
            ["Id"] = id,
            ["Reference"] = c.Reference,
            ["RequestingState"] = requesting,
            ["RequestedState"] = requested,
            ["State"] = c.State.ToString(),
            ["StateSince"] = Instant.ToText(c.StateSince),
            ["Version"] = c.Version,
            ["ReceivedAt"] = Instant.ToText(c.ReceivedAt),
            ["CreatedAt"] = Instant.ToText(c.CreatedAt),
            ["UpdatedAt"] = Instant.ToText(c.UpdatedAt),
            ["CaseFile"] = JsonSerializer.Serialize(c.File, CaseJson.Options),
            ["Workflow"] = JsonSerializer.Serialize(c.Facts, CaseJson.Options),
            ["HeadHash"] = events[^1].Hash,
            // Seeded under the current rules: the start-up step that re-applies rules finds nothing to do.
            ["RulesVersion"] = ExtraditionCases.Domain.Deadlines.ClockRules.Version,
        };
        var eventRows = events.ConvertAll(e => new Dictionary<string, object?>
        {
            ["CaseId"] = id,
            ["Sequence"] = e.Sequence,
            ["Type"] = e.Type,
            ["Trigger"] = e.Trigger,
            ["FromState"] = e.FromState,
            ["ToState"] = e.ToState,
            ["OccurredAt"] = Instant.ToText(e.OccurredAt),
            ["RecordedAt"] = Instant.ToText(e.RecordedAt),
            ["ActorSubject"] = e.Actor.Subject,
            ["ActorRole"] = e.Actor.Role,
            ["ActorAgency"] = e.Actor.Agency,
            ["ActorCountry"] = e.Actor.Country,
            ["ActorIssuer"] = e.Actor.Issuer,
            ["RequestId"] = e.Source.RequestId,
            ["ClientAddress"] = e.Source.ClientAddress,
            ["Note"] = e.Note,
            ["Data"] = e.Data.ToJsonString(CaseJson.Options),
            ["PrevHash"] = e.PrevHash,
            ["Hash"] = e.Hash,
            ["RulesVersion"] = ExtraditionCases.Domain.Deadlines.ClockRules.Version,
        });
        var deadlineRows = c.Deadlines.Select(d => new Dictionary<string, object?>
        {
            ["CaseId"] = id,
            ["Ordinal"] = d.Ordinal,
            ["Kind"] = d.Kind.ToString(),
            ["StartedAt"] = Instant.ToText(d.StartedAt),
            ["DueAt"] = Instant.ToText(d.DueAt),
            ["Status"] = d.Status.ToString(),
            ["Statute"] = d.Statute,
            ["Advisory"] = d.Advisory,
        }).ToList();
        string[] audiences = [.. new[] { requesting, requested, AllCases }.Distinct().Order(StringComparer.Ordinal)];
        var feedRows = new List<Dictionary<string, object?>>(events.Count * audiences.Length);
        foreach (var e in events)
        {
            foreach (var audience in audiences)
            {
                feedRows.Add(new Dictionary<string, object?>
                {
                    ["Audience"] = audience,
                    ["CaseId"] = id,
                    ["Reference"] = c.Reference,
                    ["Version"] = e.Sequence,
                    ["State"] = e.ToState ?? c.State.ToString(),
                    ["Type"] = e.Type,
                    ["OccurredAt"] = Instant.ToText(e.OccurredAt),
                    ["RecordedAt"] = Instant.ToText(e.RecordedAt),
                    // The same event's leaf (TransparencySql.AppendLeaf), as the case store appends it after the feed rows.
                    ["Tree"] = Trees.OfAudience(audience),
                    ["Sequence"] = e.Sequence,
                    ["AccessId"] = null,
                    ["EntryHash"] = e.Hash,
                });
            }
        }

        // The search index, as the case store writes it in the filing and transitions' transaction (SearchIndex).
        var entries = SearchIndex.FileEntries(c.Reference, c.File).Concat(events.SelectMany(e => e.Type == CaseChange.Transitioned
            ? SearchIndex.EventEntries(e.Sequence, e.Trigger, e.Data) : [])).ToList();
        var (entryJson, termJson) = SearchIndex.Rows(entries);
        var entryRows = new Dictionary<string, object?> { ["CaseId"] = id, ["Rows"] = entryJson };
        var termRows = new Dictionary<string, object?> { ["CaseId"] = id, ["RequestingState"] = requesting, ["RequestedState"] = requested, ["Rows"] = termJson };

        return new SeedCase(caseRow, eventRows, deadlineRows, feedRows, entryRows, termRows);
    }

    private static readonly DeadlineOptions Rules = new();

    /// <summary>The walk every seeded case follows as far as its event count goes.</summary>
    private static (WorkflowTrigger Trigger, CaseSide Side, JsonObject? Data) Step(int step, int index) => step switch
    {
        1 => (WorkflowTrigger.Submit, CaseSide.Requesting, null),
        2 => (WorkflowTrigger.Certify, CaseSide.Requested, new JsonObject { ["certificateReference"] = $"S70-{index}" }),
        3 => (WorkflowTrigger.IssueWarrant, CaseSide.Requested, new JsonObject { ["warrantReference"] = $"S71-{index}", ["court"] = "Westminster Magistrates Court" }),
        4 => (WorkflowTrigger.Arrest, CaseSide.Requested, null),
        5 => (WorkflowTrigger.OpenHearing, CaseSide.Requested, null),
        _ when step % 2 == 0 => (WorkflowTrigger.Adjourn, CaseSide.Requested, new JsonObject { ["ground"] = "UkCharge" }),
        _ => (WorkflowTrigger.OpenHearing, CaseSide.Requested, null),
    };

    private static SqliteCommand Prepare(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in ParameterName().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }

    private static void Set(SqliteCommand command, Dictionary<string, object?> row)
    {
        foreach (SqliteParameter parameter in command.Parameters)
            parameter.Value = row[parameter.ParameterName[1..]] ?? DBNull.Value;
    }

    [GeneratedRegex("@[A-Za-z]+")]
    private static partial Regex ParameterName();

    private sealed record SeedCase(
        Dictionary<string, object?> CaseRow,
        List<Dictionary<string, object?>> EventRows,
        List<Dictionary<string, object?>> DeadlineRows,
        List<Dictionary<string, object?>> FeedRows,
        Dictionary<string, object?> EntryRows,
        Dictionary<string, object?> TermRows);
}
