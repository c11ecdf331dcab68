using System.Text.RegularExpressions;
using ExtraditionCases.Application.Features.Deadlines;
using ExtraditionCases.Infrastructure.Cases;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// Issue 20, scale: the lists whose cost must follow the page (or the overdue backlog), not the number of
/// cases or clocks ever stored. SQLite's plan for each is read with EXPLAIN QUERY PLAN on a migrated file
/// without ANALYZE statistics, which is how the service runs. A plan that scans a table or sorts every clock
/// fails here before it shows in the benchmark's scale check.
/// </summary>
public sealed partial class SqliteQueryPlanTests
{
    private TemporarySqliteDatabase _database = null!;
    private SqliteConnection _connection = null!;

    [OneTimeSetUp]
    public async Task MigrateAFreshFile()
    {
        _database = TemporarySqliteDatabase.CreateMigrated();
        // The service's connection settings, its planner's stability guarantee included: the plans read here are the ones it runs.
        _connection = await ConnectionFactory.OpenSqliteAsync(new SqliteConnection(_database.Options.ConnectionString), _database.Options, CancellationToken.None);
    }

    [OneTimeTearDown]
    public void DeleteTheFile()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [Test]
    public void Overdue_clocks_are_index_walks_in_due_order_one_per_stored_status()
    {
        var plan = PlanOf(ListDeadlines.Sql.RanOut.Sqlite);

        Assert.Multiple(() =>
        {
            Assert.That(plan, Has.None.Match(@"^SCAN d\b"), string.Join('\n', plan));
            // Stored Missed, then Pending and Extended past due: each branch walks the status index in page order, and the
            // index alone (0020): no clock's table row is read, which after any other connection's write is a read from the file.
            Assert.That(plan.Count(l => l.StartsWith("SEARCH d USING COVERING INDEX IX_Deadlines_StatusDueAt", StringComparison.Ordinal)), Is.EqualTo(3),
                string.Join('\n', plan));
            // Each clock's case by key in IX_Cases_Parties alone: the country test and the reference without the case's row.
            Assert.That(plan.Count(l => l.StartsWith("SEARCH c USING COVERING INDEX IX_Cases_Parties (Id=?)", StringComparison.Ordinal)), Is.EqualTo(3),
                string.Join('\n', plan));
            // No branch sorts its clocks: the only sorts are of a branch's result (at most a page) for the merge.
            Assert.That(plan.Select((l, i) => (l, i)).Where(x => x.l.Contains("USE TEMP B-TREE", StringComparison.Ordinal))
                .Select(x => x.i > 0 && plan[x.i - 1].StartsWith("SCAN (subquery-", StringComparison.Ordinal)), Has.All.True, string.Join('\n', plan));
        });
    }

    [TestCase(nameof(ListDeadlines.Sql.All))]
    [TestCase(nameof(ListDeadlines.Sql.Stored))]
    [TestCase(nameof(ListDeadlines.Sql.Running))]
    public void Every_deadline_list_statement_walks_an_index_without_sorting(string name)
    {
        var statement = name switch
        {
            nameof(ListDeadlines.Sql.All) => ListDeadlines.Sql.All,
            nameof(ListDeadlines.Sql.Stored) => ListDeadlines.Sql.Stored,
            _ => ListDeadlines.Sql.Running,
        };
        var plan = PlanOf(statement.Sqlite);

        Assert.Multiple(() =>
        {
            Assert.That(plan, Has.None.Match(@"^SCAN (d|c)\b"), string.Join('\n', plan));
            Assert.That(plan, Has.None.Contains("USE TEMP B-TREE FOR ORDER BY"), string.Join('\n', plan));
            Assert.That(plan, Has.Some.StartsWith("SEARCH c USING COVERING INDEX IX_Cases_Parties (Id=?)"), string.Join('\n', plan));
        });
    }

    [Test]
    public void Overdue_cases_are_driven_from_the_clocks_not_from_every_case()
    {
        var plan = PlanOf(CaseStoreSql.Statements.Sqlite.ListOverdueCases);

        Assert.Multiple(() =>
        {
            Assert.That(plan, Has.None.Match(@"^SCAN (Cases|d)\b"), string.Join('\n', plan));
            Assert.That(plan, Has.Some.Match(@"^SEARCH Cases USING INDEX sqlite_autoindex_Cases_1 \(Id=\?\)"), string.Join('\n', plan));
            // Stored Missed clocks and running clocks before @Now: two ranges of the status index, no clock read twice.
            Assert.That(plan.Count(l => Regex.IsMatch(l, @"^SEARCH d USING (COVERING )?INDEX IX_Deadlines_StatusDueAt \(Status=\?")), Is.GreaterThanOrEqualTo(2),
                string.Join('\n', plan));
        });
    }

    [Test]
    public void Sizing_the_overdue_backlog_reads_the_status_index_only()
    {
        var plan = PlanOf(CaseStoreSql.Statements.Sqlite.CountOverdueClocks);

        Assert.Multiple(() =>
        {
            Assert.That(plan, Has.None.Match(@"^SCAN Deadlines\b"), string.Join('\n', plan));
            Assert.That(plan.Count(l => l.StartsWith("SEARCH Deadlines USING COVERING INDEX IX_Deadlines_StatusDueAt (Status=?", StringComparison.Ordinal)),
                Is.EqualTo(2), string.Join('\n', plan));
        });
    }

