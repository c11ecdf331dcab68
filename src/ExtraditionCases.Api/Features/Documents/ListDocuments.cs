using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Documents;
using MediatR;

namespace ExtraditionCases.Api.Features.Documents;

internal static class ListDocumentsEndpoint
{
    public static void Map(RouteGroupBuilder documents) => documents.MapGet("/",
            async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct, string? limit, string? cursor) =>
        {
            var query = new QueryValues();
            var request = new ListDocuments.Query(Callers.Of(http), id,
                query.Limit("limit", limit, ListDocuments.MaxLimit, ListDocuments.DefaultLimit), query.Cursor("cursor", cursor, ListDocuments.Cursor));
            query.ThrowIfInvalid();
            return TypedResults.Ok(await mediator.Send(request, ct));
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithName("ListDocuments")
        .Documents(Parameter.Limit(ListDocuments.MaxLimit, ListDocuments.DefaultLimit))
        .WithSummary("List the case's documents")
        .WithDescription("The register in the order documents were added, superseded ones included (with supersededBy). Private documents of the caller's own state only.");
}
