using ExtraditionCases.Application.History;

namespace ExtraditionCases.Application.Abstractions;

/// <summary>The few columns a partner's poll needs, and what a 304 needs even less of.</summary>
public sealed record StatusHead(string RequestingState, string RequestedState, int Version);

public sealed record CaseStatus(
    Guid Id, string Reference, string State, DateTimeOffset StateSince, int Version, DateTimeOffset UpdatedAt, NextDeadline? NextDeadline);

public sealed record NextDeadline(string Kind, DateTimeOffset DueAt);

public sealed record StatusRead(StatusHead Head, CaseStatus Status);

public interface IStatusQueries
{
    Task<StatusHead?> HeadAsync(Guid id, CancellationToken cancellationToken);

    /// <summary>
    /// The status document and its parties, in one read: all a 200 needs. <c>nextDeadline</c> is the
    /// soonest clock still running at <paramref name="now"/>.
    /// </summary>
    Task<StatusRead?> ReadAsync(Guid id, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>One change of a case as a feed item; <see cref="Seq"/> is its position in one audience's feed.</summary>
public sealed record FeedItem(
    long Seq, Guid CaseId, string Reference, int Version, string State, string Type, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

public interface IChangeFeed
{
    /// <summary>The audience's feed after <paramref name="afterSeq"/>, in commit order.</summary>
    Task<IReadOnlyList<FeedItem>> PageAsync(string audience, long afterSeq, int limit, CancellationToken cancellationToken);
}

/// <summary>Audit pages follow the auditors' change feed: <paramref name="AfterSeq"/> is a position in commit order.</summary>
public sealed record AuditEventFilter(DateTimeOffset? From, DateTimeOffset? To, Guid? CaseId, string? ActorSubject, int Limit, long AfterSeq);

public sealed record CaseEventRecord(long Seq, Guid CaseId, CaseEvent Event);

/// <summary>What the case row says its history should end with.</summary>
public sealed record CaseHead(int Version, string HeadHash);

public interface IHistoryQueries
{
    /// <summary>Every event of a case, by sequence, exactly as stored.</summary>
    Task<IReadOnlyList<CaseEvent>> EventsAsync(Guid caseId, CancellationToken cancellationToken);

    Task<CaseHead?> HeadOfAsync(Guid caseId, CancellationToken cancellationToken);

    Task<IReadOnlyList<CaseEventRecord>> AuditPageAsync(AuditEventFilter filter, CancellationToken cancellationToken);
}

public sealed record AccessEntry(
    DateTimeOffset At, string? Subject, string? Role, string? Country, Guid? CaseId, string Method, string Endpoint, int Status,
    string? TraceId, string? ClientAddress, string? Issuer = null);

public sealed record AccessRecord(long Id, AccessEntry Entry);

public sealed record AccessFilter(DateTimeOffset? From, DateTimeOffset? To, Guid? CaseId, string? Subject, int Limit, long AfterId);

public interface IAccessLog
{
    /// <summary>Queues an entry; it is written in batches off the request path and drained on shutdown.</summary>
    void Record(AccessEntry entry);

    Task<IReadOnlyList<AccessRecord>> PageAsync(AccessFilter filter, CancellationToken cancellationToken);
}
