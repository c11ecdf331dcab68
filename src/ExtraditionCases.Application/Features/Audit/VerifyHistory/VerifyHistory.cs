using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using MediatR;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>A case's hash chain recomputed from storage, and checked against the head the case row records.</summary>
public static partial class VerifyHistory
{
    public sealed record Query(Caller Caller, Guid Id) : IRequest<Verification>;

    /// <summary>
    /// valid and firstInvalidSequence as the contract has them, now over every check (the chain, the replay
    /// against the case row, inclusion in the signed trees, the feed); firstMismatch says which check and why.
    /// </summary>
    public sealed record Verification(bool Valid, int Events, string Head, int? FirstInvalidSequence, Mismatch? FirstMismatch = null,
        int IncludedInCheckpoints = 0, int AwaitingCheckpoint = 0);

    /// <summary>What the case row says its history should end with.</summary>
    public sealed record CaseHead(int Version, string HeadHash);

    public sealed class Handler(ICaseStore cases, IDatabaseSession session, ITransparencyKeys keys, Domain.Deadlines.DeadlineOptions deadlines)
        : IRequestHandler<Query, Verification>
    {
        public async Task<Verification> Handle(Query request, CancellationToken cancellationToken)
        {
            // 404 for a case the caller may not read the history of, before anything is verified.
            _ = await GetHistory.VisibleEventsAsync(cases, session, request.Caller, request.Id, cancellationToken);
            var result = await CaseEvidence.VerifyAsync(session, cases, keys, deadlines, request.Id, new CaseEvidence.TreeCache(), cancellationToken);
            return new Verification(result.FirstMismatch is null, result.Events, result.Head, result.FirstMismatch?.Sequence, result.FirstMismatch,
                result.Included, result.Pending);
        }
    }

    public static async Task<CaseHead?> HeadOfAsync(IDatabaseSession session, Guid caseId, CancellationToken cancellationToken)
    {
        var row = await session.QuerySingleOrDefaultAsync<HeadRow>(Sql.CaseHead, new { CaseId = caseId }, cancellationToken);
        return row is null ? null : new CaseHead(row.Version, row.HeadHash.Trim());
    }

    private sealed class HeadRow
    {
        public int Version { get; init; }
        public string HeadHash { get; init; } = "";
    }
}
