namespace ExtraditionCases.Application.Abstractions;

public sealed record AccessEntry(
    DateTimeOffset At, string? Subject, string? Role, string? Country, Guid? CaseId, string Method, string Endpoint, int Status,
    string? TraceId, string? ClientAddress, string? Issuer = null);

/// <summary>The access log's writer: requests only enqueue, a background writer stores entries in batches.</summary>
public interface IAccessLog
{
    /// <summary>Queues an entry; it is written in batches off the request path and drained on shutdown.</summary>
    void Record(AccessEntry entry);

    /// <summary>Waits (briefly) until everything queued so far is stored, so that a read includes recent requests.</summary>
    Task FlushAsync(CancellationToken cancellationToken);
}
