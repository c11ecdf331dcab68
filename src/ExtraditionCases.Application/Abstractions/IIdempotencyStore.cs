namespace ExtraditionCases.Application.Abstractions;

/// <summary>
/// A write's first response, kept so a retry with the same key gets it again: the body the use case
/// returned. Status, headers and links follow from that body at the edge, as they did the first time.
/// </summary>
public sealed record StoredResponse(string Fingerprint, string Body);

public interface IIdempotencyStore
{
    /// <summary>The unexpired response stored for this caller's key (keys are scoped to issuer + subject), if any.</summary>
    Task<StoredResponse?> FindAsync(Caller caller, string key, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Stores the response inside the current transaction; a concurrent duplicate fails on the key.</summary>
    Task SaveAsync(Caller caller, string key, StoredResponse response, DateTimeOffset createdAt, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Deletes keys past their retention; returns how many.</summary>
    Task<int> PurgeExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// A write that may carry an Idempotency-Key. The fingerprint covers the method, the target and the
/// body, so the same key with a different request is recognised (422).
/// </summary>
public interface IIdempotentCommand
{
    Caller Caller { get; }
    Idempotency? Idempotency { get; }
}

public sealed record Idempotency(string Key, string Fingerprint);

/// <summary>The same key, a different request (422).</summary>
public sealed class IdempotencyKeyReusedException() : Exception("The key was used for a different request.");
