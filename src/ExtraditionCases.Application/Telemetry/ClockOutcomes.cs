using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Telemetry;

/// <summary>
/// The clocks that the current request's writes recorded as Missed, collected while the command
/// runs and counted by <see cref="Behaviors.MetricsBehavior{TRequest, TResponse}"/> only once the
/// command has succeeded (its transaction committed). One per request scope.
/// </summary>
public sealed class ClockOutcomes
{
    private readonly List<DeadlineKind> _missed = [];

    public IReadOnlyList<DeadlineKind> Missed => _missed;

    internal void RecordMissed(DeadlineKind kind) => _missed.Add(kind);

    internal void Clear() => _missed.Clear();
}

/// <summary>
/// Watches the case store for clocks whose stored status becomes Missed (the awaited step recorded
/// after the due instant): it remembers the stored statuses of each case as loaded for a write and
/// compares them with the case as saved. No extra query: it sees the loads and saves the handler makes.
/// A clock that is merely overdue and still open is not an event and is not counted here; ask
/// <c>GET /api/v1/deadlines?status=Missed</c> for those.
/// </summary>
public sealed class ClockWatchingCaseStore(ICaseStore inner, ClockOutcomes outcomes) : ICaseStore
{
    private readonly Dictionary<Guid, Dictionary<int, DeadlineStatus>> _loaded = [];

    public Task<long> NextReferenceNumberAsync(CancellationToken cancellationToken) => inner.NextReferenceNumberAsync(cancellationToken);

    public async Task<LoadedCase?> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        var loaded = await inner.FindAsync(id, cancellationToken);
        if (loaded is not null) _loaded[id] = loaded.Case.Deadlines.ToDictionary(d => d.Ordinal, d => d.Status);
        return loaded;
    }

    public Task<CaseParties?> FindPartiesAsync(Guid id, CancellationToken cancellationToken) => inner.FindPartiesAsync(id, cancellationToken);

    public Task AddAsync(ExtraditionCase newCase, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken) =>
        inner.AddAsync(newCase, events, cancellationToken);

    public async Task SaveAsync(ExtraditionCase changedCase, int expectedVersion, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changedCase);
        await inner.SaveAsync(changedCase, expectedVersion, events, cancellationToken);
        var before = _loaded.GetValueOrDefault(changedCase.Id);
        foreach (var clock in changedCase.Deadlines.Where(d => d.Status == DeadlineStatus.Missed))
        {
            if (before is null || !before.TryGetValue(clock.Ordinal, out var was) || was != DeadlineStatus.Missed)
                outcomes.RecordMissed(clock.Kind);
        }

        _loaded[changedCase.Id] = changedCase.Deadlines.ToDictionary(d => d.Ordinal, d => d.Status);
    }

    public Task<IReadOnlyList<ExtraditionCase>> ListAsync(CaseListFilter filter, CancellationToken cancellationToken) =>
        inner.ListAsync(filter, cancellationToken);
}
