using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Documents;

/// <summary>A case's document register, in the order documents were recorded; superseded ones stay listed.</summary>
public static partial class ListDocuments
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Opaque to clients: the sequence of the event that recorded the last document shown.</summary>
    public static readonly CursorFormat<int> Cursor = new("doc1", p => [p], r => r.Int());

    public sealed record Query(Caller Caller, Guid CaseId, int Limit, int? After) : IRequest<Page<DocumentView>>;

    public sealed class Handler(ICaseStore cases, IDatabaseSession session) : IRequestHandler<Query, Page<DocumentView>>
    {
        public async Task<Page<DocumentView>> Handle(Query request, CancellationToken cancellationToken)
        {
            await DocumentAccess.CaseAsync(cases, request.Caller, request.CaseId, cancellationToken);
            var rows = await ReadAsync(session, request.CaseId, DocumentAccess.CountryOf(request.Caller), request.After ?? 0, request.Limit + 1, cancellationToken);
            return Paging.Of(rows, request.Limit, Cursor, d => d.Sequence, DocumentView.Of);
        }
    }

    public static Task<IReadOnlyList<StoredDocument>> ReadAsync(
        IDatabaseSession session, Guid caseId, string country, int afterSequence, int limit, CancellationToken cancellationToken) =>
        session.QueryAsync<StoredDocument>(Sql.Page, new { CaseId = caseId, Country = country, AfterSequence = afterSequence, Limit = limit }, cancellationToken);
}
