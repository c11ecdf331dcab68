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
    CaseCursor? After);

/// <summary>Keyset position in the case list: cases are listed by creation, oldest first.</summary>
public sealed record CaseCursor(DateTimeOffset CreatedAt, Guid Id);

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
