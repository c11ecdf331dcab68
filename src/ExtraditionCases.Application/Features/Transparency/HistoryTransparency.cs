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
        var leaves = new List<EventLeaf>();
        // Only the two members the response has (a covering read of the event index), and each stored node read once
        // for all the case's paths: the paths of one case's leaves share their upper nodes (issue 20).
        var nodes = new Dictionary<Merkle.NodeId, byte[]>();
        foreach (var leaf in await TransparencyReads.LeafIndexesOfCaseAsync(session, tree, caseId, cancellationToken))
        {
            IReadOnlyList<string>? proof = null;
            if (checkpoint is not null && leaf.LeafIndex < checkpoint.TreeSize)
            {
                proof = [.. (await TransparencyReads.ProofAsync(session, tree, Merkle.InclusionRanges(leaf.LeafIndex, checkpoint.TreeSize), cancellationToken, nodes))
                    .Select(Convert.ToBase64String)];
            }

            leaves.Add(new EventLeaf(leaf.Sequence ?? 0, leaf.LeafIndex, proof));
        }

        return new HistoryTransparency(tree, checkpoint?.TreeSize, checkpoint is null ? null : Convert.ToBase64String(checkpoint.RootHash), checkpoint?.Note, leaves);
    }
}
