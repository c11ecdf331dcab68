using ExtraditionCases.Application.History;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Abstractions;

/// <summary>A case as loaded for a write: the aggregate and the hash its next event chains to.</summary>
public sealed record LoadedCase(ExtraditionCase Case, string HeadHash);

/// <summary>The two states of a case: all the party rule needs, without loading the case.</summary>
public sealed record CaseParties(string RequestingState, string RequestedState);

public sealed record CaseListFilter(
    string? Country,
    CaseState? State,
    string? RequestingState,
    string? RequestedState,
    bool OverdueOnly,
    DateTimeOffset Now,
    int Limit,
    CaseCursor? After,
    AssignedOfficer? AssignedTo = null,
    WorkCursor? AfterWork = null);

/// <summary>Keyset position in the case list: cases are listed by creation, oldest first.</summary>
public sealed record CaseCursor(DateTimeOffset CreatedAt, Guid Id);

/// <summary>An officer as a party state's assignee: the state, and the officer's issuer + subject.</summary>
public sealed record AssignedOfficer(string Country, string Issuer, string Subject);

/// <summary>
/// Keyset position in an officer's work list: soonest running clock first (<see cref="NoClock"/> for a case
/// with none, so those come last), then by creation.
/// </summary>
public sealed record WorkCursor(DateTimeOffset NextDueAt, DateTimeOffset CreatedAt, Guid Id)
{
    /// <summary>The sort key of a case with no running clock: after every real due instant.</summary>
    public static readonly DateTimeOffset NoClock = Domain.Instant.Truncate(DateTimeOffset.MaxValue);

    /// <summary>The first page's lower bound.</summary>
    public static readonly WorkCursor First = new(DateTimeOffset.MinValue, DateTimeOffset.MinValue, Guid.Empty);

    /// <summary>The position of a case in the work list: its soonest clock stored as running (Pending or Extended).</summary>
    public static WorkCursor Of(ExtraditionCase c) =>
        new(c.Deadlines.Where(d => d.IsOpen).Select(d => (DateTimeOffset?)d.DueAt).Min() ?? NoClock, c.CreatedAt, c.Id);
}

/// <summary>Case persistence. Writes enlist in the request's transaction.</summary>
public interface ICaseStore
{
    /// <summary>The next number of the human-readable reference, unique across the database.</summary>
    Task<long> NextReferenceNumberAsync(CancellationToken cancellationToken);

    Task<LoadedCase?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<CaseParties?> FindPartiesAsync(Guid id, CancellationToken cancellationToken);

    Task AddAsync(ExtraditionCase newCase, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken);

    /// <summary>Saves the case if it is still at <paramref name="expectedVersion"/>; otherwise 412. With no events, the version and head stay.</summary>
    Task SaveAsync(ExtraditionCase changedCase, int expectedVersion, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken);

    Task<IReadOnlyList<ExtraditionCase>> ListAsync(CaseListFilter filter, CancellationToken cancellationToken);

    /// <summary>Cases whose clocks were last computed under rules older than the current version, oldest first.</summary>
    Task<IReadOnlyList<Guid>> CasesUnderOlderRulesAsync(int limit, CancellationToken cancellationToken);
}
