using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Documents;
using MediatR;

namespace ExtraditionCases.Api.Features.Documents;

/// <summary>The upload's shape for the OpenAPI document: two parts, in this order.</summary>
internal sealed record DocumentUploadForm(DocumentInput Metadata, [property: System.ComponentModel.DataAnnotations.MaxLength(DocumentOptions.DefaultMaxBytes)] byte[] File);

internal static class UploadDocumentEndpoint
{
    public static void Map(RouteGroupBuilder documents) => documents.MapPost("/",
            async (Guid id, HttpContext http, ICaseStore store, DocumentOptions options, IMediator mediator, CancellationToken ct) =>
        {
            var caller = Callers.Of(http);
            var target = await CaseWrites.LoadAsync(store, caller, id, ct);
            await using var upload = await Upload.ReadAsync(http.Request, options, ct);
            var metadata = JsonBody.Parse<DocumentInput>(upload.Metadata);
            var view = await mediator.Send(new UploadDocument.Command(caller, Callers.Source(http), target, metadata, upload.File), ct);
            http.Response.Headers.ETag = DownloadDocumentEndpoint.ETagOf(view);
            return TypedResults.Created($"/api/v1/cases/{id}/documents/{view.Id}", view);
        })
        .RequireAuthorization(Policies.Officer)
        .WithName("UploadDocument")
        .WithSummary("Add a document to the case's register")
        .WithDescription("""
            multipart/form-data with two parts, in this order: 'metadata' (application/json: kind, title, language (BCP 47),
            translationOf, assuranceKind, receivedOn, receivedFrom, supersedes, private) and 'file' (the bytes, with their
            Content-Type and file name). The media type must be one of Documents:AllowedMediaTypes and match the file's first
            bytes (415 otherwise); a file larger than Documents:MaxBytes is 413. The server computes the SHA-256 and size,
            and records a DocumentAdded event carrying them (a private document: a salted commitment only). Documents are
            immutable: a correction is a new document that supersedes the old one (409 if that one is already superseded).
            No If-Match: documents are appended, never edited. Officers of either party state.
            """)
        .Accepts<DocumentUploadForm>("multipart/form-data")
        .ProducesProblem(StatusCodes.Status409Conflict);
}
