using System.Text;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Transparency;

namespace ExtraditionCases.Application.Features.Transparency;

/// <summary>A published checkpoint: its tree and size, the root it signs, the signed note as stored.</summary>
public sealed record Checkpoint(string Tree, long TreeSize, byte[] RootHash, string Note, DateTimeOffset PublishedAt);

/// <summary>What the transparency slices share: which tree a caller reads, checkpoints, leaves and proofs from stored nodes.</summary>
public static partial class TransparencyReads
{
    /// <summary>
    /// The tree a caller reads: auditors any (the global one, "all", unless they name another), everyone else
    /// their own country's. Another country's tree is 404, like another country's case.
    /// </summary>
    public static string TreeFor(Caller caller, string? requested)
    {
        if (caller.IsAuditor)
        {
            var tree = requested ?? Trees.All;
            return Trees.IsValid(tree) ? tree : throw new NotFoundException($"No tree {tree}.");
        }

        if (caller.Country is null || !Trees.IsValid(caller.Country) || (requested is not null && requested != caller.Country))
            throw new NotFoundException("No such tree for this caller.");
        return caller.Country;
    }

    public static async Task<Checkpoint?> LatestAsync(IDatabaseSession session, string tree, CancellationToken cancellationToken) =>
        (await session.QuerySingleOrDefaultAsync<CheckpointRow>(Sql.LatestCheckpoint, new { Tree = tree }, cancellationToken))?.ToCheckpoint();

    public static async Task<Checkpoint?> AtAsync(IDatabaseSession session, string tree, long size, CancellationToken cancellationToken) =>
        (await session.QuerySingleOrDefaultAsync<CheckpointRow>(Sql.CheckpointAt, new { Tree = tree, TreeSize = size }, cancellationToken))?.ToCheckpoint();

    /// <summary>
    /// Whether a stored checkpoint is what the log key signed: the note verifies, and its body names this
    /// tree's origin, the stored size and the stored root. A row a database administrator wrote cannot pass.
    /// </summary>
    public static bool IsAuthentic(Checkpoint checkpoint, ITransparencyKeys keys)
    {
        if (keys.LogKey is not { } key || !SignedNote.Verify(checkpoint.Note, key, keys.Verify)) return false;
        return SignedNote.Parse(checkpoint.Note) is { } parsed && SignedNote.ParseCheckpoint(parsed.Text) is { } body
            && body.Origin == keys.OriginOf(checkpoint.Tree) && body.Size == checkpoint.TreeSize && body.Root.AsSpan().SequenceEqual(checkpoint.RootHash);
    }

    /// <summary>The newest checkpoint of the tree that is authentic (a forged newer row is passed over, and reported by verification).</summary>
    public static async Task<Checkpoint?> LatestAuthenticAsync(IDatabaseSession session, ITransparencyKeys keys, string tree, CancellationToken cancellationToken)
    {
        var latest = await LatestAsync(session, tree, cancellationToken);
        return latest is not null && IsAuthentic(latest, keys) ? latest : null;
    }

    /// <summary>The note with the witnesses' cosignature lines after the log's signature (one signed note, several signers).</summary>
    public static async Task<(string Note, IReadOnlyList<string> Cosignatures)> WithCosignaturesAsync(
        IDatabaseSession session, Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        var lines = (await session.QueryAsync<CosignatureRow>(Sql.Cosignatures, new { checkpoint.Tree, checkpoint.TreeSize }, cancellationToken))
            .Select(r => r.Line).ToList();
        var note = new StringBuilder(checkpoint.Note);
        foreach (var line in lines) note.Append(line.EndsWith('\n') ? line : line + "\n");
        return (note.ToString(), lines);
    }

    public static async Task<LeafRow?> LeafOfEventAsync(IDatabaseSession session, string tree, Guid caseId, int sequence, CancellationToken cancellationToken) =>
        await session.QuerySingleOrDefaultAsync<LeafRow>(Sql.LeafOfEvent, new { Tree = tree, CaseId = caseId, Sequence = sequence }, cancellationToken);

    public static async Task<IReadOnlyList<LeafRow>> LeavesOfCaseAsync(IDatabaseSession session, string tree, Guid caseId, CancellationToken cancellationToken) =>
        await session.QueryAsync<LeafRow>(Sql.LeavesOfCase, new { Tree = tree, CaseId = caseId }, cancellationToken);

    /// <summary>The case's leaves in the tree, by sequence: only their sequence and index (<see cref="Sql.LeafIndexesOfCase"/>).</summary>
    public static async Task<IReadOnlyList<LeafIndexRow>> LeafIndexesOfCaseAsync(IDatabaseSession session, string tree, Guid caseId, CancellationToken cancellationToken) =>
        await session.QueryAsync<LeafIndexRow>(Sql.LeafIndexesOfCase, new { Tree = tree, CaseId = caseId }, cancellationToken);

