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
            var request = new GetChanges.StoredQuery(Callers.Of(http), query.Cursor("cursor", cursor, GetChanges.Cursor),
                query.Limit("limit", limit, GetChanges.MaxLimit, GetChanges.DefaultLimit));
            query.ThrowIfInvalid();
            var page = await mediator.Send(request, ct);
            ReturnedCases.Note(http, page.Rows.Select(i => i.CaseId));
            return new WrittenPage(page);
        })
        .Produces<GetChanges.Page>()
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Partners")
        .WithName("GetChanges")
        .WithSummary("Poll the change feed")
        .WithDescription("One item per recorded event of a case the caller may see, in commit order. nextCursor is always a string: poll from it next. No cursor: from the beginning. limit 1-1000, default 100.")
        .Documents(Parameter.Limit(GetChanges.MaxLimit, GetChanges.DefaultLimit));

    /// <summary>The page written from its rows as read: the same bytes as <c>TypedResults.Ok(page.ToPage())</c> (issue 20).</summary>
    private sealed class WrittenPage(GetChanges.StoredPage page) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            await using var writer = new System.Text.Json.Utf8JsonWriter(response.BodyWriter, GetChanges.StoredPage.WriterOptions);
            page.WriteTo(writer);
            writer.Flush();
            await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
        }
    }
}
