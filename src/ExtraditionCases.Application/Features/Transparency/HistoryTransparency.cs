using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Transparency;

namespace ExtraditionCases.Application.Features.Transparency;

/// <summary>Where one event sits in the caller's tree, and its audit path to the checkpoint (null while no checkpoint covers it).</summary>
public sealed record EventLeaf(int Sequence, long LeafIndex, IReadOnlyList<string>? Proof);

/// <summary>
/// What an outside verifier needs beside a JSON history: the caller's tree, the latest checkpoint the
/// service's key signed (the signed note, its size and root), and each event's leaf index and audit path.
/// The verifier checks the note against the published key and each path against the note's root, from the
/// event's own hash (tools/verify_history.py).
/// </summary>
public sealed record HistoryTransparency(string Tree, long? TreeSize, string? RootHash, string? Checkpoint, IReadOnlyList<EventLeaf> Leaves)
{
    /// <summary>Only the leaves of the events up to <paramref name="sequence"/> (a history read up to its head).</summary>
    public HistoryTransparency Through(int sequence) =>
        Leaves.Any(l => l.Sequence > sequence) ? this with { Leaves = [.. Leaves.Where(l => l.Sequence <= sequence)] } : this;

    public static async Task<HistoryTransparency> ForAsync(IDatabaseSession session, ITransparencyKeys keys, Caller caller, Guid caseId, CancellationToken cancellationToken)
    {
        var tree = TransparencyReads.TreeFor(caller, null);
        var checkpoint = await TransparencyReads.LatestAuthenticAsync(session, keys, tree, cancellationToken);
        var indexes = await TransparencyReads.LeafIndexesOfCaseAsync(session, tree, caseId, cancellationToken);
        // Every path's nodes are read first, many to a statement, each once: the paths of one case's leaves share their
        // upper nodes, and a statement per node was most of a 1,000-event history's cost once checkpoints exist (issue 20).
        var paths = indexes.Select(leaf => checkpoint is not null && leaf.LeafIndex < checkpoint.TreeSize
            ? Merkle.InclusionRanges(leaf.LeafIndex, checkpoint.TreeSize)
            : null).ToList();
        var ranges = paths.SelectMany(p => p ?? []).Distinct().ToList();
        var nodes = new Dictionary<Merkle.NodeId, byte[]?>();
        await TransparencyReads.ReadNodesAsync(session, tree, ranges.SelectMany(r => Merkle.NodesOf(r.Lo, r.Hi)), nodes, cancellationToken);
        // Each distinct range hashed and encoded once; the paths share the strings.
        var stored = new TransparencyReads.StoredRanges(nodes);
        var encoded = new Dictionary<(long Lo, long Hi), string>(ranges.Count);
        foreach (var (lo, hi) in ranges)
        {
            // Every range here lies under the checkpoint, whose nodes the publisher stored before it signed: a missing one
            // means the stored tree is not the one signed (what /audit/verify reports). Refused as a proof would be (404).
            if (stored.HashOf(lo, hi) is not { } hash)
            {
                var missing = Merkle.NodesOf(lo, hi).First(id => nodes[id] is null);
                throw new NotFoundException($"The {tree} tree has no stored node {missing.Level}/{missing.Index} under its checkpoint of size {checkpoint!.TreeSize}.");
            }

            encoded[(lo, hi)] = Convert.ToBase64String(hash);
        }

        var leaves = new List<EventLeaf>(indexes.Count);
        for (var i = 0; i < indexes.Count; i++)
            leaves.Add(new EventLeaf(indexes[i].Sequence ?? 0, indexes[i].LeafIndex, paths[i] is { } path ? [.. path.Select(r => encoded[r])] : null));

        return new HistoryTransparency(tree, checkpoint?.TreeSize, checkpoint is null ? null : Convert.ToBase64String(checkpoint.RootHash), checkpoint?.Note, leaves);
    }
}
