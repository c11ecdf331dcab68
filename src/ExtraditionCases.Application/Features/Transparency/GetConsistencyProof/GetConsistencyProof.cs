using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Transparency;
using MediatR;

namespace ExtraditionCases.Application.Features.Transparency;

/// <summary>An RFC 9162 consistency proof between two sizes of the caller's tree (to: the latest checkpoint unless named).</summary>
public static class GetConsistencyProof
{
    public sealed record Query(Caller Caller, string? Tree, long From, long? To) : IRequest<View>;

    public sealed record View(string Tree, long From, long To, IReadOnlyList<string> Proof);

    public sealed class Handler(IDatabaseSession session) : IRequestHandler<Query, View>
    {
        public async Task<View> Handle(Query request, CancellationToken cancellationToken)
        {
            var tree = TransparencyReads.TreeFor(request.Caller, request.Tree);
            var to = request.To ?? (await TransparencyReads.LatestAsync(session, tree, cancellationToken))?.TreeSize
                ?? throw new NotFoundException($"No checkpoint of the {tree} tree has been published yet.");
            if (request.From > to) throw BadRequestException.For("from", "Must not be larger than to.");
            if (await TransparencyReads.AtAsync(session, tree, to, cancellationToken) is null)
                throw new NotFoundException($"No checkpoint of the {tree} tree has size {to}.");
            var proof = await TransparencyReads.ProofAsync(session, tree, Merkle.ConsistencyRanges(request.From, to), cancellationToken);
            return new View(tree, request.From, to, [.. proof.Select(Convert.ToBase64String)]);
        }
    }
}
