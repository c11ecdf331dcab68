using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using ExtraditionCases.Infrastructure.Access;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// Issue 20: SQLite's access-log insert runs as native statements kept on the writer's connection. What it stores must be
/// what Microsoft.Data.Sqlite stored for the same parameters (the entry's hash, computed in C#, is checked against the
/// stored row by auditors), and its statements must outlive a failed insert and never outlive the connection.
/// </summary>
public sealed class SqliteAccessLogInsertTests
{
    private static readonly string Sql = AccessLogSql.Statements.Sqlite.InsertWithLeaf;
    private static readonly DateTimeOffset At = new(2026, 12, 2, 10, 0, 0, 123, TimeSpan.FromHours(5));
    private const string Hash = "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0";

    [Test]
    public async Task Each_value_is_stored_exactly_as_Microsoft_Data_Sqlite_stores_the_same_parameters()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        await using var connection = (SqliteConnection)await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        var caseId = Guid.NewGuid();
        // Urdu, a lone surrogate (a token's claim can carry one through JSON escapes), NULLs, numbers and the case list.
        var entry = new AccessEntry(At, "افسر-۱-PK\ud800", Caller.Officer, "PK", caseId, "GET", "/api/v1/cases/{id}", 304,
            "4bf92f3577b34da6a3ce929d0e0e4736", null, Issuer: "https://login.moi.gov.pk/realms/cases", Count: 3);

        using (var transaction = connection.BeginTransaction())
        {
            using var insert = new SqliteAccessLogInsert(connection, Sql);
            insert.Execute(entry, "[\"" + caseId + "\"]", Hash, 0);
            await using var command = connection.CreateCommand();
            command.CommandText = Sql;
            command.Transaction = transaction;
            (string Name, object Value)[] parameters =
            [
                ("@At", Instant.ToText(entry.At)), ("@Subject", entry.Subject!), ("@Role", entry.Role!), ("@Country", entry.Country!),
                ("@CaseId", caseId.ToString("D")), ("@Method", entry.Method), ("@Endpoint", entry.Endpoint), ("@Status", entry.Status),
                ("@TraceId", entry.TraceId!), ("@ClientAddress", DBNull.Value), ("@Issuer", entry.Issuer!), ("@RequestCount", entry.Count),
                ("@CaseIds", "[\"" + caseId + "\"]"), ("@EntryHash", Hash), ("@LeafIndex", 1L),
            ];
            foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
            await command.ExecuteNonQueryAsync();
            transaction.Commit();
        }

        var quoted = "SELECT " + string.Join(" || '|' || ", new[]
        {
            "At", "Subject", "Role", "Country", "CaseId", "Method", "Endpoint", "Status", "TraceId", "ClientAddress", "Issuer", "RequestCount", "CaseIds", "EntryHash",
        }.Select(c => $"quote({c})")) + " FROM AccessLog ORDER BY Id";
        var rows = (await connection.QueryAsync<string>(quoted)).ToList();
        var leaves = (await connection.QueryAsync<(long LeafIndex, long AccessId, string EntryHash)>(
            "SELECT LeafIndex, AccessId, EntryHash FROM TransparencyLeaves WHERE Tree = 'access' ORDER BY LeafIndex")).ToList();
        var ids = (await connection.QueryAsync<long>("SELECT Id FROM AccessLog ORDER BY Id")).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rows, Has.Count.EqualTo(2));
            Assert.That(rows[0], Is.EqualTo(rows[1]), "byte for byte, by SQLite's quote()");
            Assert.That(rows[0], Does.Contain("'افسر-۱-PK"));
            Assert.That(rows[0], Does.Contain("|304|'4bf92f3577b34da6a3ce929d0e0e4736'|NULL|"), "status an integer, the address NULL");
            Assert.That(leaves, Is.EqualTo(new[] { (0L, ids[0], Hash), (1L, ids[1], Hash) }), "each leaf names the entry just inserted");
        });
    }

    [Test]
    public async Task The_writers_connection_keeps_the_statements_across_transactions_and_a_failed_insert_leaves_them_usable()
    {
        using var database = TemporarySqliteDatabase.CreateMigrated();
        await using var connection = new CachedStatementsConnection(database.Options.ConnectionString);
        await connection.OpenAsync();
        var insert = connection.Keep(Sql, c => new SqliteAccessLogInsert(c, Sql));
        var entry = new AccessEntry(At, "partner-GB", Caller.Partner, "GB", Guid.NewGuid(), "GET", "/api/v1/cases/{id}/status", 200, "t", "192.0.2.1");

        using (var first = connection.BeginTransaction())
        {
            insert.Execute(entry, null, Hash, 0);
            first.Commit();
        }

        using (var second = connection.BeginTransaction())
        {
            Assert.That(connection.Keep(Sql, c => new SqliteAccessLogInsert(c, Sql)), Is.SameAs(insert), "compiled once per connection");
            var taken = Assert.Throws<SqliteException>(() => insert.Execute(entry, null, Hash, 0), "leaf 0 is taken");
            Assert.That(taken!.SqliteErrorCode, Is.EqualTo(SQLitePCL.raw.SQLITE_CONSTRAINT));
            Assert.That(taken.Message, Does.Contain("TransparencyLeaves"), "SQLite's own message, read before the reset");
            insert.Execute(entry, null, Hash, 1);
            second.Commit();
        }

        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM TransparencyLeaves WHERE Tree = 'access'"), Is.EqualTo(2));
        Assert.That(await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM AccessLog"), Is.EqualTo(3),
            "the failed insert's entry row stays in its transaction until the batch is rolled back, as through Microsoft.Data.Sqlite");

        await connection.CloseAsync();
        Assert.Throws<ObjectDisposedException>(() => insert.Execute(entry, null, Hash, 2), "finalised before the connection closed");
        await connection.OpenAsync();
        Assert.That(connection.Keep(Sql, c => new SqliteAccessLogInsert(c, Sql)), Is.Not.SameAs(insert), "compiled again on the reopened connection");
    }
}
