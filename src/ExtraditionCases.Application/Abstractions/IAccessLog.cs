namespace ExtraditionCases.Application.Abstractions;

/// <param name="Count">How many requests the entry stands for: 1, or the requests of a client refused 401 or 429 in one minute, rolled up.</param>
/// <param name="CaseIds">The cases a list, search, feed or export read returned.</param>
public sealed record AccessEntry(
    DateTimeOffset At, string? Subject, string? Role, string? Country, Guid? CaseId, string Method, string Endpoint, int Status,
    string? TraceId, string? ClientAddress, int Count = 1, IReadOnlyList<Guid>? CaseIds = null, string? Issuer = null);

/// <summary>
/// The access log's writer: a bounded queue that requests enqueue into, a background writer that stores
/// entries in batches. A request to case data first takes a place in the queue (<see cref="TryAdmit"/>):
/// when the queue is full or the database is failing it is refused (503) rather than served unlogged.
/// </summary>
public interface IAccessLog
{
    /// <summary>Takes a place in the queue for the entry this request will record; false when the queue is full or writes are failing.</summary>
    bool TryAdmit();

    /// <summary>Whether a request that could not be admitted is refused (AccessLog:FailClosed, default true) rather than served unlogged.</summary>
    bool FailClosed { get; }

    /// <summary>Queues an entry, in the place <paramref name="admitted"/> took, or in any free place; 401 and 429 outcomes are rolled up per client and minute.</summary>
    void Record(AccessEntry entry, bool admitted = false);

    /// <summary>Waits (briefly) until everything queued so far is stored, so that a read includes recent requests.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
