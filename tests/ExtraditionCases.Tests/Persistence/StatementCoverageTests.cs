using Dapper;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// Proof that the contract fixtures run every statement the code has, on each provider: every statement
/// of every <see cref="Dialect{TStatements}"/> record and every use case's SqlStatement (found by
/// reflection, so a store or use case added later is held to it too) must be one the provider's engine ran against a contract fixture's database. The
/// evidence comes from the drivers (<see cref="StatementLedger"/>), not from the tests' own account.
/// Runs after the contract fixtures (<see cref="ContractOrder"/>), and says so when they did not run first.
/// </summary>
[Order(ContractOrder.Coverage)]
public sealed class StatementCoverageTests
{
    private static IEnumerable<Type> ContractFixtures =>
        typeof(ProviderContractTests).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(ProviderContractTests)) && !t.IsAbstract);

    [TestCase(DatabaseProvider.Sqlite)]
    [TestCase(DatabaseProvider.SqlServer)]
    public void Every_statement_of_every_dialect_ran_in_a_contract_test(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.SqlServer && SqlServerTestDatabase.ServerConnectionString is null)
            Assert.Ignore($"SQL Server lane not run: set {SqlServerTestDatabase.Variable} to a server's connection string (docs/sqlserver.md).");

        var notRun = ContractFixtures.Where(t => !StatementLedger.HasFinished(t, provider)).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        var statements = provider == DatabaseProvider.SqlServer ? DialectStatements.SqlServer : DialectStatements.Sqlite;
        var ran = StatementLedger.RanOn(provider);
        // SQLite's trace reports each statement of a multi-statement command on its own: such a command ran when every part did.
        var neverRan = statements.Where(s => !ran.Contains(StatementLedger.Normalize(s.Sql))
                && !(provider == DatabaseProvider.Sqlite && StatementLedger.Parts(s.Sql) is { Count: > 1 } parts && parts.All(p => ran.Contains(StatementLedger.Normalize(p)))))
            .Select(s => s.Owner).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(ContractFixtures, Is.Not.Empty);
            Assert.That(notRun, Is.Empty,
                $"These {provider} contract fixtures did not run to the end before this check, so coverage cannot be judged; run the whole {typeof(StatementCoverageTests).Namespace} namespace.");
            Assert.That(neverRan, Is.Empty,
                $"No contract test ran these statements on {provider}: {string.Join(", ", neverRan)}. Cover them in a contract fixture.");
        });
    }

    [Test]
    public void Discovery_finds_a_statement_for_each_store_and_each_use_case_that_reads_with_sql()
    {
        string[] records =
        [
            "AccessLogSql", "CaseStoreSql", "ChangeFeedSql", "IdempotencySql",
            "GetCaseStatus", "GetChanges", "GetHistory", "ListAccess", "ListAuditEvents", "ListDeadlines", "VerifyHistory",
        ];

        Assert.Multiple(() =>
        {
            Assert.That(DialectStatements.Sqlite.Select(s => s.Owner.Split('.')[0]).Distinct(), Is.SupersetOf(records));
            Assert.That(DialectStatements.SqlServer.Select(s => s.Owner), Is.EqualTo(DialectStatements.Sqlite.Select(s => s.Owner)));
        });
    }

    [Test]
    public async Task The_ledger_counts_what_sqlite_ran_on_watched_databases_only()
    {
        StatementLedger.Install();
        using var watched = TemporarySqliteDatabase.CreateMigrated();
        using var unwatched = TemporarySqliteDatabase.CreateMigrated();
        StatementLedger.Watch(watched.Options);
        var onWatched = $"SELECT 'probe {Guid.NewGuid():N}' AS Probe";
        var onUnwatched = $"SELECT 'probe {Guid.NewGuid():N}' AS Probe";
        var preparedOnly = $"SELECT 'probe {Guid.NewGuid():N}' AS Probe";

        await using (var connection = await ConnectionFactory.OpenAsync(watched.Options, CancellationToken.None))
        {
            await connection.ExecuteScalarAsync<string>(onWatched);
            await using var command = (SqliteCommand)connection.CreateCommand();
            command.CommandText = preparedOnly;
            command.Prepare();
        }

        await using (var connection = await ConnectionFactory.OpenAsync(unwatched.Options, CancellationToken.None))
            await connection.ExecuteScalarAsync<string>(onUnwatched);

        var ran = StatementLedger.RanOn(DatabaseProvider.Sqlite);
        Assert.Multiple(() =>
        {
            Assert.That(ran, Does.Contain(onWatched));
            Assert.That(ran, Does.Not.Contain(onUnwatched), "the HTTP tests' databases do not count");
            Assert.That(ran, Does.Not.Contain(preparedOnly), "preparing is not running");
            Assert.That(StatementLedger.RanOn(DatabaseProvider.SqlServer), Does.Not.Contain(onWatched));
        });
    }
}