    public static async Task<LeafRow?> LeafAtAsync(IDatabaseSession session, string tree, long index, CancellationToken cancellationToken) =>
        await session.QuerySingleOrDefaultAsync<LeafRow>(Sql.LeafAt, new { Tree = tree, LeafIndex = index }, cancellationToken);

    /// <summary>The subtree hashes of the given ranges, from the stored nodes (read many to a statement, each once).</summary>
    public static async Task<IReadOnlyList<byte[]>> ProofAsync(
        IDatabaseSession session, string tree, IReadOnlyList<(long Lo, long Hi)> ranges, CancellationToken cancellationToken)
    {
        var nodes = new Dictionary<Merkle.NodeId, byte[]?>();
        await ReadNodesAsync(session, tree, ranges.SelectMany(r => Merkle.NodesOf(r.Lo, r.Hi)), nodes, cancellationToken);
        if (new StoredRanges(nodes).Proof(ranges) is { } proof) return proof;
        var absent = ranges.SelectMany(r => Merkle.NodesOf(r.Lo, r.Hi)).First(id => nodes[id] is null);
        throw new NotFoundException($"The {tree} tree has no node {absent.Level}/{absent.Index} yet: it is not covered by a checkpoint.");
    }

    /// <summary>
    /// Subtree hashes from nodes already read, each range's computed once: the audit paths of a case's many leaves repeat the
    /// same ranges, and a range that is not a stored node (the tree's ragged right edge) costs a hash per level below it.
    /// </summary>
    public sealed class StoredRanges(IReadOnlyDictionary<Merkle.NodeId, byte[]?> nodes)
    {
        private readonly Dictionary<(long Lo, long Hi), byte[]?> _hashes = [];

        /// <summary>MTH(D[lo:hi]), or null when one of its nodes is not stored.</summary>
        public byte[]? HashOf(long lo, long hi)
        {
            if (_hashes.TryGetValue((lo, hi), out var known)) return known;
            byte[]? hash = null;
            if (Merkle.NodesOf(lo, hi).All(id => nodes[id] is not null)) hash = Merkle.SubtreeHash(lo, hi, id => nodes[id]!);
            return _hashes[(lo, hi)] = hash;
        }

        /// <summary>The ranges' hashes, or null when a node of one is not stored.</summary>
        public IReadOnlyList<byte[]>? Proof(IReadOnlyList<(long Lo, long Hi)> ranges)
        {
            var proof = new byte[ranges.Count][];
            for (var i = 0; i < ranges.Count; i++)
            {
                if (HashOf(ranges[i].Lo, ranges[i].Hi) is not { } hash) return null;
                proof[i] = hash;
            }

            return proof;
        }
    }

    /// <summary>
    /// Reads into <paramref name="nodes"/> each of <paramref name="ids"/> it does not hold yet, many to a statement
    /// (<see cref="Sql.Nodes"/>); one not stored is entered as null, so it is not asked for again.
    /// </summary>
    public static async Task ReadNodesAsync(
        IDatabaseSession session, string tree, IEnumerable<Merkle.NodeId> ids, Dictionary<Merkle.NodeId, byte[]?> nodes, CancellationToken cancellationToken)
    {
        var missing = ids.Where(id => !nodes.ContainsKey(id)).Distinct().ToList();
        foreach (var chunk in missing.Chunk(NodesPerRead))
        {
            var json = new StringBuilder(chunk.Length * 16).Append('[');
            foreach (var id in chunk) json.Append('[').Append(id.Level).Append(',').Append(id.Index).Append("],");
            json[^1] = ']';
            foreach (var id in chunk) nodes[id] = null;
            foreach (var row in await session.QueryAsync<NodeRow>(Sql.Nodes, new { Tree = tree, Ids = json.ToString() }, cancellationToken))
                nodes[new Merkle.NodeId(row.Level, row.NodeIndex)] = Convert.FromHexString(row.Hash.Trim());
        }
    }

    // Bounds one statement's JSON parameter (about 16 characters a node) and its result.
    private const int NodesPerRead = 2_000;

    private sealed class NodeRow
    {
        public int Level { get; init; }
        public long NodeIndex { get; init; }
        public string Hash { get; init; } = "";
    }

    public sealed class CheckpointRow
    {
        public string Tree { get; init; } = "";
        public long TreeSize { get; init; }
        public string RootHash { get; init; } = "";
        public string Note { get; init; } = "";
        public DateTimeOffset PublishedAt { get; init; }

        public Checkpoint ToCheckpoint() => new(Tree.Trim(), TreeSize, Convert.FromHexString(RootHash.Trim()), Note, PublishedAt);
    }

    public sealed class LeafIndexRow
    {
        public int? Sequence { get; init; }
        public long LeafIndex { get; init; }
    }

    public sealed class LeafRow
    {
        public long LeafIndex { get; init; }
        public Guid? CaseId { get; init; }
        public int? Sequence { get; init; }
        public string EntryHash { get; init; } = "";
    }

    private sealed class CosignatureRow
    {
        public string Witness { get; init; } = "";
        public string Line { get; init; } = "";
    }
}
