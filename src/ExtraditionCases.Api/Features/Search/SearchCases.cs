using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Search;
using MediatR;

namespace ExtraditionCases.Api.Features.Search;

internal static class SearchCasesEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/search", async (HttpContext http, IMediator mediator, CancellationToken ct,
            string? q, string? limit, string? cursor) =>
        {
            var query = new QueryValues();
            var request = new SearchCases.Query(Callers.Of(http), q,
                query.Limit("limit", limit, SearchCases.MaxLimit, SearchCases.DefaultLimit), query.Cursor("cursor", cursor, SearchCases.Cursor));
            query.ThrowIfInvalid();
            var page = await mediator.Send(request, ct);
            // The access log names the cases a search returned, as it does for lists and the feed.
            ReturnedCases.Note(http, page.Items.Select(r => r.CaseId));
            return TypedResults.Ok(page);
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithTags("Search")
        .WithName("SearchCases")
        .Documents(
            new Parameter("q", $"The words sought: at most {SearchCases.MaxQueryLength} characters, no control characters, at most {SearchCases.MaxTokens} distinct words.",
                _ => new Microsoft.OpenApi.OpenApiSchema
                {
                    Type = Microsoft.OpenApi.JsonSchemaType.String,
                    MinLength = 1,
                    MaxLength = SearchCases.MaxQueryLength,
                    Pattern = @"^[^\u0000-\u001F\u007F-\u009F]*$",
                }),
            Parameter.Limit(SearchCases.MaxLimit, SearchCases.DefaultLimit))
        .WithSummary("Search cases by person, number or reference")
        .WithDescription("""
            Cases the caller may see whose person's names (any script, transliterations, aliases), identity-document numbers,
            reference, warrant or certificate references or offence statutes match q, best first, each with the entries that matched
            (field, label, text as recorded). Every word of q must be a word of one name or value, in any order; names are compared
            after NFKC, case folding, diacritics and Arabic-script folding, Latin spellings through a documented variant table.
            Numbers match with or without separators. 400 for q over 200 characters, with control characters, or with nothing to
            search for once normalised. Cursor paging (limit 1-100, default 20). Ranking is bounded: at most 1,000 matching entries
            of the query's rarest word are ranked, highest field weight first; truncated is true when there were more (refine the query).
            """);
}
