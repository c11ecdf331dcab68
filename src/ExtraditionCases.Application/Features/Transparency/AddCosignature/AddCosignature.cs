using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Transparency;
using MediatR;

namespace ExtraditionCases.Application.Features.Transparency;

/// <summary>
/// A witness's cosignature (c2sp.org/tlog-cosignature) of a published checkpoint of the caller's tree.
/// Accepted only from a configured witness key and only when it verifies over that checkpoint's body;
/// stored append-only and served with the checkpoint.
/// </summary>
public static class AddCosignature
{
    public sealed record Command(Caller Caller, string? Tree, long TreeSize, string Cosignature, DateTimeOffset ReceivedAt) : ICommand<Accepted>;

    public sealed record Accepted(string Tree, long TreeSize, string Witness, bool New);

    public sealed class Handler(IDatabaseSession session, ITransparencyKeys keys) : IRequestHandler<Command, Accepted>
    {
        public async Task<Accepted> Handle(Command request, CancellationToken cancellationToken)
        {
            var tree = TransparencyReads.TreeFor(request.Caller, request.Tree);
            var checkpoint = await TransparencyReads.AtAsync(session, tree, request.TreeSize, cancellationToken)
                ?? throw new NotFoundException($"No checkpoint of the {tree} tree has size {request.TreeSize}.");
            var body = SignedNote.Parse(checkpoint.Note)?.Text ?? throw new InvalidOperationException("A stored checkpoint is not a signed note.");
            var line = request.Cosignature.EndsWith('\n') ? request.Cosignature : request.Cosignature + "\n";
            var witness = keys.Witnesses.FirstOrDefault(w => SignedNote.VerifyCosignature(line, body, w, keys.Verify) is not null)
                ?? throw BadRequestException.For("cosignature", "Not a valid cosignature of this checkpoint by a configured witness.");
            var inserted = await session.QuerySingleOrDefaultAsync<long?>(TransparencyReads.Sql.InsertCosignature,
                new { Tree = tree, checkpoint.TreeSize, Witness = witness.Name, Line = line, request.ReceivedAt }, cancellationToken);
            return new Accepted(tree, checkpoint.TreeSize, witness.Name, inserted is not null);
        }
    }
}
