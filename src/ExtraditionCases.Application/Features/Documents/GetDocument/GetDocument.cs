using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Documents;

/// <summary>One document's metadata, or its bytes: party officers and auditors; a private document only for its own state.</summary>
public static partial class GetDocument
{
    public sealed record Query(Caller Caller, Guid CaseId, Guid Id) : IRequest<DocumentView>;

    /// <summary>The bytes, streamed from the database; the endpoint disposes <see cref="Content"/> once sent.</summary>
    public sealed record ContentQuery(Caller Caller, Guid CaseId, Guid Id) : IRequest<Content>;

    public sealed record Content(DocumentView Document, Stream Bytes);

    public sealed class Handler(ICaseStore cases, IDatabaseSession session) : IRequestHandler<Query, DocumentView>
    {
        public async Task<DocumentView> Handle(Query request, CancellationToken cancellationToken) =>
            DocumentView.Of(await FindVisibleAsync(cases, session, request.Caller, request.CaseId, request.Id, cancellationToken));
    }

    public sealed class ContentHandler(ICaseStore cases, IDatabaseSession session, IDocumentStore documents) : IRequestHandler<ContentQuery, Content>
    {
        public async Task<Content> Handle(ContentQuery request, CancellationToken cancellationToken)
        {
            var document = await FindVisibleAsync(cases, session, request.Caller, request.CaseId, request.Id, cancellationToken);
            var bytes = await documents.OpenContentAsync(document.Id, cancellationToken)
                ?? throw new NotFoundException($"Document {request.Id} has no content.");
            return new Content(DocumentView.Of(document), bytes);
        }
    }

    /// <summary>404 for a case the caller may not see, a document of another case, or another state's private document.</summary>
    public static async Task<StoredDocument> FindVisibleAsync(
        ICaseStore cases, IDatabaseSession session, Caller caller, Guid caseId, Guid id, CancellationToken cancellationToken)
    {
        await DocumentAccess.CaseAsync(cases, caller, caseId, cancellationToken);
        return await FindAsync(session, caseId, id, DocumentAccess.CountryOf(caller), cancellationToken)
            ?? throw new NotFoundException($"No document {id} in case {caseId}.");
    }

    public static Task<StoredDocument?> FindAsync(IDatabaseSession session, Guid caseId, Guid id, string country, CancellationToken cancellationToken) =>
        session.QuerySingleOrDefaultAsync<StoredDocument>(Sql.Find, new { CaseId = caseId, Id = id, Country = country }, cancellationToken);
}
