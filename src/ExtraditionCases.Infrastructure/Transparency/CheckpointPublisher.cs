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
    private const int LeafBatch = 5000;
    private readonly TransparencySql _sql = TransparencySql.Statements.For(options.Provider);
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

    private async Task<Checkpoint?> PublishTreeAsync(DbConnection connection, string tree, long size, CancellationToken cancellationToken)
    {
        var gated = options.Provider == DatabaseProvider.Sqlite;
        if (gated) await writerGate.Gate.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = connection is SqliteConnection sqlite
                ? sqlite.BeginTransaction(deferred: false)
                : await connection.BeginTransactionAsync(cancellationToken);
            CommandDefinition Command(string sql, object? parameters) => new(sql, parameters, transaction, cancellationToken: cancellationToken);

            var latest = (await connection.QuerySingleOrDefaultAsync<TransparencyReads.CheckpointRow>(
                Command(new DatabaseSessionText(options.Provider).Of(TransparencyReads.Sql.LatestCheckpoint), new { Tree = tree })))?.ToCheckpoint();
            if (latest is not null && latest.TreeSize >= size) return null;

            // The nodes of the tree so far whose hashes the new leaves' parents need: the perfect subtrees of [0, integrated).
            var integrated = await connection.QuerySingleAsync<long>(Command(_sql.IntegratedSize, new { Tree = tree }));
            var nodes = new Dictionary<Merkle.NodeId, byte[]>();
            if (integrated > 0)
            {
                foreach (var id in Merkle.NodesOf(0, integrated))
                {
                    var hash = await connection.QuerySingleAsync<string>(Command(
                        new DatabaseSessionText(options.Provider).Of(TransparencyReads.Sql.Node), new { Tree = tree, id.Level, NodeIndex = id.Index }));
                    nodes[id] = Convert.FromHexString(hash.Trim());
                }
            }

            for (var from = integrated; from < size; from += LeafBatch)
            {
                var leaves = await connection.QueryAsync<LeafHash>(Command(_sql.LeavesFrom, new { Tree = tree, From = from, To = Math.Min(size, from + LeafBatch) }));
                var made = new List<object>();
                var expected = from;
                foreach (var leaf in leaves)
                {
                    // A gap in the indexes is not a tree: refuse to sign over it.
                    if (leaf.LeafIndex != expected++) throw new InvalidOperationException($"The {tree} tree has no leaf {expected - 1}.");
                    foreach (var (id, hash) in Merkle.Append(leaf.LeafIndex, Merkle.LeafHash(Convert.FromHexString(leaf.EntryHash.Trim())), id => nodes[id]))
                    {
                        nodes[id] = hash;
                        made.Add(new { Tree = tree, id.Level, NodeIndex = id.Index, Hash = Convert.ToHexStringLower(hash) });
                    }
                }

                if (expected != Math.Min(size, from + LeafBatch)) throw new InvalidOperationException($"The {tree} tree has no leaf {expected}.");
                await connection.ExecuteAsync(Command(_sql.InsertNode, made));
            }

            var root = Merkle.SubtreeHash(0, size, id => nodes[id]);
            var note = keys.SignNote(SignedNote.CheckpointBody(keys.OriginOf(tree), size, root));
            var checkpoint = new Checkpoint(tree, size, root, note, clock.GetUtcNow());
            await connection.ExecuteAsync(Command(_sql.InsertCheckpoint, new
            {
                Tree = tree, TreeSize = size, RootHash = Convert.ToHexStringLower(root), checkpoint.Note, checkpoint.PublishedAt,
            }));
            await transaction.CommitAsync(cancellationToken);
            Published(logger, tree, size);
            return checkpoint;
        }
        finally
        {
            if (gated) writerGate.Gate.Release();
        }
    }

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

    [LoggerMessage(Level = LogLevel.Information, Message = "Published the {Tree} tree's checkpoint at size {Size}")]
    private static partial void Published(ILogger logger, string tree, long size);
}

/// <summary>The dialect's text of a use case's statement, for code that runs it on a connection of its own.</summary>
internal readonly record struct DatabaseSessionText(DatabaseProvider Provider)
{
    public string Of(SqlStatement statement) => Provider == DatabaseProvider.SqlServer ? statement.SqlServer : statement.Sqlite;
}
