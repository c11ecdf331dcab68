using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Documents;
using MediatR;

namespace ExtraditionCases.Api.Features.Documents;

internal static class GetDocumentEndpoint
{
    public static void Map(RouteGroupBuilder documents) => documents.MapGet("/{documentId:guid}",
            async (Guid id, Guid documentId, HttpContext http, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetDocument.Query(Callers.Of(http), id, documentId), ct)))
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithName("GetDocument")
        .Documents(Parameter.Id("documentId", "The document's id."))
        .WithSummary("Read a document's metadata")
        .WithDescription("Kind, title, language, dates, the server-computed SHA-256 and size, what it supersedes and what supersedes it. 404 for a document of another case.");
}