    [Test]
    public void A_list_pages_clocks_are_read_by_key_in_one_statement()
    {
        var plan = PlanOf(CaseStoreSql.Statements.Sqlite.FindDeadlinesOfCases);

        Assert.Multiple(() =>
        {
            Assert.That(plan, Has.None.Match(@"^SCAN Deadlines\b"), string.Join('\n', plan));
            Assert.That(plan, Has.Some.StartsWith("SEARCH Deadlines USING INDEX sqlite_autoindex_Deadlines_1 (CaseId=?)"), string.Join('\n', plan));
        });
    }

    [Test]
    public void A_historys_audit_path_nodes_are_looked_up_by_key_one_per_pair_never_by_scanning_the_tree()
    {
        // With a plain JOIN SQLite drove the read from the tree's nodes (SEARCH n USING PRIMARY KEY (Tree=?)): every node
        // of the tree for each history. The list must be the outer loop, each pair a key lookup.
        var plan = PlanOf(Application.Features.Transparency.TransparencyReads.Sql.Nodes.Sqlite);

        Assert.Multiple(() =>
        {
            Assert.That(plan[0], Does.StartWith("SCAN j VIRTUAL TABLE"), string.Join('\n', plan));
            Assert.That(plan, Has.Some.EqualTo("SEARCH n USING PRIMARY KEY (Tree=? AND Level=? AND NodeIndex=?)"), string.Join('\n', plan));
            Assert.That(plan, Has.None.Match(@"^SCAN n\b"), string.Join('\n', plan));
        });
    }

    [Test]
    public void The_unfiltered_case_list_still_pages_in_creation_order_without_sorting()
    {
        var plan = PlanOf(CaseStoreSql.Statements.Sqlite.ListCases);

        Assert.That(plan, Has.None.Contains("USE TEMP B-TREE FOR ORDER BY"), string.Join('\n', plan));
    }

    [Test]
    public void The_creation_order_walk_tests_state_and_parties_on_the_index_entry()
    {
        // Migration 0019: with a large overdue backlog the overdue list walks IX_Cases_CreatedAt; the filter's columns in
        // the entry let SQLite read a case's row only when the case passes (at 100,000 cases the walk went 6-7 ms -> 2 ms).
        var plan = PlanOf(CaseStoreSql.Statements.Sqlite.ListCases);
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT name FROM pragma_index_info('IX_Cases_CreatedAt') ORDER BY seqno";
        var columns = new List<string>();
        using (var reader = command.ExecuteReader())
            while (reader.Read()) columns.Add(reader.GetString(0));

        Assert.Multiple(() =>
        {
            Assert.That(plan, Has.Some.StartsWith("SCAN Cases USING INDEX IX_Cases_CreatedAt"), string.Join('\n', plan));
            Assert.That(columns, Is.EqualTo(new[] { "CreatedAt", "Id", "State", "RequestingState", "RequestedState" }));
        });
    }

    [Test]
    public void Search_walks_the_driving_token_best_weight_first_and_probes_other_tokens_on_the_whole_key()
    {
        var plan = PlanOf(Application.Features.Search.SearchCases.Sql.Search.Sqlite);
        var hits = PlanOf(Application.Features.Search.SearchCases.Sql.TokenHits.Sqlite);

        Assert.Multiple(() =>
        {
            // One B-tree (migration 0018): the driving token and the compact form walk the primary key in rank order...
            Assert.That(plan.Count(l => l.StartsWith("SEARCH t USING PRIMARY KEY (Token=?)", StringComparison.Ordinal)), Is.EqualTo(2), string.Join('\n', plan));
            Assert.That(plan, Has.None.Match(@"^SCAN (t|o|SearchTerms)\b"), string.Join('\n', plan));
            Assert.That(plan, Has.None.Contains("IX_SearchTerms_Rank"), string.Join('\n', plan));
            // ...so only the ranked candidates (at most a page's worth of cases) are ever sorted, never a token's rows.
            Assert.That(plan.Select((l, i) => (l, i)).Where(x => x.l.Contains("USE TEMP B-TREE FOR ORDER BY", StringComparison.Ordinal))
                .Select(x => x.i > 0 && plan[x.i - 1].StartsWith("SEARCH t ", StringComparison.Ordinal)), Has.None.True, string.Join('\n', plan));
            // Every other token of the query is one seek for the driving row's entry on the primary key, where a token's
            // rows lie together (not IX_SearchTerms_Case, whose probes scatter over a page per case: twice as slow at scale).
            Assert.That(plan, Has.Some.StartWith("SEARCH o USING PRIMARY KEY (Token=? AND Weight=? AND CaseId=?"), string.Join('\n', plan));
            Assert.That(plan, Has.None.Contains("IX_SearchTerms_Case"),
                string.Join('\n', plan));
            Assert.That(hits, Has.Some.StartsWith("SEARCH t USING PRIMARY KEY (Token=?)"), string.Join('\n', hits));
        });
    }

    /// <summary>The plan's detail lines, every parameter bound to NULL (SQLite plans before it sees values).</summary>
    private List<string> PlanOf(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + sql;
        foreach (var name in Parameter().Matches(sql).Select(m => m.Value).Distinct(StringComparer.Ordinal))
            command.Parameters.AddWithValue(name, DBNull.Value);
        var lines = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) lines.Add(reader.GetString(3));
        return lines;
    }

    [GeneratedRegex(@"@\w+")]
    private static partial Regex Parameter();
}
