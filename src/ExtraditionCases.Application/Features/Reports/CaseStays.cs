using System.Text.Json;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Reports;

/// <summary>
/// The reports' aggregate kept in the writing transaction (migration 0014): one <c>CaseStays</c> row per stay of
/// a case in a state, and the distinct offence categories of its file. The case store calls
/// <see cref="WriteAsync"/> with the events it has just inserted, so the rows commit with their events; the
/// migration's backfill (<see cref="Sql.BackfillStays"/>) derives the same rows from the history. Durations are
/// computed by the database from the stored instants, the same expression in both, so the two give the same rows.
/// </summary>
public static partial class CaseStays
{
    public const string FilingToSurrender = GetStageTimes.FilingToSurrender;

    /// <summary>The categories as a stay carries them: ',Fraud,Terrorism,' (distinct, ordinal order), or null for none.</summary>
    public static string? CategoryList(IReadOnlyCollection<string> distinctOrdered) =>
        distinctOrdered.Count == 0 ? null : $",{string.Join(',', distinctOrdered)},";

    /// <summary>
    /// For each event in order: a step into a state (not a self-transition) ends the open stay and opens one in
    /// the new state; a step into Surrendered also records filing to surrender. A filed or changed file rewrites
    /// the categories and the basis the stays carry.
    /// </summary>
    public static async Task WriteAsync(IDatabaseSession session, ExtraditionCase c, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken)
    {
        var basis = c.File.Basis.ToString();
        var categories = c.File.Offences.Select(o => o.Category.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var categoryList = CategoryList(categories);
        // A filing's case has no categories and no stays yet: its deletes, updates and close would find nothing (issue 20).
        var filed = events.Any(e => e.Type == CaseChange.CaseFiled);
        if (filed || events.Any(e => e.Type == CaseChange.CaseUpdated))
        {
            if (!filed) await session.ExecuteAsync(Sql.DeleteCategories, new { CaseId = c.Id }, cancellationToken);
            if (categories.Count > 0)
                await session.ExecuteAsync(Sql.InsertCategories, new { CaseId = c.Id, Rows = JsonSerializer.Serialize(categories) }, cancellationToken);
            if (!filed) await session.ExecuteAsync(Sql.SetFileFilters, new { CaseId = c.Id, Basis = basis, Categories = categoryList }, cancellationToken);
        }

        var open = !filed;
        foreach (var e in events)
        {
            if (e.ToState is null || e.FromState == e.ToState) continue;
            if (open) await session.ExecuteAsync(Sql.CloseStay, new { CaseId = c.Id, At = e.OccurredAt }, cancellationToken);
            open = true;
            await session.ExecuteAsync(Sql.OpenStay, new
            {
                CaseId = c.Id,
                e.Sequence,
                Stage = e.ToState,
                At = e.OccurredAt,
                c.File.RequestingState,
                c.File.RequestedState,
                c.ReceivedAt,
                Basis = basis,
                Categories = categoryList,
            }, cancellationToken);
            if (e.ToState == nameof(CaseState.Surrendered) && e.FromState is not null)
                await session.ExecuteAsync(Sql.FiledToSurrendered, new { CaseId = c.Id, e.Sequence, At = e.OccurredAt }, cancellationToken);
        }
    }
}
