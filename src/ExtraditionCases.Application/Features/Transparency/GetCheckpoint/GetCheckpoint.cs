using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Transparency;

/// <summary>The latest signed checkpoint of the caller's tree, with the witnesses' cosignatures.</summary>
public static class GetCheckpoint
{
    public sealed record Query(Caller Caller, string? Tree) : IRequest<View>;

    /// <summary>rootHash in base64 as the checkpoint writes it; note is the signed note (c2sp.org/tlog-checkpoint) with every cosignature line.</summary>
    public sealed record View(string Tree, string Origin, long TreeSize, string RootHash, string Note, DateTimeOffset PublishedAt, IReadOnlyList<string> Cosignatures);

    public sealed class Handler(IDatabaseSession session, ITransparencyKeys keys) : IRequestHandler<Query, View>
    {
        public async Task<View> Handle(Query request, CancellationToken cancellationToken)
        {
            var tree = TransparencyReads.TreeFor(request.Caller, request.Tree);
            var checkpoint = await TransparencyReads.LatestAsync(session, tree, cancellationToken)
                ?? throw new NotFoundException($"No checkpoint of the {tree} tree has been published yet.");
            var (note, cosignatures) = await TransparencyReads.WithCosignaturesAsync(session, checkpoint, cancellationToken);
            return new View(tree, keys.OriginOf(tree), checkpoint.TreeSize, Convert.ToBase64String(checkpoint.RootHash), note, checkpoint.PublishedAt, cosignatures);
        }
    }
}
