using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// The SQLite side of the statement check: SQLite resolves every table and column when it prepares a
/// statement, so preparing each one against a freshly migrated file (parameters left unbound) proves it
/// parses and names only what the migrations create.
/// </summary>
public sealed class SqliteStatementPreparationTests
{
    private TemporarySqliteDatabase _database = null!;
    private SqliteConnection _connection = null!;

    public static IEnumerable<TestCaseData> SqliteStatements() =>
        DialectStatements.Sqlite.Select(s => new TestCaseData(s).SetArgDisplayNames(s.Owner));

    [OneTimeSetUp]
    public void MigrateAFreshFile()
    {
        _database = TemporarySqliteDatabase.CreateMigrated();
        _connection = new SqliteConnection(_database.Options.ConnectionString);
        _connection.Open();
        // Otherwise SQLite reads an unknown "Name" in an expression as the string 'Name' and prepares it.
        SQLitePCL.raw.sqlite3_db_config(_connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_DQS_DML, 0, out _);
    }

    [OneTimeTearDown]
    public void DeleteTheFile()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    [TestCaseSource(nameof(SqliteStatements))]
    public void Every_sqlite_statement_prepares_against_the_migrated_schema(DiscoveredStatement statement)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = statement.Sql;

        Assert.That(command.Prepare, Throws.Nothing, $"{statement.Owner} (SQLite) does not prepare:\n{statement.Sql}");
    }

    [TestCase("SELECT Refrence FROM Cases WHERE Id = @Id", "no such column: Refrence")]
    [TestCase("SELECT \"Refrence\" FROM Cases", "no such column: \"Refrence\"")]
    [TestCase("INSERT INTO Deadlines (CaseId, HeadHash) VALUES (@CaseId, @HeadHash)", "has no column named HeadHash")]
    [TestCase("SELECT Id FROM Casez", "no such table: Casez")]
    public void Preparing_reports_names_the_migrations_do_not_create(string sql, string message)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;

        Assert.That(command.Prepare, Throws.TypeOf<SqliteException>().With.Message.Contains(message));
    }
}
