using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Feed;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Cases;

public sealed class CaseStore(DatabaseSession session, DeadlineOptions deadlineOptions, Webhooks.WebhookOutbox webhooks) : ICaseStore
{
    /// <summary>The auditors' audience in the change feed: every case.</summary>
    public const string AllCasesAudience = Application.Features.Partners.GetChanges.AllCases;

    private readonly CaseStoreSql _sql = CaseStoreSql.Statements.For(session.Provider);
    private readonly ChangeFeedSql _feed = ChangeFeedSql.Statements.For(session.Provider);

    public async Task<long> NextReferenceNumberAsync(CancellationToken cancellationToken) =>
        await QuerySingleAsync<long>(_sql.NextReferenceNumber, null, cancellationToken);

    public async Task<LoadedCase?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(Command(_sql.FindCase, new { Id = id }, cancellationToken));
        if (row is null) return null;
        var deadlines = await connection.QueryAsync<DeadlineRow>(Command(_sql.FindDeadlines, new { Id = id }, cancellationToken));
        return new LoadedCase(Restore(row, deadlines), row.HeadHash);
    }

    public async Task<CaseParties?> FindPartiesAsync(Guid id, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CaseParties>(Command(_sql.FindParties, new { Id = id }, cancellationToken));
    }

    public async Task AddAsync(ExtraditionCase newCase, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken)
    {
        await ExecuteAsync(_sql.InsertCase, CaseParameters(newCase, events[^1].Hash, expectedVersion: 0), cancellationToken);
        await AppendAsync(newCase, events, cancellationToken, isNew: true);
        await IndexAsync(newCase, events, cancellationToken);
        await Application.Features.Reports.CaseStays.WriteAsync(session, newCase, events, cancellationToken);
    }

    public async Task SaveAsync(ExtraditionCase changedCase, int expectedVersion, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken)
    {
        // No event (recomputed facts and clocks only): the head stays as stored.
        var updated = await ExecuteAsync(_sql.UpdateCase, CaseParameters(changedCase, events.Count > 0 ? events[^1].Hash : null, expectedVersion), cancellationToken);
        // Another writer saved first: its version is the one our If-Match no longer names.
        if (updated == 0) throw new PreconditionFailedException($"Case {changedCase.Id} changed since version {expectedVersion}.");
        await AppendAsync(changedCase, events, cancellationToken);
        await IndexAsync(changedCase, events, cancellationToken);
        // The reports' stays and categories follow the events in the same transaction.
        await Application.Features.Reports.CaseStays.WriteAsync(session, changedCase, events, cancellationToken);
    }

    /// <summary>The search index follows the case in the same transaction: its file when that changed, references a transition recorded.</summary>
    private Task IndexAsync(ExtraditionCase c, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken) =>
        Application.Features.Search.SearchIndex.WriteAsync(session, c, events.Select(e => (e.Sequence, e.Type, e.Trigger, e.Data)),
            fileChanged: events.Any(e => e.Type is CaseChange.CaseFiled or CaseChange.CaseUpdated or ExtraditionCase.RulesApplied), cancellationToken);

    /// <summary>
    /// Up to this many overdue clocks, the overdue list is driven from them (a page costs at most this many
    /// clock and case reads whatever the number of cases); past it, overdue cases are common enough that the
    /// creation-order walk finds a page within a few hundred rows. Measured on the 100,000-case seed (about
    /// 11,700 overdue clocks): the walk 2-3 ms, the clock-driven statement 85 ms (docs/benchmarks.md).
    /// </summary>
    public static int ClockDrivenOverdueBacklog { get; set; } = 1_000;

    public async Task<IReadOnlyList<ExtraditionCase>> ListAsync(CaseListFilter filter, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        // The filters every list statement takes; each statement adds its own keyset (and the officer, for a work list).
        var parameters = new DynamicParameters(new
        {
            filter.Country,
            State = filter.State?.ToString(),
            filter.RequestingState,
            filter.RequestedState,
            filter.OverdueOnly,
            filter.Now,
            filter.Limit,
        });
        string statement;
        if (filter.AssignedTo is { } officer)
        {
            statement = _sql.ListAssigned;
            var after = filter.AfterWork ?? WorkCursor.First;
            parameters.AddDynamicParams(new
            {
                AssigneeCountry = officer.Country,
                AssigneeIssuer = officer.Issuer,
                AssigneeSubject = officer.Subject,
                WorkCursor.NoClock,
                AfterDueAt = after.NextDueAt,
                AfterCreatedAt = after.CreatedAt,
                AfterId = after.Id,
            });
        }
        else
        {
            statement = _sql.ListCases;
            if (filter.OverdueOnly)
            {
                var cap = ClockDrivenOverdueBacklog;
                var backlog = await connection.ExecuteScalarAsync<long>(Command(_sql.CountOverdueClocks, new { filter.Now, Cap = cap }, cancellationToken));
                if (backlog < cap) statement = _sql.ListOverdueCases;
            }

            parameters.AddDynamicParams(new { AfterCreatedAt = filter.After?.CreatedAt, AfterId = filter.After?.Id });
        }

        var rows = (await connection.QueryAsync<CaseRow>(Command(statement, parameters, cancellationToken))).ToList();
        if (rows.Count == 0) return [];
        // The page's clocks in one round trip rather than one query per case (issue 20).
        var clocks = (await connection.QueryAsync<DeadlineRow>(Command(_sql.FindDeadlinesOfCases,
            new { Ids = JsonSerializer.Serialize(rows.Select(r => r.Id)) }, cancellationToken))).ToLookup(d => d.CaseId);
        return [.. rows.Select(row => Restore(row, clocks[row.Id]))];
    }

    private async Task AppendAsync(ExtraditionCase c, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken, bool isNew = false)
    {
        foreach (var e in events)
        {
            await ExecuteAsync(_sql.InsertEvent, new
            {
                CaseId = c.Id,
                e.Sequence,
                e.Type,
                e.Trigger,
                e.FromState,
                e.ToState,
                e.OccurredAt,
                e.RecordedAt,
                ActorSubject = e.Actor.Subject,
                ActorRole = e.Actor.Role,
                ActorAgency = e.Actor.Agency,
                ActorCountry = e.Actor.Country,
                ActorIssuer = e.Actor.Issuer,
                e.Source.RequestId,
                e.Source.ClientAddress,
                e.Note,
                Data = e.Data.ToJsonString(CaseJson.Options),
                e.PrevHash,
                e.Hash,
                // Every event is made under the rules the case is under (the current ones once the start-up step
                // ran); a replay applies the rules of its version.
                RulesVersion = c.Rules.RulesVersion,
            }, cancellationToken);
        }

        // A handful of clocks per case: rewritten whole when they changed, left alone when they are exactly the rows
        // this store read (the version-guarded UPDATE above proves they are still the stored ones), which spares
        // the clock table's pages in most steps' commits (issue 20).
        if (!(LoadedClocks.TryGetValue(c, out var stored) && stored.SequenceEqual(c.Deadlines)))
        {
            LoadedClocks.Remove(c);
            // A case just inserted has no clock rows to delete.
            if (!isNew) await ExecuteAsync(_sql.DeleteDeadlines, new { CaseId = c.Id }, cancellationToken);
            // A list of parameter sets is one command run once per set (Dapper's multi-execute): the statement is
            // prepared once, not once per row, while the transaction holds the SQLite writer gate (issue 20).
            if (c.Deadlines.Count > 0)
            {
                await ExecuteAsync(_sql.InsertDeadline, c.Deadlines.Select(d => new
                {
                    CaseId = c.Id,
                    d.Ordinal,
                    Kind = d.Kind.ToString(),
                    d.StartedAt,
                    d.DueAt,
                    Status = d.Status.ToString(),
                    d.Statute,
                    d.Advisory,
                }).ToList(), cancellationToken);
            }
        }

        // Last, so the feed's per-audience locks (SQL Server) are held for as short a time as possible;
        // audiences in one fixed order, so two writers never wait on each other crosswise.
        string[] audiences = [.. new[] { c.File.RequestingState, c.File.RequestedState, AllCasesAudience }.Distinct().Order(StringComparer.Ordinal)];
        // One command for every row, in event then audience order (the order the leaves follow).
        var feedRows = events.SelectMany(e => audiences.Select(audience => new
        {
            Audience = audience,
            CaseId = c.Id,
            c.Reference,
            Version = e.Sequence,
            State = e.ToState ?? c.State.ToString(),
            e.Type,
            e.OccurredAt,
            e.RecordedAt,
        })).ToList();
        if (feedRows.Count > 0) await ExecuteAsync(_feed.Append, feedRows, cancellationToken);

        // The webhook deliveries of these events, in the same transaction: no event without its deliveries.
        await webhooks.AppendAsync(c, events, cancellationToken);
        // Issue 15: each event is also a leaf of its audiences' Merkle trees, whose signed checkpoints hold against the database's administrators.
        await Transparency.TransparencyLeaves.AppendEventsAsync(session, audiences, c.Id, events, cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> CasesUnderOlderRulesAsync(int limit, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        return [.. await connection.QueryAsync<Guid>(Command(_sql.CasesUnderOlderRules, new { RulesVersion = ClockRules.Version, Limit = limit }, cancellationToken))];
    }

    private static object CaseParameters(ExtraditionCase c, string? headHash, int expectedVersion) => new
    {
        c.Id,
        c.Reference,
        c.File.RequestingState,
        c.File.RequestedState,
        State = c.State.ToString(),
        c.StateSince,
        c.Version,
        c.ReceivedAt,
        c.CreatedAt,
        c.UpdatedAt,
        CaseFile = JsonSerializer.Serialize(c.File, CaseJson.Options),
        Workflow = JsonSerializer.Serialize(c.Facts, CaseJson.Options),
        HeadHash = headHash,
        ExpectedVersion = expectedVersion,
        RulesVersion = c.Rules.RulesVersion,
    };

    /// <summary>The clock rows as read with each case this process restored (by instance): see <see cref="AppendAsync"/>.</summary>
    private static readonly ConditionalWeakTable<ExtraditionCase, Deadline[]> LoadedClocks = new();

    private ExtraditionCase Restore(CaseRow row, IEnumerable<DeadlineRow> deadlines)
    {
        var file = JsonSerializer.Deserialize<CaseFile>(row.CaseFile, CaseJson.Options)!;
        Deadline[] stored = [.. deadlines.Select(d => new Deadline
        {
            Ordinal = d.Ordinal,
            Kind = Enum.Parse<DeadlineKind>(d.Kind),
            StartedAt = d.StartedAt,
            DueAt = d.DueAt,
            Status = Enum.Parse<DeadlineStatus>(d.Status),
            Statute = d.Statute,
            Advisory = d.Advisory,
        }).OrderBy(d => d.Ordinal)];
        var restored = ExtraditionCase.Restore(
            row.Id, row.Reference, file, Enum.Parse<CaseState>(row.State), row.StateSince, row.Version, row.ReceivedAt,
            row.CreatedAt, row.UpdatedAt, JsonSerializer.Deserialize<WorkflowFacts>(row.Workflow, CaseJson.Options)!,
            stored, deadlineOptions.RulesFor(file.RequestingState, file.RequestedState, row.RulesVersion));
        LoadedClocks.AddOrUpdate(restored, stored);
        return restored;
    }

    private async Task<T> QuerySingleAsync<T>(string sql, object? parameters, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<T>(Command(sql, parameters, cancellationToken));
    }

    private async Task<int> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(Command(sql, parameters, cancellationToken));
    }

    private CommandDefinition Command(string sql, object? parameters, CancellationToken cancellationToken) =>
        new(sql, parameters, session.Transaction, cancellationToken: cancellationToken);

    // Property-mapped rows: SQLite hands back TEXT and INTEGER where SQL Server has typed columns, and
    // Dapper converts per property (with our GUID and instant handlers), not per constructor.
    private sealed class CaseRow
    {
        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string State { get; init; } = "";
        public DateTimeOffset StateSince { get; init; }
        public int Version { get; init; }
        public DateTimeOffset ReceivedAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string CaseFile { get; init; } = "";
        public string Workflow { get; init; } = "";
        public string HeadHash { get; init; } = "";
        public int RulesVersion { get; init; } = ClockRules.Version;
    }

    private sealed class DeadlineRow
    {
        public Guid CaseId { get; init; }
        public int Ordinal { get; init; }
        public string Kind { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public string Status { get; init; } = "";
        public string Statute { get; init; } = "";
        public bool Advisory { get; init; }
    }
}
