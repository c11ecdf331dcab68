using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>An entry of the access log as auditors read it.</summary>
public sealed record AccessLogEntry(
    DateTimeOffset At,
    string? Subject,
    string? Issuer,
    string? Role,
    string? Country,
    Guid? CaseId,
    string Method,
    string Endpoint,
    int Status,
    string? TraceId,
    string? ClientAddress,
    int Count = 1,
    IReadOnlyList<Guid>? CaseIds = null);

/// <summary>Auditors' view of every request that touched a case or the feed, and every failed authentication.</summary>
public static partial class ListAccess
{
    /// <summary>Opaque to clients: the last entry's id.</summary>
    public static readonly CursorFormat<long> Cursor = new("ac1", id => [id], r => r.Long());

    public sealed record Query(AuditWindow Window, int Limit, long AfterId) : IRequest<Page<AccessLogEntry>>;


    public sealed record Record(long Id, AccessEntry Entry);

    public sealed class Handler(IAccessLog accessLog, IDatabaseSession session) : IRequestHandler<Query, Page<AccessLogEntry>>
    {
        public async Task<Page<AccessLogEntry>> Handle(Query request, CancellationToken cancellationToken)
        {
            // An auditor's read includes the requests queued just before it.
            await accessLog.FlushAsync(cancellationToken);
            var rows = await ReadAsync(session,
                request with { Limit = request.Limit + 1 }, cancellationToken);
            return Paging.Of(rows, request.Limit, Cursor, r => r.Id, r => new AccessLogEntry(r.Entry.At, r.Entry.Subject, r.Entry.Issuer, r.Entry.Role,
                r.Entry.Country, r.Entry.CaseId, r.Entry.Method, r.Entry.Endpoint, r.Entry.Status, r.Entry.TraceId, r.Entry.ClientAddress,
                r.Entry.Count, r.Entry.CaseIds));
        }
    }

    public static async Task<IReadOnlyList<Record>> ReadAsync(IDatabaseSession session, Query filter, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync<Row>(Sql.Page, new
        {
            filter.AfterId,
            filter.Window.From,
            filter.Window.To,
            filter.Window.CaseId,
            filter.Window.Subject,
            filter.Limit,
        }, cancellationToken);
        return [.. rows.Select(r => new Record(r.Id, new AccessEntry(r.At, r.Subject, r.Role, r.Country, r.CaseId, r.Method, r.Endpoint,
            r.Status, r.TraceId, r.ClientAddress, r.RequestCount,
            r.CaseIds is null ? null : System.Text.Json.JsonSerializer.Deserialize<List<Guid>>(r.CaseIds), r.Issuer)))];
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public DateTimeOffset At { get; init; }
        public string? Subject { get; init; }
        public string? Role { get; init; }
        public string? Country { get; init; }
        public Guid? CaseId { get; init; }
        public string Method { get; init; } = "";
        public string Endpoint { get; init; } = "";
        public int Status { get; init; }
        public string? TraceId { get; init; }
        public string? ClientAddress { get; init; }
        public string? Issuer { get; init; }
        public int RequestCount { get; init; } = 1;
        public string? CaseIds { get; init; }
    }
}
