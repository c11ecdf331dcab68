using System.Data;
using System.Data.Common;
using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Transparency;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Infrastructure.Transparency;

/// <summary>What the publisher last did, for the health check.</summary>
public sealed class TransparencyStatus
{
    private volatile string? _fault;

    public DateTimeOffset? LastSuccess { get; private set; }

    /// <summary>Why the last round failed, or null when it succeeded.</summary>
    public string? Fault => _fault;

    public int ConsecutiveFailures { get; private set; }

    internal void Succeeded(DateTimeOffset at)
    {
        LastSuccess = at;
        ConsecutiveFailures = 0;
        _fault = null;
    }

    internal void Failed(string fault)
    {
        ConsecutiveFailures++;
        _fault = fault;
    }
}

/// <summary>
/// Integrates the trees' new leaves into stored nodes and publishes a signed checkpoint of every tree that
/// grew, at least every Transparency:CheckpointInterval. A failure never stops the host: it is logged, the
/// next round waits longer (doubling, at most ten intervals) and the health check reports it.
/// </summary>
public sealed partial class CheckpointPublisher(
    DatabaseOptions options, SqliteWriterGate writerGate, ITransparencyKeys keys, TransparencyOptions settings,
    TransparencyStatus status, TimeProvider clock, ILogger<CheckpointPublisher> logger) : BackgroundService
{
    /// <summary>Leaves integrated per write: about twice as many nodes, a few milliseconds of the writer gate.</summary>
    public const int LeafBatch = 512;

    // Its reads map stored instants through the infrastructure's Dapper type handlers, registered here too for a host that
    // builds the publisher without AddInfrastructure (the benchmark's baseline): without them a second round cannot read
    // the last checkpoint on SQLite.
    static CheckpointPublisher() => DapperTypeHandlers.Register();

    private readonly TransparencySql _sql = TransparencySql.Statements.For(options.Provider);
    private readonly DatabaseSessionText _text = new(options.Provider);
    private readonly SemaphoreSlim _round = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (keys.LogKey is null)
        {
            NoKey(logger, keys.Problem ?? "no key");
            status.Failed(keys.Problem ?? "No signing key.");
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = settings.CheckpointInterval;
            try
            {
                await PublishAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                PublishFailed(logger, ex, status.ConsecutiveFailures + 1);
                wait = settings.CheckpointInterval * Math.Min(10, 1 << Math.Min(status.ConsecutiveFailures, 4));
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: every tree that grew gets its nodes and a new signed checkpoint. Returns the checkpoints published.</summary>
    public async Task<IReadOnlyList<Checkpoint>> PublishAsync(CancellationToken cancellationToken)
    {
        await _round.WaitAsync(cancellationToken);
        try
        {
            var published = new List<Checkpoint>();
            await using var connection = await ConnectionFactory.OpenAsync(options, cancellationToken);
            var trees = (await connection.QueryAsync<TreeSize>(new CommandDefinition(_sql.TreeSizes, cancellationToken: cancellationToken))).ToList();
            foreach (var tree in trees)
            {
                if (await PublishTreeAsync(connection, tree.Tree.Trim(), tree.Size, cancellationToken) is { } checkpoint) published.Add(checkpoint);
            }

            status.Succeeded(clock.GetUtcNow());
            return published;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            status.Failed(ex.Message);
            throw;
        }
        finally
        {
            _round.Release();
        }
    }

    /// <summary>
    /// Leaves and nodes are append-only, so everything but the inserts runs outside the writer gate: the stored
    /// nodes and new leaves are read and hashed on the round's own connection, then each batch's nodes (and, with
    /// the last, the signed checkpoint) are written in one short transaction. The whole integration used to hold the
    /// gate: after a minute of reads the access tree had hundreds of thousands of new leaves, and every case write
    /// waited seconds behind it (filing's p99, issue 20). Each write first checks that the tree is still integrated
    /// exactly as far as this round read it; if another publisher (a second instance) got there first, the tree is
    /// left to it.
    /// </summary>
    private async Task<Checkpoint?> PublishTreeAsync(DbConnection connection, string tree, long size, CancellationToken cancellationToken)
    {
        CommandDefinition Read(string sql, object? parameters) => new(sql, parameters, cancellationToken: cancellationToken);

        var latest = (await connection.QuerySingleOrDefaultAsync<TransparencyReads.CheckpointRow>(
            Read(_text.Of(TransparencyReads.Sql.LatestCheckpoint), new { Tree = tree })))?.ToCheckpoint();
        if (latest is not null && latest.TreeSize >= size) return null;

        // The nodes of the tree so far whose hashes the new leaves' parents need: the perfect subtrees of [0, integrated).
        var integrated = await connection.QuerySingleAsync<long>(Read(_sql.IntegratedSize, new { Tree = tree }));
        if (integrated > size)
        {
            // Another publisher is integrating leaves added since this round read the sizes, batch by batch.
            ConcurrentPublisher(logger, tree);
            return null;
        }

        var nodes = new Dictionary<Merkle.NodeId, byte[]>();
        if (integrated > 0)
        {
            foreach (var id in Merkle.NodesOf(0, integrated))
            {
                var hash = await connection.QuerySingleAsync<string>(Read(_text.Of(TransparencyReads.Sql.Node), new { Tree = tree, id.Level, NodeIndex = id.Index }));
                nodes[id] = Convert.FromHexString(hash.Trim());
            }
        }

        var from = integrated;
        do
        {
            var to = Math.Min(size, from + LeafBatch);
            var made = new List<NodeRow>();
            var expected = from;
            foreach (var leaf in await connection.QueryAsync<LeafHash>(Read(_sql.LeavesFrom, new { Tree = tree, From = from, To = to })))
            {
                // A gap in the indexes is not a tree: refuse to sign over it.
                if (leaf.LeafIndex != expected++) throw new InvalidOperationException($"The {tree} tree has no leaf {expected - 1}.");
                foreach (var (id, hash) in Merkle.Append(leaf.LeafIndex, Merkle.LeafHash(Convert.FromHexString(leaf.EntryHash.Trim())), id => nodes[id]))
                {
                    nodes[id] = hash;
                    made.Add(new NodeRow(tree, id.Level, id.Index, Convert.ToHexStringLower(hash)));
                }
            }

            if (expected != to) throw new InvalidOperationException($"The {tree} tree has no leaf {expected}.");
            Checkpoint? checkpoint = null;
            if (to == size)
            {
                var root = Merkle.SubtreeHash(0, size, id => nodes[id]);
                checkpoint = new Checkpoint(tree, size, root, keys.SignNote(SignedNote.CheckpointBody(keys.OriginOf(tree), size, root)), clock.GetUtcNow());
            }

            if (await WriteAsync(tree, from, made, checkpoint, cancellationToken) is not { } written)
            {
                ConcurrentPublisher(logger, tree);
                return null;
            }

            if (checkpoint is not null)
            {
                Published(logger, tree, size);
                return written;
            }

            from = to;
        }
        while (true);
    }

    /// <summary>
    /// One batch's nodes, and the checkpoint with the last, in one transaction (on SQLite the writer gate's, held
    /// only for these inserts): the checkpoint as stored, or <see cref="BatchWritten"/> for a batch without it; null,
    /// writing nothing, when the tree is no longer integrated up to <paramref name="integratedFrom"/> or the
    /// checkpoint was already published.
    /// </summary>
    private async Task<Checkpoint?> WriteAsync(string tree, long integratedFrom, List<NodeRow> nodes, Checkpoint? checkpoint, CancellationToken cancellationToken)
    {
        var gated = options.Provider == DatabaseProvider.Sqlite;
        if (gated) await writerGate.Gate.WaitAsync(cancellationToken);
        DbConnection? own = null;
        try
        {
            // On SQLite the gate's connection, whose page cache the case writes keep warm (SqliteWriterGate).
            var connection = gated
                ? await writerGate.ConnectionAsync(options, cancellationToken)
                : own = await ConnectionFactory.OpenAsync(options, cancellationToken);
            await using var transaction = connection is SqliteConnection sqlite
                ? sqlite.BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(cancellationToken);
            CommandDefinition Command(string sql, object? parameters) => new(sql, parameters, transaction, cancellationToken: cancellationToken);

            // On SQL Server the read takes an update lock that holds to the commit, so two publishers queue here.
            if (await connection.QuerySingleAsync<long>(Command(_sql.IntegratedSize, new { Tree = tree })) != integratedFrom) return null;
            if (nodes.Count > 0) await InsertNodesAsync(connection, transaction, nodes, cancellationToken);
            if (checkpoint is not null)
            {
                var latest = await connection.QuerySingleOrDefaultAsync<TransparencyReads.CheckpointRow>(
                    Command(_text.Of(TransparencyReads.Sql.LatestCheckpoint), new { Tree = tree }));
                if (latest is not null && latest.TreeSize >= checkpoint.TreeSize) return null;
                // Published when written, not when signed: the wait for the gate comes between.
                checkpoint = checkpoint with { PublishedAt = clock.GetUtcNow() };
                await connection.ExecuteAsync(Command(_sql.InsertCheckpoint, new
                {
                    Tree = tree, checkpoint.TreeSize, RootHash = Convert.ToHexStringLower(checkpoint.RootHash), checkpoint.Note, checkpoint.PublishedAt,
                }));
            }

            await transaction.CommitAsync(cancellationToken);
            return checkpoint ?? BatchWritten;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
            if (gated)
            {
                writerGate.Settle();
                writerGate.Gate.Release();
            }
        }
    }

    /// <summary>The batch's nodes, one command run per node with its parameters made once (<see cref="BatchParameters"/>).</summary>
    private async Task InsertNodesAsync(DbConnection connection, DbTransaction transaction, List<NodeRow> nodes, CancellationToken cancellationToken)
    {
        var sqlServer = options.Provider == DatabaseProvider.SqlServer;
        await using var insert = connection.CreateCommand();
        insert.CommandText = _sql.InsertNode;
        insert.Transaction = transaction;
        var tree = BatchParameters.Add(insert, "Tree", DbType.String);
        var level = BatchParameters.Add(insert, "Level", DbType.Int32);
        var index = BatchParameters.Add(insert, "NodeIndex", DbType.Int64);
        var hash = BatchParameters.Add(insert, "Hash", DbType.String);
        foreach (var node in nodes)
        {
            BatchParameters.SetText(tree, node.Tree, sqlServer);
            level.Value = node.Level;
            index.Value = node.NodeIndex;
            BatchParameters.SetText(hash, node.Hash, sqlServer);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>What <see cref="WriteAsync"/> returns for a batch written without the checkpoint.</summary>
    private static readonly Checkpoint BatchWritten = new("", 0, [], "", DateTimeOffset.MinValue);

    private sealed record NodeRow(string Tree, int Level, long NodeIndex, string Hash);

    private sealed class TreeSize
    {
        public string Tree { get; init; } = "";
        public long Size { get; init; }
    }

    private sealed class LeafHash
    {
        public long LeafIndex { get; init; }
        public string EntryHash { get; init; } = "";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Checkpoints are not published: {Problem}")]
    private static partial void NoKey(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing checkpoints failed ({Failures} in a row); retrying later")]
    private static partial void PublishFailed(ILogger logger, Exception exception, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "The {Tree} tree was integrated by another publisher first; left to it this round")]
    private static partial void ConcurrentPublisher(ILogger logger, string tree);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published the {Tree} tree's checkpoint at size {Size}")]
    private static partial void Published(ILogger logger, string tree, long size);
}

/// <summary>The dialect's text of a use case's statement, for code that runs it on a connection of its own.</summary>
internal readonly record struct DatabaseSessionText(DatabaseProvider Provider)
{
    public string Of(SqlStatement statement) => Provider == DatabaseProvider.SqlServer ? statement.SqlServer : statement.Sqlite;
}
