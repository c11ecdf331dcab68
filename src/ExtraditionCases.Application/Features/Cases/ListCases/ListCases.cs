using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Workflow;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>
/// Lists the cases a caller may see, filtered and keyset-paged. Each item is the case as
/// <see cref="GetCase"/> shows it (allowed actions included), so the rows are restored into the
/// aggregate by the case store, whose CaseStoreSql.ListCases is this list's statement.
/// </summary>
public static class ListCases
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Opaque to clients: the last item's creation instant and id.</summary>
    public static readonly CursorFormat<CaseCursor> Cursor = new("case1", c => [c.CreatedAt, c.Id], r => new(r.Instant(), r.Guid()));

    /// <summary>Opaque to clients: an officer's work list position (soonest running clock, creation instant, id).</summary>
    public static readonly CursorFormat<WorkCursor> WorkListCursor = new("work1", c => [c.NextDueAt, c.CreatedAt, c.Id], r => new(r.Instant(), r.Instant(), r.Guid()));

    /// <param name="AssignedToMe">assignee=me: the caller's work list, the cases assigned to them for their state, soonest running clock first.</param>
    public sealed record Query(
        Caller Caller, CaseState? State, string? RequestingState, string? RequestedState, bool OverdueOnly, int Limit, CaseCursor? After,
        bool AssignedToMe = false, WorkCursor? AfterWork = null)
        : IRequest<Page<CaseView>>;

    public sealed class Handler(ICaseStore store, TimeProvider clock, AgencyPowers agencies) : IRequestHandler<Query, Page<CaseView>>
    {
        public async Task<Page<CaseView>> Handle(Query request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            if (!caller.IsAuditor && !caller.IsOfficer) throw new ForbiddenException("Partners poll status and changes; they do not list cases.");
            var now = clock.GetUtcNow();
            if (request.AssignedToMe)
            {
                if (!caller.IsOfficer || caller.Country is null) throw new ForbiddenException("Cases are assigned to officers of a party state; assignee=me is an officer's work list.");
                var work = await store.ListAsync(new CaseListFilter(caller.Country, request.State, request.RequestingState, request.RequestedState,
                    request.OverdueOnly, now, request.Limit + 1, null, new AssignedOfficer(caller.Country, caller.Issuer, caller.Subject), request.AfterWork), cancellationToken);
                return Paging.Of(work, request.Limit, WorkListCursor, WorkCursor.Of, c => CaseView.Of(c, caller, now, agencies));
            }

            var cases = await store.ListAsync(new CaseListFilter(
                caller.IsAuditor ? null : caller.Country ?? "--",
                request.State,
                request.RequestingState,
                request.RequestedState,
                request.OverdueOnly,
                now,
                request.Limit + 1,
                request.After), cancellationToken);
            return Paging.Of(cases, request.Limit, Cursor, c => new CaseCursor(c.CreatedAt, c.Id), c => CaseView.Of(c, caller, now, agencies));
        }
    }
}
