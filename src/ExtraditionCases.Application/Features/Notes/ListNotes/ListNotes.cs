using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Documents;
using MediatR;

namespace ExtraditionCases.Application.Features.Notes;

/// <summary>A case's notes and correspondence in the order recorded; another state's private notes are not listed.</summary>
public static partial class ListNotes
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static readonly CursorFormat<int> Cursor = new("note1", p => [p], r => r.Int());

    public sealed record Query(Caller Caller, Guid CaseId, int Limit, int? After) : IRequest<Page<NoteView>>;

    public sealed class Handler(ICaseStore cases, IDatabaseSession session) : IRequestHandler<Query, Page<NoteView>>
    {
        public async Task<Page<NoteView>> Handle(Query request, CancellationToken cancellationToken)
        {
            await DocumentAccess.CaseAsync(cases, request.Caller, request.CaseId, cancellationToken);
            var rows = await ReadAsync(session, request.CaseId, DocumentAccess.CountryOf(request.Caller), request.After ?? 0, request.Limit + 1, cancellationToken);
            return Paging.Of(rows, request.Limit, Cursor, n => n.Sequence, NoteView.Of);
        }
    }

    public static Task<IReadOnlyList<StoredNote>> ReadAsync(
        IDatabaseSession session, Guid caseId, string country, int afterSequence, int limit, CancellationToken cancellationToken) =>
        session.QueryAsync<StoredNote>(Sql.Page, new { CaseId = caseId, Country = country, AfterSequence = afterSequence, Limit = limit }, cancellationToken);
}
