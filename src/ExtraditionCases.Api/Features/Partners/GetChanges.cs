using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Partners;
using MediatR;

namespace ExtraditionCases.Api.Features.Partners;

internal static class GetChangesEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/changes", async (HttpContext http, IMediator mediator, CancellationToken ct,
            string? cursor, string? limit) =>
        {
            var query = new QueryValues();
            var request = new GetChanges.Query(Callers.From(http.User), query.Cursor("cursor", cursor, GetChanges.Cursor),
                query.Limit("limit", limit, GetChanges.MaxLimit, GetChanges.DefaultLimit));
            query.ThrowIfInvalid();
            var page = await mediator.Send(request, ct);
            ReturnedCases.Note(http, page.Items.Select(i => i.CaseId));
            return TypedResults.Ok(page);
        })
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Partners")
        .WithName("GetChanges")
        .WithSummary("Poll the change feed")
        .WithDescription("One item per recorded event of a case the caller may see, in commit order. nextCursor is always a string: poll from it next. No cursor: from the beginning. limit 1-1000, default 100.")
        .Documents(Parameter.Limit(GetChanges.MaxLimit, GetChanges.DefaultLimit));
}
