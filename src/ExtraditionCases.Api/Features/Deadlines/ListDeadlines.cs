using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Deadlines;
using ExtraditionCases.Domain.Deadlines;
using MediatR;

namespace ExtraditionCases.Api.Features.Deadlines;

internal static class ListDeadlinesEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/deadlines", async (HttpContext http, IMediator mediator, CancellationToken ct,
            string? status, string? dueBefore, string? assignee, string? dueWithin, string? limit, string? cursor) =>
        {
            var query = new QueryValues();
            var request = new ListDeadlines.Query(Callers.Of(http), query.Enum<DeadlineStatus>("status", status), query.Instant("dueBefore", dueBefore),
                query.Limit("limit", limit, ListDeadlines.MaxLimit, ListDeadlines.DefaultLimit), query.Cursor("cursor", cursor, ListDeadlines.Cursor),
                query.Me("assignee", assignee), query.Duration("dueWithin", dueWithin, ListDeadlines.MaxDueWithin));
            query.ThrowIfInvalid();
            var page = await mediator.Send(request, ct);
            ReturnedCases.Note(http, page.Items.Select(i => i.CaseId));
            return TypedResults.Ok(page);
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithTags("Deadlines")
        .WithName("ListDeadlines")
        .WithSummary("List statutory clocks")
        .WithDescription("Clocks of the cases the caller may see, soonest first; filter by status (Pending or Missed) and dueBefore. An officer's work list: assignee=me keeps the cases assigned to the caller for their state, and dueWithin (an ISO 8601 duration of weeks, days, hours, minutes or seconds, up to P366D) keeps the clocks still running that are due before now plus that duration, the overdue ones included.")
        .Documents(
            Parameter.Enum<DeadlineStatus>("status", "Only clocks that read this status now."),
            Parameter.Instant("dueBefore", "Only clocks due before this instant."),
            Parameter.OneOf("assignee", "me: only clocks of the cases assigned to the calling officer.", "me"),
            Parameter.Duration("dueWithin", "Only clocks still running (Pending or Extended, overdue included) due before now plus this ISO 8601 duration (P14D, P2W, PT36H; more than zero, at most P366D)."),
            Parameter.Limit(ListDeadlines.MaxLimit, ListDeadlines.DefaultLimit));
}
