using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.History;
using MediatR;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>A case's complete history as auditors receive it, and its hash chain recomputed from storage.</summary>
public static class GetHistory
{
    public sealed record Query(Caller Caller, Guid Id) : IRequest<View>;

    public sealed record View(Guid CaseId, string Head, IReadOnlyList<CaseEvent> Events)
    {
        public JsonObject ToJson() => new()
        {
            ["caseId"] = CaseId.ToString(),
            ["head"] = Head,
            ["events"] = new JsonArray([.. Events.Select(e => (JsonNode)e.ToJson())]),
        };
    }

    public sealed record VerifyQuery(Caller Caller, Guid Id) : IRequest<Verification>;

    public sealed record Verification(bool Valid, int Events, string Head, int? FirstInvalidSequence);

    public sealed class Handler(ICaseStore cases, IHistoryQueries history) : IRequestHandler<Query, View>, IRequestHandler<VerifyQuery, Verification>
    {
        public async Task<View> Handle(Query request, CancellationToken cancellationToken)
        {
            var events = await VisibleEventsAsync(request.Caller, request.Id, cancellationToken);
            return new View(request.Id, events.Count == 0 ? CaseEvent.GenesisHash : events[^1].Hash, events);
        }

        public async Task<Verification> Handle(VerifyQuery request, CancellationToken cancellationToken)
        {
            var events = await VisibleEventsAsync(request.Caller, request.Id, cancellationToken);
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
            var head = await history.HeadOfAsync(request.Id, cancellationToken);
            if (firstInvalid is null && head is not null && (head.Version != events.Count || (events.Count > 0 && head.HeadHash != events[^1].Hash)))
                firstInvalid = Math.Min(events.Count + 1, head.Version);

            return new Verification(firstInvalid is null, events.Count, events.Count == 0 ? CaseEvent.GenesisHash : events[^1].Hash, firstInvalid);
        }

        private async Task<IReadOnlyList<CaseEvent>> VisibleEventsAsync(Caller caller, Guid id, CancellationToken cancellationToken)
        {
            var parties = await cases.FindPartiesAsync(id, cancellationToken);
            if (parties is null || !CaseAccess.MaySee(caller, parties.RequestingState, parties.RequestedState) || !(caller.IsOfficer || caller.IsAuditor))
                throw new NotFoundException($"No case {id}.");
            return await history.EventsAsync(id, cancellationToken);
        }
    }
}
