using Dapper;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// A command's transaction starts at its first statement (issue 20): the SQLite writer gate is not held while
/// the command computes before it, and every statement after it still commits or rolls back as one.
/// </summary>
public sealed class WriterGateTests
{
    [Test]
    public async Task The_gate_is_taken_by_the_first_statement_not_by_begin_and_released_by_commit()
    {
        using var database = await ProbeDatabaseAsync();
        var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(database.Options, gate);

        await session.BeginAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1), "begin alone leaves the gate to other writers");
            Assert.That(session.Transaction, Is.Null);
        });

        var connection = await session.ConnectionAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(0), "the first statement's connection holds the gate");
            Assert.That(session.Transaction, Is.Not.Null);
        });
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (99)", transaction: session.Transaction);
        Assert.That(await session.ConnectionAsync(CancellationToken.None), Is.SameAs(connection), "one connection, one transaction");

        await session.CommitAsync(CancellationToken.None);
        Assert.Multiple(() =>
        {
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
            Assert.That(session.Transaction, Is.Null);
        });
        Assert.That(await Count(database, 99), Is.EqualTo(1));

        // After the scope, statements run outside any transaction and without the gate.
        await session.ConnectionAsync(CancellationToken.None);
        Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Every_statement_after_the_first_rolls_back_with_it()
    {
        using var database = await ProbeDatabaseAsync();
        var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(database.Options, gate);

        await session.BeginAsync(CancellationToken.None);
        var connection = await session.ConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (98)", transaction: session.Transaction);
        connection = await session.ConnectionAsync(CancellationToken.None);
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (97)", transaction: session.Transaction);
        await session.RollbackAsync(CancellationToken.None);

        Assert.Multiple(async () =>
        {
            Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
            Assert.That(await Count(database, 98) + await Count(database, 97), Is.Zero);
        });
    }

    [Test]
    public async Task A_scope_without_statements_takes_no_gate_and_commits_nothing()
    {
        using var database = await ProbeDatabaseAsync();
        var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(database.Options, gate);

        await session.BeginAsync(CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
        await session.BeginAsync(CancellationToken.None);
        await session.RollbackAsync(CancellationToken.None);

        Assert.That(gate.Gate.CurrentCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_second_writer_is_not_held_up_by_a_scope_that_has_not_run_a_statement()
    {
        using var database = await ProbeDatabaseAsync();
        var gate = new SqliteWriterGate();
        await using var first = new DatabaseSession(database.Options, gate);
        await using var second = new DatabaseSession(database.Options, gate);

        await first.BeginAsync(CancellationToken.None);
        await second.BeginAsync(CancellationToken.None);
        var connection = await second.ConnectionAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        await connection.ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (96)", transaction: second.Transaction);
        await second.CommitAsync(CancellationToken.None);

        // The first one's statement now waits for nobody either.
        await (await first.ConnectionAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)))
            .ExecuteAsync("INSERT INTO GateProbe (Id) VALUES (95)", transaction: first.Transaction);
        await first.CommitAsync(CancellationToken.None);

        Assert.That(await Count(database, 96) + await Count(database, 95), Is.EqualTo(2));
    }

    private static async Task<TemporarySqliteDatabase> ProbeDatabaseAsync()
    {
        var database = TemporarySqliteDatabase.CreateMigrated();
        await using var connection = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        await connection.ExecuteAsync("CREATE TABLE GateProbe (Id INTEGER NOT NULL PRIMARY KEY)");
        return database;
    }

    private static async Task<long> Count(TemporarySqliteDatabase database, int id)
    {
        await using var connection = await ConnectionFactory.OpenAsync(database.Options, CancellationToken.None);
        return await connection.QuerySingleAsync<long>("SELECT COUNT(*) FROM GateProbe WHERE Id = @Id", new { Id = id });
    }
}
