using ExtraditionCases.Domain.Deadlines;

namespace ExtraditionCases.Application.Abstractions;

public sealed record DeadlineFilter(
    string? Country, DeadlineStatus? Status, DateTimeOffset? DueBefore, DateTimeOffset Now, int Limit, DeadlineCursor? After);

/// <summary>Keyset position in the deadline list: soonest first.</summary>
public sealed record DeadlineCursor(DateTimeOffset DueAt, Guid CaseId, int Ordinal);

/// <summary>A clock as stored; the status a reader sees is derived from it and the time.</summary>
public sealed record StoredDeadline(
    Guid CaseId, string Reference, int Ordinal, DeadlineKind Kind, DateTimeOffset StartedAt, DateTimeOffset DueAt,
    DeadlineStatus Status, string Statute, bool Advisory);

public interface IDeadlineQueries
{
    /// <summary>Clocks of the cases visible to <see cref="DeadlineFilter.Country"/> (all when null), by due date.</summary>
    Task<IReadOnlyList<StoredDeadline>> ListAsync(DeadlineFilter filter, CancellationToken cancellationToken);
}
