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
            return new StreamedPage(await mediator.Send(request, ct));
        })
        .Produces<GetChanges.Page>()
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Partners")
        .WithName("GetChanges")
        .WithSummary("Poll the change feed")
        .WithDescription("One item per recorded event of a case the caller may see, in commit order. nextCursor is always a string: poll from it next. No cursor: from the beginning. limit 1-1000, default 100.")
        .Documents(Parameter.Limit(GetChanges.MaxLimit, GetChanges.DefaultLimit));

    /// <summary>
    /// The page streamed from the database into a pooled buffer, then sent with its length: the same bytes as
    /// <c>Results.Json(page, CaseJson.Options)</c> (issue 20). Nothing is written to the response until the statement is
    /// done, so a database fault half-way is a clean problem response, never a torn page. The access log gets the cases
    /// the page returned.
    /// </summary>
    private sealed class StreamedPage(GetChanges.StreamedPage page) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using var buffer = new PooledBufferWriter();
            await using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, GetChanges.StreamedPage.WriterOptions))
                await page.WriteTo(writer, httpContext.RequestAborted);
            ReturnedCases.Note(httpContext, page.ReturnedCases);

            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = buffer.WrittenMemory.Length;
            await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
        }
    }
}
