using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using MediatR;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>A case's hash chain recomputed from storage, and checked against the head the case row records.</summary>
public static partial class VerifyHistory
{
    public sealed record Query(Caller Caller, Guid Id) : IRequest<Verification>;

    public sealed record Verification(bool Valid, int Events, string Head, int? FirstInvalidSequence);

    /// <summary>What the case row says its history should end with.</summary>
    public sealed record CaseHead(int Version, string HeadHash);

    public sealed class Handler(ICaseStore cases, IDatabaseSession session) : IRequestHandler<Query, Verification>
    {
        public async Task<Verification> Handle(Query request, CancellationToken cancellationToken)
        {
            var events = await GetHistory.VisibleEventsAsync(cases, session, request.Caller, request.Id, cancellationToken);
            var expectedPrev = CaseEvent.GenesisHash;
            int? firstInvalid = null;
            for (var i = 0; i < events.Count && firstInvalid is null; i++)
            {
                var e = events[i];
                // A break anywhere (edited content, a relinked or reordered event, a gap) invalidates the rest.
                if (e.Sequence != i + 1 || e.PrevHash != expectedPrev || e.ComputeHash() != e.Hash) firstInvalid = e.Sequence;
                expectedPrev = e.Hash;
            }

            // A chain that is sound but shorter than the case's version, or ends elsewhere than the case
            // row's head, lost its tail (or the row was edited): invalid from the first missing event.
            var head = await HeadOfAsync(session, request.Id, cancellationToken);
            if (firstInvalid is null && head is not null && (head.Version != events.Count || (events.Count > 0 && head.HeadHash != events[^1].Hash)))
                firstInvalid = Math.Min(events.Count + 1, head.Version);

            return new Verification(firstInvalid is null, events.Count, events.Count == 0 ? CaseEvent.GenesisHash : events[^1].Hash, firstInvalid);
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
