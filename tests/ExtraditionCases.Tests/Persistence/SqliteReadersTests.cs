using Dapper;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// The sessions' SQLite read connections are kept open between requests with their statements compiled (issue 20):
/// the next session reuses one, sees every write committed since, and never inherits a transaction.
/// </summary>
public sealed class SqliteReadersTests
{
    [Test]
    public async Task The_next_session_reuses_the_read_connection_with_its_statement_compiled_and_its_pragmas()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        using var readers = new SqliteReaders();

        CachedStatementsConnection first;
        await using (var session = new DatabaseSession(database.Options, gate, readers))
        {
            first = (CachedStatementsConnection)await session.ConnectionAsync(CancellationToken.None);
            await first.QuerySingleAsync<long>("SELECT COUNT(*) FROM ReaderProbe WHERE Id = @Id", new { Id = 1 });
        }

        Assert.That(readers.IdleCount, Is.EqualTo(1), "given back, not closed");
        await using (var session = new DatabaseSession(database.Options, gate, readers))
        {
            var again = await session.ConnectionAsync(CancellationToken.None);
            Assert.That(again, Is.SameAs(first));
            Assert.That(first.CompiledCount, Is.EqualTo(1), "the read's statement kept compiled");
            await again.QuerySingleAsync<long>("SELECT COUNT(*) FROM ReaderProbe WHERE Id = @Id", new { Id = 2 });
            Assert.That(first.CompiledCount, Is.EqualTo(1), "and reused, not compiled again");
            Assert.Multiple(async () =>
            {
                Assert.That(await again.QuerySingleAsync<long>("PRAGMA foreign_keys"), Is.EqualTo(1));
                Assert.That(await again.QuerySingleAsync<long>("PRAGMA synchronous"), Is.EqualTo(2), "FULL");
                Assert.That(await again.QuerySingleAsync<long>("PRAGMA busy_timeout"), Is.EqualTo(database.Options.SqliteBusyTimeoutMs));
            });
        }
    }

    [Test]
    public async Task A_kept_connection_sees_every_write_committed_since_its_last_read()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        using var readers = new SqliteReaders();
        const string count = "SELECT COUNT(*) FROM ReaderProbe";

        for (var written = 0; written < 3; written++)
        {
            await using (var reader = new DatabaseSession(database.Options, gate, readers))
            {
                var connection = await reader.ConnectionAsync(CancellationToken.None);
                Assert.That(await connection.QuerySingleAsync<long>(count), Is.EqualTo(written), "no snapshot left over from the last session");
            }

            await using var writer = new DatabaseSession(database.Options, gate, readers);
            await writer.BeginAsync(CancellationToken.None);
            var write = await writer.ConnectionAsync(CancellationToken.None);
            await write.ExecuteAsync("INSERT INTO ReaderProbe (Id) VALUES (@Id)", new { Id = 100 + written }, writer.Transaction);
            await writer.CommitAsync(CancellationToken.None);
        }

        Assert.That(readers.IdleCount, Is.EqualTo(1), "one connection served every read");
    }

    [Test]
    public async Task A_connection_left_inside_a_transaction_is_disposed_not_handed_on()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        using var readers = new SqliteReaders();

        SqliteConnection leaked;
        await using (var session = new DatabaseSession(database.Options, gate, readers))
        {
            leaked = (SqliteConnection)await session.ConnectionAsync(CancellationToken.None);
            await leaked.ExecuteAsync("BEGIN; INSERT INTO ReaderProbe (Id) VALUES (7);");
        }

        Assert.Multiple(async () =>
        {
            Assert.That(readers.IdleCount, Is.Zero);
            Assert.That(leaked.State, Is.EqualTo(System.Data.ConnectionState.Closed), "disposed, its transaction rolled back");
            await using var session = new DatabaseSession(database.Options, gate, readers);
            var next = await session.ConnectionAsync(CancellationToken.None);
            Assert.That(next, Is.Not.SameAs(leaked));
            Assert.That(await next.QuerySingleAsync<long>("SELECT COUNT(*) FROM ReaderProbe WHERE Id = 7"), Is.Zero, "the half-done insert never committed");
        });
    }

    [Test]
    public async Task A_connection_holding_a_read_snapshot_is_not_handed_on()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        using var readers = new SqliteReaders();
        await using (var seed = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None))
            await seed.ExecuteAsync("INSERT INTO ReaderProbe (Id) VALUES (1), (2), (3)");

        // A reader left mid-way (its statement not reset holds a read snapshot), on a command created outside the cache.
        SqliteConnection leftReading;
        await using (var session = new DatabaseSession(database.Options, gate, readers))
        {
            leftReading = (SqliteConnection)await session.ConnectionAsync(CancellationToken.None);
            var command = leftReading.CreateCommand();
            command.CommandText = "SELECT Id FROM ReaderProbe";
            var reader = await command.ExecuteReaderAsync();
            Assert.That(await reader.ReadAsync(), Is.True);
        }

        Assert.Multiple(() =>
        {
            Assert.That(readers.IdleCount, Is.Zero, "a snapshot would serve the next session stale rows");
            Assert.That(leftReading.State, Is.EqualTo(System.Data.ConnectionState.Closed));
        });
    }

    [Test]
    public async Task A_connection_with_an_open_blob_is_not_handed_on()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        using var readers = new SqliteReaders();
        await using (var seed = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None))
            await seed.ExecuteAsync("CREATE TABLE BlobProbe (Content BLOB NOT NULL); INSERT INTO BlobProbe (rowid, Content) VALUES (1, zeroblob(16));");

        await using (var session = new DatabaseSession(database.Options, gate, readers))
        {
            var connection = (SqliteConnection)await session.ConnectionAsync(CancellationToken.None);
            var blob = new SqliteBlob(connection, "BlobProbe", "Content", 1, readOnly: true);
            Assert.That(blob.ReadByte(), Is.Zero);
        }

        Assert.That(readers.IdleCount, Is.Zero);
    }

    [Test]
    public async Task A_cached_command_whose_reader_was_left_open_runs_again()
    {
        using var database = await ProbeDatabaseAsync();
        using var gate = new SqliteWriterGate();
        using var readers = new SqliteReaders();
        await using (var seed = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None))
            await seed.ExecuteAsync("INSERT INTO ReaderProbe (Id) VALUES (1), (2), (3)");
        const string ids = "SELECT Id FROM ReaderProbe ORDER BY Id";

        await using (var session = new DatabaseSession(database.Options, gate, readers))
        {
            System.Data.Common.DbConnection connection = await session.ConnectionAsync(CancellationToken.None);
            // A command disposed while its reader is still open after one row.
            using (var command = connection.CreateCommand())
            {
                command.CommandText = ids;
                var reader = await command.ExecuteReaderAsync();
                Assert.That(await reader.ReadAsync(), Is.True);
            }

            Assert.That((await connection.QueryAsync<long>(ids)).ToList(), Is.EqualTo(new long[] { 1, 2, 3 }), "the cached command runs again");
        }

        Assert.That(readers.IdleCount, Is.EqualTo(1), "the reader was closed with its command: no snapshot left, the connection kept");
    }
    [Test]
    public async Task At_most_the_capacity_is_kept_and_nothing_after_dispose()
    {
        using var database = await ProbeDatabaseAsync();
        var readers = new SqliteReaders();
        var rented = new List<SqliteConnection>();
        for (var i = 0; i < SqliteReaders.Capacity + 3; i++) rented.Add(await readers.RentAsync(database.Options, CancellationToken.None));
        Assert.That(rented.Distinct().Count(), Is.EqualTo(rented.Count), "each rent in flight gets its own connection");

        foreach (var connection in rented) readers.Return(connection);
        Assert.Multiple(() =>
        {
            Assert.That(readers.IdleCount, Is.EqualTo(SqliteReaders.Capacity));
            Assert.That(rented.Count(c => c.State == System.Data.ConnectionState.Open), Is.EqualTo(SqliteReaders.Capacity), "the rest were closed");
        });

        readers.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(readers.IdleCount, Is.Zero);
            Assert.That(rented.All(c => c.State == System.Data.ConnectionState.Closed), "every kept connection closed by dispose");
            Assert.ThrowsAsync<ObjectDisposedException>(() => readers.RentAsync(database.Options, CancellationToken.None));
        });
    }

    [Test]
    public async Task A_connection_to_another_database_is_not_handed_out()
    {
        using var one = await ProbeDatabaseAsync();
        using var other = await ProbeDatabaseAsync();
        using var readers = new SqliteReaders();

        var first = await readers.RentAsync(one.Options, CancellationToken.None);
        readers.Return(first);
        var second = await readers.RentAsync(other.Options, CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(second.DataSource, Does.StartWith(other.Folder));
            Assert.That(first.State, Is.EqualTo(System.Data.ConnectionState.Closed));
        });
        readers.Return(second);
    }

    [Test]
    public async Task The_service_keeps_its_read_connections_between_requests()
    {
        await using var factory = new ApiFactory();
        var client = factory.ClientFor(Tokens.Partner("PK"));
        var readers = factory.Services.GetRequiredService<SqliteReaders>();
        for (var i = 0; i < 3; i++)
        {
            using var status = await client.GetAsync($"/api/v1/cases/{Guid.NewGuid()}/status");
            Assert.That((int)status.StatusCode, Is.EqualTo(404), "a read through the request's session");
        }

        // Without the pool nothing is ever idle. A background service (the webhook dispatcher) may have the kept one
        // rented at the moment of a check, so it is polled for a moment rather than read once.
        Assert.That(() => readers.IdleCount, Is.GreaterThanOrEqualTo(1).After(2000, 10), "the requests' connection kept for the next request");
    }

    private static async Task<TemporarySqliteDatabase> ProbeDatabaseAsync()
    {
        var database = TemporarySqliteDatabase.CreateMigrated();
        await using var connection = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE ReaderProbe (Id INTEGER NOT NULL PRIMARY KEY)");
        return database;
    }
}
