using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using ExtraditionCases.Application;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure;
using ExtraditionCases.Infrastructure.Cases;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What <see cref="ICaseStore"/> promises, written once and run against every provider at hand:
/// SQLite always, SQL Server when <see cref="SqlServerTestDatabase.Variable"/> names a server.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class CaseStoreContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private const string ReadEventsSql = """
        SELECT Sequence, Type, [Trigger], FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency,
               ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash
        FROM CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence
        """;

    [TestCase(Cases.UrduName)]
    [TestCase(Cases.ArabicName)]
    public async Task A_filed_case_reads_back_exactly_with_names_in_any_script(string fullName)
    {
        var file = CaseFileFor(fullName, "PK", "GB");
        var (filed, filedEvent) = await FileAsync(file, Now);

        await using var session = Open();
        var loaded = await session.Store.FindAsync(filed.Id, CancellationToken.None);
        var parties = await session.Store.FindPartiesAsync(filed.Id, CancellationToken.None);
        var stored = await QueryAsync<string>("SELECT CaseFile FROM Cases WHERE Id = @Id", new { filed.Id });

        Assert.That(loaded, Is.Not.Null);
        var read = loaded!.Case;
        Assert.Multiple(() =>
        {
            Assert.That((read.Id, read.Reference, read.State, read.Version), Is.EqualTo((filed.Id, filed.Reference, CaseState.Draft, 1)));
            Assert.That((read.StateSince, read.ReceivedAt, read.CreatedAt, read.UpdatedAt), Is.EqualTo((ReceivedAt, ReceivedAt, Now, Now)));
            Assert.That(read.ReceivedAt.Offset, Is.EqualTo(TimeSpan.Zero), "instants come back in UTC");
            Assert.That(read.Facts, Is.EqualTo(filed.Facts));
            Assert.That(read.File.Person.FullName, Is.EqualTo(fullName));
            Assert.That(read.File.Person.Aliases, Is.EqualTo(file.Person.Aliases));
            // Lists compare item by item; the records around them without their lists.
            Assert.That(read.File.Person.Names, Is.EqualTo(file.Person.Names).And.Not.Empty);
            Assert.That(read.File.Person.IdentityDocuments, Is.EqualTo(file.Person.IdentityDocuments).And.Not.Empty);
            Assert.That(read.File.Person with { Aliases = [], Names = [], IdentityDocuments = [] },
                Is.EqualTo(file.Person with { Aliases = [], Names = [], IdentityDocuments = [] }));
            Assert.That(read.File.Offences, Is.EqualTo(file.Offences));
            Assert.That(read.File.Assurances, Is.EqualTo(file.Assurances).And.Not.Empty);
            Assert.That(read.File.DomesticWarrants, Is.EqualTo(file.DomesticWarrants).And.Not.Empty);
            Assert.That(read.File.Hearings, Is.EqualTo(file.Hearings).And.Not.Empty);
            Assert.That(read.File.DomesticProceedings, Is.EqualTo(file.DomesticProceedings).And.Not.Empty);
            Assert.That(read.File with
            {
                Person = file.Person, Offences = file.Offences, Assurances = file.Assurances, DomesticWarrants = file.DomesticWarrants,
                Hearings = file.Hearings, DomesticProceedings = file.DomesticProceedings,
            }, Is.EqualTo(file));
            Assert.That(loaded.HeadHash, Is.EqualTo(filedEvent.Hash));
            Assert.That(parties, Is.EqualTo(new CaseParties("PK", "GB")));
            Assert.That(stored.Single(), Does.Contain(fullName), "names are stored as text in their own script, not escaped");
        });
    }

    [Test]
    public async Task Cases_under_older_rules_are_recomputed_once_with_a_RulesApplied_event_where_a_date_moves()
    {
        // A PK-requested case committed on 15 August: under rules version 1 its s.12 clock ended with 14 October.
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "GB", "PK"), Now);
        var committal = new DateTimeOffset(2026, 8, 15, 10, 0, 0, TimeSpan.Zero);
        await SaveAsync(filed.Id, c =>
        {
            foreach (var (trigger, data) in new (WorkflowTrigger, Dictionary<string, object>)[]
            {
                (WorkflowTrigger.ProvisionalArrest, []),
                (WorkflowTrigger.ReceiveFullRequest, new() { ["certificateReference"] = "S70-1" }),
                (WorkflowTrigger.OpenHearing, []),
                (WorkflowTrigger.SendToExecutive, []),
            })
            {
                c.Fire(trigger, new TransitionContext(committal, "from the file", new TriggerData(data)), CaseSide.Requested, Now);
            }
        }, Now);
        var oldDue = new DateTimeOffset(2026, 10, 14, 19, 0, 0, TimeSpan.Zero);
        var correctDue = new DateTimeOffset(2026, 10, 15, 19, 0, 0, TimeSpan.Zero);
        await using (var connection = await ConnectionFactory.OpenAsync(Options, CancellationToken.None))
        {
            await connection.ExecuteAsync("UPDATE Deadlines SET DueAt = @DueAt WHERE CaseId = @Id", new { DueAt = oldDue, filed.Id });
            await connection.ExecuteAsync("UPDATE Cases SET RulesVersion = 1 WHERE Id = @Id", new { filed.Id });
        }

        int first, second;
        await using (var session = Open()) first = await session.Get<ExtraditionCases.Application.Features.Cases.ApplyCorrectedRules>().RunAsync(CancellationToken.None);
        await using (var session = Open()) second = await session.Get<ExtraditionCases.Application.Features.Cases.ApplyCorrectedRules>().RunAsync(CancellationToken.None);

        await using var read = Open();
        var c = (await read.Store.FindAsync(filed.Id, CancellationToken.None))!.Case;
        var events = await ExtraditionCases.Application.Features.Audit.GetHistory.EventsAsync(read.Get<IDatabaseSession>(), filed.Id, CancellationToken.None);
        var applied = events[^1];
        var moved = applied.Data["deadlines"]!.AsArray().Single()!;
        var versions = await QueryAsync<int?>("SELECT RulesVersion FROM CaseEvents WHERE CaseId = @Id ORDER BY Sequence", new { filed.Id });
        Assert.Multiple(() =>
        {
            Assert.That(versions, Is.All.EqualTo(ClockRules.Version), "each event records the rules it was made under");
            Assert.That((first, second), Is.EqualTo((1, 0)), "recorded once; a second run finds nothing under older rules");
            Assert.That(applied.Type, Is.EqualTo("RulesApplied"));
            Assert.That(applied.Sequence, Is.EqualTo(c.Version));
            Assert.That(applied.ComputeHash(), Is.EqualTo(applied.Hash));
            Assert.That(applied.PrevHash, Is.EqualTo(events[^2].Hash), "chained to the case's history");
            Assert.That((string?)moved["kind"], Is.EqualTo("Surrender"));
            Assert.That((string?)moved["oldDueAt"], Is.EqualTo("2026-10-14T19:00:00.000Z"));
            Assert.That((string?)moved["newDueAt"], Is.EqualTo("2026-10-15T19:00:00.000Z"));
            Assert.That((string?)moved["rule"], Does.Contain("General Clauses Act 1897 s.9"));
            Assert.That((int?)applied.Data["rulesVersion"], Is.EqualTo(ClockRules.Version));
            Assert.That(applied.Data["unconfirmed"]!.AsArray().Select(p => (string?)p), Is.EqualTo(new[] { "/offences/0/deathPenalty", "/offences/1/deathPenalty" }),
                "false was the default, not a statement: it reads null until an officer states it");
            Assert.That(c.File.Offences.Select(o => o.DeathPenalty), Is.All.Null);
            Assert.That(c.Deadlines.Single(d => d.Kind == DeadlineKind.Surrender).DueAt, Is.EqualTo(correctDue));
        });
    }

    [Test]
    public async Task A_case_that_does_not_exist_is_not_found()
    {
        await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        await using var session = Open();

        var found = await session.Store.FindAsync(Guid.NewGuid(), CancellationToken.None);
        var parties = await session.Store.FindPartiesAsync(Guid.NewGuid(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.Null);
            Assert.That(parties, Is.Null);
        });
    }

    [Test]
    public async Task Deadlines_are_saved_and_read_back_with_the_case()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now.AddHours(1)), Now.AddHours(2));

        await using var session = Open();
        var read = (await session.Store.FindAsync(filed.Id, CancellationToken.None))!.Case;

        Assert.Multiple(() =>
        {
            Assert.That(read.State, Is.EqualTo(CaseState.ProvisionalArrest));
            Assert.That(read.StateSince, Is.EqualTo(Now.AddHours(1)));
            Assert.That(read.Deadlines.Select(d => (d.Ordinal, d.Kind, d.StartedAt, d.Status, d.Advisory)),
                Is.EqualTo(new[] { (1, DeadlineKind.FullRequest, Now.AddHours(1), DeadlineStatus.Pending, false) }));
            Assert.That(read.Deadlines.Single().DueAt, Is.GreaterThan(Now.AddDays(44)).And.LessThan(Now.AddDays(46)));
            Assert.That(read.Deadlines.Single().Statute, Does.Contain("s.74"));
        });
    }

    [Test]
    public async Task Events_are_appended_in_order_with_sequence_equal_to_version_and_chained_hashes()
    {
        var (filed, filedEvent) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var secondAndThird = await SaveAsync(filed.Id, c =>
        {
            c.UpdateFile(c.File with { RequestingAuthority = "محکمہ داخلہ پنجاب" }, CaseSide.Requested, Now.AddMinutes(1));
            c.UpdateFile(c.File with { Person = c.File.Person with { Aliases = [Cases.ArabicName] } }, CaseSide.Requested, Now.AddMinutes(1));
        }, Now.AddMinutes(1));
        var fourth = await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now.AddMinutes(2)), Now.AddMinutes(3));
        var written = new[] { filedEvent }.Concat(secondAndThird).Concat(fourth).ToList();

        var stored = (await QueryAsync<EventRow>(ReadEventsSql, new { CaseId = filed.Id })).Select(r => r.ToEvent()).ToList();
        await using var session = Open();
        var loaded = (await session.Store.FindAsync(filed.Id, CancellationToken.None))!;

        Assert.Multiple(() =>
        {
            Assert.That(stored.Select(e => e.Sequence), Is.EqualTo(new[] { 1, 2, 3, 4 }));
            Assert.That(loaded.Case.Version, Is.EqualTo(stored[^1].Sequence));
            Assert.That(stored.Select(e => e.Type), Is.EqualTo(new[] { "CaseFiled", "CaseUpdated", "CaseUpdated", "Transitioned" }));
            Assert.That(stored[0].PrevHash, Is.EqualTo(CaseEvent.GenesisHash));
            for (var n = 1; n < stored.Count; n++)
                Assert.That(stored[n].PrevHash, Is.EqualTo(stored[n - 1].Hash), $"event {n + 1} chains to event {n}");
            Assert.That(stored.Select(e => e.Hash), Is.EqualTo(written.Select(e => e.Hash)));
            // Recomputed from what was stored: every hashed member came back exactly, Urdu and instants included.
            Assert.That(stored.Select(e => e.ComputeHash()), Is.EqualTo(stored.Select(e => e.Hash)));
            Assert.That(loaded.HeadHash, Is.EqualTo(stored[^1].Hash));
        });
    }

    [Test]
    public async Task A_save_from_a_stale_version_fails_with_precondition_failed_and_leaves_no_event()
    {
        var (filed, filedEvent) = await FileAsync(CaseFileFor(Cases.ArabicName, "PK", "GB"), Now);
        await using var first = Open();
        await using var second = Open();
        var firstLoad = (await first.Store.FindAsync(filed.Id, CancellationToken.None))!;
        var secondLoad = (await second.Store.FindAsync(filed.Id, CancellationToken.None))!;
        firstLoad.Case.UpdateFile(firstLoad.Case.File with { RequestingAuthority = "first writer" }, CaseSide.Requested, Now.AddMinutes(1));
        secondLoad.Case.UpdateFile(secondLoad.Case.File with { RequestingAuthority = "second writer" }, CaseSide.Requested, Now.AddMinutes(2));
        var firstEvents = EventsFor(firstLoad, Now.AddMinutes(1));
        var secondEvents = EventsFor(secondLoad, Now.AddMinutes(2));

        await first.Database.BeginAsync(CancellationToken.None);
        await first.Store.SaveAsync(firstLoad.Case, expectedVersion: 1, firstEvents, CancellationToken.None);
        await first.Database.CommitAsync(CancellationToken.None);
        await second.Database.BeginAsync(CancellationToken.None);
        var refused = Assert.ThrowsAsync<PreconditionFailedException>(() =>
            second.Store.SaveAsync(secondLoad.Case, expectedVersion: 1, secondEvents, CancellationToken.None));
        await second.Database.RollbackAsync(CancellationToken.None);

        var stored = await QueryAsync<EventRow>(ReadEventsSql, new { CaseId = filed.Id });
        await using var reader = Open();
        var current = (await reader.Store.FindAsync(filed.Id, CancellationToken.None))!;
        Assert.Multiple(() =>
        {
            Assert.That(refused!.Message, Does.Contain("version 1"));
            Assert.That(stored.Select(e => (e.Sequence, e.Hash)), Is.EqualTo(new[] { (1, filedEvent.Hash), (2, firstEvents[0].Hash) }));
            Assert.That(current.Case.Version, Is.EqualTo(2));
            Assert.That(current.Case.File.RequestingAuthority, Is.EqualTo("first writer"));
            Assert.That(current.HeadHash, Is.EqualTo(firstEvents[0].Hash));
        });
    }

    [Test]
    public async Task Reference_numbers_are_handed_out_once_each()
    {
        var numbers = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await using var session = Open();
            await session.Database.BeginAsync(CancellationToken.None);
            numbers.Add(await session.Store.NextReferenceNumberAsync(CancellationToken.None));
            await session.Database.CommitAsync(CancellationToken.None);
        }

        Assert.That(numbers, Is.EqualTo(new[] { numbers[0], numbers[0] + 1, numbers[0] + 2 }));
        Assert.That(numbers[0], Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Listing_filters_by_party_state_and_overdue_clocks_and_pages_by_creation()
    {
        // States no other test files under, so the list is this test's alone on a shared server database.
        var (a, _) = await FileAsync(CaseFileFor(Cases.UrduName, "NL", "BE"), Now);
        var (b, _) = await FileAsync(CaseFileFor(Cases.ArabicName, "FR", "BE"), Now.AddSeconds(1));
        var (c, _) = await FileAsync(CaseFileFor(Cases.UrduName, "NL", "FR"), Now.AddSeconds(2));
        await SaveAsync(a.Id, x => ProvisionalArrest(x, Now.AddSeconds(3)), Now.AddSeconds(4));
        var later = Now.AddDays(60);

        var byCountry = await ListAsync(new CaseListFilter("NL", null, null, null, false, Now, 10, null));
        var overdue = await ListAsync(new CaseListFilter("NL", null, null, null, true, later, 10, null));
        var notYetOverdue = await ListAsync(new CaseListFilter("NL", null, null, null, true, Now.AddDays(1), 10, null));
        var firstPage = await ListAsync(new CaseListFilter(null, null, null, "BE", false, Now, 1, null));
        var secondPage = await ListAsync(new CaseListFilter(null, null, null, "BE", false, Now, 1, new CaseCursor(firstPage[0].CreatedAt, firstPage[0].Id)));
        var byState = await ListAsync(new CaseListFilter(null, CaseState.ProvisionalArrest, "NL", null, false, Now, 10, null));

        Assert.Multiple(() =>
        {
            Assert.That(byCountry.Select(x => x.Id), Is.EqualTo(new[] { a.Id, c.Id }));
            Assert.That(overdue.Select(x => x.Id), Is.EqualTo(new[] { a.Id }));
            Assert.That(notYetOverdue, Is.Empty);
            Assert.That(firstPage.Select(x => x.Id), Is.EqualTo(new[] { a.Id }));
            Assert.That(secondPage.Select(x => x.Id), Is.EqualTo(new[] { b.Id }));
            Assert.That(byState.Select(x => x.Id), Is.EqualTo(new[] { a.Id }));
            Assert.That(byState.Single().Deadlines, Has.Count.EqualTo(1));
        });
    }

    [Test]
    public async Task The_overdue_list_is_the_same_driven_from_the_clocks_or_walked_in_creation_order()
    {
        // Countries no other test files under; CaseStore picks the statement by the overdue backlog, so both are forced here.
        var (a, _) = await FileAsync(CaseFileFor(Cases.UrduName, "LU", "MT"), Now);
        var (b, _) = await FileAsync(CaseFileFor(Cases.ArabicName, "MT", "LU"), Now.AddSeconds(1));
        var (c, _) = await FileAsync(CaseFileFor(Cases.UrduName, "LU", "CY"), Now.AddSeconds(2));
        await FileAsync(CaseFileFor(Cases.ArabicName, "CY", "MT"), Now.AddSeconds(3));
        await SaveAsync(a.Id, x => ProvisionalArrest(x, Now.AddSeconds(4)), Now.AddSeconds(5));
        await SaveAsync(c.Id, x => ProvisionalArrest(x, Now.AddSeconds(6)), Now.AddSeconds(7));
        var later = Now.AddDays(60);

        async Task<List<Guid>[]> ListBothWaysAsync(int backlog)
        {
            var saved = CaseStore.ClockDrivenOverdueBacklog;
            CaseStore.ClockDrivenOverdueBacklog = backlog;
            try
            {
                var all = await ListAsync(new CaseListFilter("LU", null, null, null, true, later, 10, null));
                var first = await ListAsync(new CaseListFilter("LU", null, null, null, true, later, 1, null));
                var second = await ListAsync(new CaseListFilter("LU", null, null, null, true, later, 1, new CaseCursor(first[0].CreatedAt, first[0].Id)));
                var notYet = await ListAsync(new CaseListFilter("LU", null, null, null, true, Now.AddDays(1), 10, null));
                var otherParty = await ListAsync(new CaseListFilter("MT", null, null, null, true, later, 10, null));
                return [[.. all.Select(x => x.Id)], [.. first.Select(x => x.Id)], [.. second.Select(x => x.Id)], [.. notYet.Select(x => x.Id)], [.. otherParty.Select(x => x.Id)]];
            }
            finally
            {
                CaseStore.ClockDrivenOverdueBacklog = saved;
            }
        }

        var driven = await ListBothWaysAsync(int.MaxValue);
        var walked = await ListBothWaysAsync(0);

        Assert.Multiple(() =>
        {
            Assert.That(driven[0], Is.EqualTo(new[] { a.Id, c.Id }));
            Assert.That(driven[1], Is.EqualTo(new[] { a.Id }));
            Assert.That(driven[2], Is.EqualTo(new[] { c.Id }));
            Assert.That(driven[3], Is.Empty);
            Assert.That(driven[4], Is.EqualTo(new[] { a.Id }), "b is not overdue");
            Assert.That(walked, Is.EqualTo(driven));
        });
    }

    [Test]
    public async Task Applying_the_migrations_again_changes_nothing()
    {
        await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var before = await SchemaSnapshotAsync();
        var logger = new RecordingLogger<Migrator>();

        Assert.That(() => new Migrator(Options, logger).Migrate(), Throws.Nothing);

        var after = await SchemaSnapshotAsync();
        Assert.Multiple(() =>
        {
            Assert.That(logger.Messages, Is.Empty, "no script ran again");
            Assert.That(after, Is.EqualTo(before));
            Assert.That(before, Has.Some.StartsWith("journal ").And.Not.Contains("journal 0"));
        });
    }

    [Test]
    public async Task The_event_history_refuses_update_and_delete()
    {
        var (filed, filedEvent) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        await using var connection = await ConnectionFactory.OpenAsync(Options, CancellationToken.None);

        var update = Assert.CatchAsync<DbException>(() =>
            connection.ExecuteAsync("UPDATE CaseEvents SET Note = 'rewritten' WHERE CaseId = @CaseId", new { CaseId = filed.Id }));
        var delete = Assert.CatchAsync<DbException>(() =>
            connection.ExecuteAsync("DELETE FROM CaseEvents WHERE CaseId = @CaseId", new { CaseId = filed.Id }));

        var stored = await QueryAsync<EventRow>(ReadEventsSql, new { CaseId = filed.Id });
        Assert.Multiple(() =>
        {
            // SQLite: the migration's triggers. SQL Server: the append-only ledger table itself.
            Assert.That(update!.Message, Does.Contain("append").IgnoreCase);
            Assert.That(delete!.Message, Does.Contain("append").IgnoreCase);
            Assert.That(stored.Select(e => (e.Note, e.Hash)), Is.EqualTo(new[] { ((string?)null, filedEvent.Hash) }));
        });

        if (Provider == DatabaseProvider.SqlServer) await AssertTheLedgerVerifiesAsync(connection);
    }

    /// <summary>The events table is a ledger table, and the database's ledger digest verifies.</summary>
    private static async Task AssertTheLedgerVerifiesAsync(DbConnection connection)
    {
        var ledgerType = await connection.QuerySingleAsync<string>("SELECT ledger_type_desc FROM sys.tables WHERE object_id = OBJECT_ID(N'dbo.CaseEvents');");
        var digest = await connection.QuerySingleAsync<string>("EXECUTE sys.sp_generate_database_ledger_digest;");

        Assert.That(ledgerType, Is.EqualTo("APPEND_ONLY_LEDGER_TABLE"));
        // A tampered ledger makes the procedure raise an error; it takes its argument by position only.
        Assert.DoesNotThrowAsync(() => connection.ExecuteAsync("EXECUTE sys.sp_verify_database_ledger @Digests;", new { Digests = $"[{digest}]" }));
    }

    private async Task<IReadOnlyList<ExtraditionCase>> ListAsync(CaseListFilter filter)
    {
        await using var session = Open();
        return await session.Store.ListAsync(filter, CancellationToken.None);
    }

    /// <summary>Every schema object, the migration journal's length and the counter: what a second run must not change.</summary>
    private async Task<List<string>> SchemaSnapshotAsync()
    {
        string[] queries = Provider == DatabaseProvider.Sqlite
            ?
            [
                "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master ORDER BY type, name",
                "SELECT 'journal ' || COUNT(*) FROM SchemaVersions",
                "SELECT 'counter ' || NextNumber FROM ReferenceCounter",
            ]
            :
            [
                "SELECT CONCAT(o.type_desc, ' ', SCHEMA_NAME(o.schema_id), '.', o.name) FROM sys.objects o WHERE o.is_ms_shipped = 0 ORDER BY 1",
                "SELECT CONCAT(OBJECT_NAME(c.object_id), '.', c.name, ' ', TYPE_NAME(c.user_type_id), '(', c.max_length, ')') FROM sys.columns c JOIN sys.tables t ON t.object_id = c.object_id ORDER BY 1",
                "SELECT CONCAT(OBJECT_NAME(i.object_id), '.', i.name, ' ', i.type_desc) FROM sys.indexes i JOIN sys.tables t ON t.object_id = i.object_id WHERE i.name IS NOT NULL ORDER BY 1",
                "SELECT CONCAT('journal ', COUNT(*)) FROM dbo.SchemaVersions",
                "SELECT CONCAT('counter ', NextNumber) FROM dbo.ReferenceCounter",
            ];
        await using var connection = await ConnectionFactory.OpenAsync(Options, CancellationToken.None);
        var lines = new List<string>();
        foreach (var query in queries) lines.AddRange(await connection.QueryAsync<string>(query));
        return lines;
    }

    /// <summary>An events row as stored, read with plain Dapper: no history reader is needed to check the chain.</summary>
    private sealed class EventRow
    {
        public int Sequence { get; init; }
        public string Type { get; init; } = "";
        public string? Trigger { get; init; }
        public string? FromState { get; init; }
        public string? ToState { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
        public string ActorSubject { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public string? ActorAgency { get; init; }
        public string? ActorCountry { get; init; }
        public string? ActorIssuer { get; init; }
        public string? RequestId { get; init; }
        public string? ClientAddress { get; init; }
        public string? Note { get; init; }
        public string Data { get; init; } = "";
        public string PrevHash { get; init; } = "";
        public string Hash { get; init; } = "";

        public CaseEvent ToEvent() => new(
            Sequence, Type, Trigger, FromState, ToState, OccurredAt, RecordedAt,
            new EventActor(ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer), new EventSource(RequestId, ClientAddress),
            Note, JsonNode.Parse(Data)!.AsObject(), PrevHash, Hash);
    }

    private sealed class RecordingLogger<T> : ILogger<T>
    {
        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
