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
            string? status, string? dueBefore, string? limit, string? cursor) =>
        {
            var query = new QueryValues();
            var request = new ListDeadlines.Query(Callers.From(http.User), query.Enum<DeadlineStatus>("status", status), query.Instant("dueBefore", dueBefore),
                query.Limit("limit", limit, ListDeadlines.MaxLimit, ListDeadlines.DefaultLimit), query.Cursor("cursor", cursor, ListDeadlines.Cursor));
            query.ThrowIfInvalid();
            var page = await mediator.Send(request, ct);
            ReturnedCases.Note(http, page.Items.Select(i => i.CaseId));
            return TypedResults.Ok(page);
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithTags("Deadlines")
        .WithName("ListDeadlines")
        .WithSummary("List statutory clocks")
        .WithDescription("Clocks of the cases the caller may see, soonest first; filter by status (Pending or Missed) and dueBefore.")
        .Documents(
            Parameter.Enum<DeadlineStatus>("status", "Only clocks that read this status now."),
            Parameter.Instant("dueBefore", "Only clocks due before this instant."),
            Parameter.Limit(ListDeadlines.MaxLimit, ListDeadlines.DefaultLimit));
}
