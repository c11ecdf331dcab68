using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Documents;
using MediatR;
using Microsoft.Net.Http.Headers;

namespace ExtraditionCases.Api.Features.Documents;

internal static class DownloadDocumentEndpoint
{
    public static void Map(RouteGroupBuilder documents) => documents.MapGet("/{documentId:guid}/content",
            async (Guid id, Guid documentId, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var content = await mediator.Send(new GetDocument.ContentQuery(Callers.Of(http), id, documentId), ct);
            // Streamed from the database as the client reads; the result disposes the stream once sent.
            // The access log records every download (the middleware logs each request that touches a case).
            return Results.Stream(content.Bytes, content.Document.MediaType, DownloadName(content.Document),
                entityTag: new EntityTagHeaderValue(ETagOf(content.Document)));
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithName("DownloadDocument")
        .Documents(Parameter.Id("documentId", "The document's id."))
        .WithSummary("Download a document's bytes")
        .WithDescription("The bytes as uploaded, streamed, with ETag = the quoted SHA-256 (If-None-Match answers 304) and Content-Disposition: attachment with a safe file name. A superseded document stays downloadable.")
        .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream");

    /// <summary>The strong tag of a document: its SHA-256, which also names the bytes in the hash chain.</summary>
    public static string ETagOf(DocumentView document) => $"\"{document.Sha256}\"";

    /// <summary>The stored (already sanitised) file name, or one made from the id and the media type.</summary>
    private static string DownloadName(DocumentView document)
    {
        var extension = document.MediaType switch
        {
            MediaTypes.Pdf => ".pdf", MediaTypes.Png => ".png", MediaTypes.Jpeg => ".jpg", MediaTypes.Tiff => ".tiff", MediaTypes.PlainText => ".txt", _ => "",
        };
        return Upload.SafeFileName(document.FileName) ?? $"{document.Id:D}{extension}";
    }
}
