using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Domain.Workflow;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class ListCasesEndpoint
{
    public static void Map(RouteGroupBuilder cases) => cases.MapGet("/", async (HttpContext http, IMediator mediator, CancellationToken ct,
            string? state, string? requestingState, string? requestedState, string? overdue, string? assignee, string? limit, string? cursor) =>
        {
            var query = new QueryValues();
            var mine = query.Me("assignee", assignee);
            var request = new ListCases.Query(Callers.Of(http), query.Enum<CaseState>("state", state), query.Country("requestingState", requestingState),
                query.Country("requestedState", requestedState), query.Flag("overdue", overdue),
                query.Limit("limit", limit, ListCases.MaxLimit, ListCases.DefaultLimit), mine ? null : query.Cursor("cursor", cursor, ListCases.Cursor),
                mine, mine ? query.Cursor("cursor", cursor, ListCases.WorkListCursor) : null);
            query.ThrowIfInvalid();
            var page = await mediator.Send(request, ct);
            ReturnedCases.Note(http, page.Items.Select(c => c.Id));
            return TypedResults.Ok(page);
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithName("ListCases")
        .WithSummary("List cases")
        .WithDescription("Cases the caller may see, oldest first, with cursor paging (limit 1-200, default 50). overdue=true keeps open cases with a clock Missed. assignee=me: the calling officer's work list, the cases their state assigned to them (issuer and sub of the token), soonest running clock first (cases with none last), then oldest first; the other filters still apply.")
        .Documents(
            Parameter.Enum<CaseState>("state", "Only cases in this state."),
            Parameter.Country("requestingState", "Only cases this state requests."),
            Parameter.Country("requestedState", "Only cases requested of this state."),
            Parameter.Flag("overdue", "true: only open cases with a clock Missed."),
            Parameter.OneOf("assignee", "me: only the cases assigned to the calling officer, soonest running clock first.", "me"),
            Parameter.Limit(ListCases.MaxLimit, ListCases.DefaultLimit));
}
