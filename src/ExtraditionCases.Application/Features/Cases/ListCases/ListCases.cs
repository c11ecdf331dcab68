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

    public sealed record Query(
        Caller Caller, CaseState? State, string? RequestingState, string? RequestedState, bool OverdueOnly, int Limit, CaseCursor? After)
        : IRequest<Page<CaseView>>;

    public sealed class Handler(ICaseStore store, TimeProvider clock, AgencyPowers agencies) : IRequestHandler<Query, Page<CaseView>>
    {
        public async Task<Page<CaseView>> Handle(Query request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            if (!caller.IsAuditor && !caller.IsOfficer) throw new ForbiddenException("Partners poll status and changes; they do not list cases.");
            var now = clock.GetUtcNow();

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
