using System.Data;
using System.Data.Common;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// A rollback on a failure path never replaces the error being handled when the server has already ended the
/// transaction (SQL Server: a dropped connection, an aborted transaction). SQLite's writes are in the writer gate's
/// groups, whose failure a rollback reports on purpose (WriterGateTests).
/// </summary>
public sealed class SessionRollbackTests
{
    [Test]
    public async Task A_rollback_the_server_already_ended_is_logged_not_thrown()
    {
        var logs = new FakeLogger<DatabaseSession>();

        await DatabaseSession.RollBackAfterFailureAsync(new EndedTransaction(), logs);

        var logged = logs.Collector.GetSnapshot().Single();
        Assert.Multiple(() =>
        {
            Assert.That(logged.Id.Id, Is.EqualTo(1902));
            Assert.That(logged.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(logged.Exception, Is.TypeOf<InvalidOperationException>());
        });
    }

    [Test]
    public async Task A_rollback_that_succeeds_logs_nothing()
    {
        var logs = new FakeLogger<DatabaseSession>();
        var transaction = new EndedTransaction(ended: false);

        await DatabaseSession.RollBackAfterFailureAsync(transaction, logs);

        Assert.Multiple(() =>
        {
            Assert.That(transaction.RolledBack, Is.True);
            Assert.That(logs.Collector.GetSnapshot(), Is.Empty);
        });
    }

    /// <summary>What SqlClient's transaction does once its connection has closed under it.</summary>
    private sealed class EndedTransaction(bool ended = true) : DbTransaction
    {
        public bool RolledBack { get; private set; }

        public override IsolationLevel IsolationLevel => IsolationLevel.ReadCommitted;

        protected override DbConnection? DbConnection => null;

        public override void Commit() => throw new NotSupportedException();

        public override void Rollback()
        {
            if (ended) throw new InvalidOperationException("This SqlTransaction has completed; it is no longer usable.");
            RolledBack = true;
        }
    }
}

/// <summary>The same on a real SQL Server: the session's connection dropped under its open transaction.</summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class SessionRollbackContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static readonly SqlStatement Probe = new(Sqlite: "SELECT 1", SqlServer: "SELECT 1;");

    [Test]
    public async Task A_write_whose_connection_dropped_rolls_back_without_hiding_its_error()
    {
        if (Provider != DatabaseProvider.SqlServer)
            Assert.Ignore("SQLite's writes are in the writer gate's groups, whose failure a rollback reports on purpose (WriterGateTests).");
        var logs = new FakeLogger<DatabaseSession>();
        using var gate = new SqliteWriterGate();
        await using var session = new DatabaseSession(Options, gate, logger: logs);
        await session.BeginAsync(CancellationToken.None);
        await session.ExecuteAsync(Probe, null, CancellationToken.None);

        await (await session.ConnectionAsync(CancellationToken.None)).CloseAsync();

        Assert.DoesNotThrowAsync(() => session.RollbackAsync(CancellationToken.None));
        Assert.That(logs.Collector.GetSnapshot().Count(l => l.Id.Id == 1902), Is.EqualTo(1));
    }
}
