using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Transparency;
using MediatR;

namespace ExtraditionCases.Application.Features.Transparency;

/// <summary>
/// An RFC 9162 audit path: of a case's event (by case and sequence, in the caller's tree; a case the caller
/// may not see is 404) or of a leaf by index, against a checkpoint (the latest unless a size is named).
/// </summary>
public static class GetInclusionProof
{
    public sealed record Query(Caller Caller, string? Tree, Guid? CaseId, int? Sequence, long? LeafIndex, long? TreeSize) : IRequest<View>;

    /// <summary>entryHash is the stored hash the leaf covers (hex; the leaf hash is SHA-256(0x00 || its 32 bytes)); proof in base64, leaf side first.</summary>
    public sealed record View(string Tree, long LeafIndex, long TreeSize, Guid? CaseId, int? Sequence, string EntryHash, IReadOnlyList<string> Proof, string RootHash, string Checkpoint);

    public sealed class Handler(IDatabaseSession session, ICaseStore cases) : IRequestHandler<Query, View>
    {
        public async Task<View> Handle(Query request, CancellationToken cancellationToken)
        {
            var tree = TransparencyReads.TreeFor(request.Caller, request.Tree);
            TransparencyReads.LeafRow? leaf;
            if (request.CaseId is { } caseId)
            {
                var parties = await cases.FindPartiesAsync(caseId, cancellationToken);
                if (parties is null || !CaseAccess.MaySee(request.Caller, parties.RequestingState, parties.RequestedState))
                    throw new NotFoundException($"No case {caseId}.");
                leaf = await TransparencyReads.LeafOfEventAsync(session, tree, caseId, request.Sequence ?? 0, cancellationToken);
            }
            else
            {
                leaf = await TransparencyReads.LeafAtAsync(session, tree, request.LeafIndex ?? -1, cancellationToken);
            }

            if (leaf is null) throw new NotFoundException($"No such leaf in the {tree} tree.");
            var checkpoint = (request.TreeSize is { } size
                    ? await TransparencyReads.AtAsync(session, tree, size, cancellationToken)
                    : await TransparencyReads.LatestAsync(session, tree, cancellationToken))
                ?? throw new NotFoundException($"No such checkpoint of the {tree} tree.");
            if (leaf.LeafIndex >= checkpoint.TreeSize)
                throw new NotFoundException($"Leaf {leaf.LeafIndex} is not yet covered by a checkpoint of the {tree} tree (size {checkpoint.TreeSize}).");

            var proof = await TransparencyReads.ProofAsync(session, tree, Merkle.InclusionRanges(leaf.LeafIndex, checkpoint.TreeSize), cancellationToken);
            return new View(tree, leaf.LeafIndex, checkpoint.TreeSize, leaf.CaseId, leaf.Sequence, leaf.EntryHash.Trim(),
                [.. proof.Select(Convert.ToBase64String)], Convert.ToBase64String(checkpoint.RootHash), checkpoint.Note);
        }
    }
}
