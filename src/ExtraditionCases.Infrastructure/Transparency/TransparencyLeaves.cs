using Dapper;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Transparency;

/// <summary>Appends leaves in the writer's transaction: the stored hash of each event, in each of its audiences' trees.</summary>
public static class TransparencyLeaves
{
    /// <summary>
    /// One leaf per event per audience, in the order the change feed rows were written (so a case event's
    /// leaf index is its feed position minus one) and after them, keeping SQL Server's locks in one order.
    /// </summary>
    public static async Task AppendEventsAsync(
        DatabaseSession session, IReadOnlyList<string> audiences, Guid caseId, IReadOnlyList<CaseEvent> events, CancellationToken cancellationToken)
    {
        var sql = TransparencySql.Statements.For(session.Provider);
        // One command run once per leaf (Dapper's multi-execute): prepared once while the writer gate is held.
        var leaves = events.SelectMany(e => audiences.Select(audience => new
        {
            Tree = Trees.OfAudience(audience), CaseId = (Guid?)caseId, Sequence = (int?)e.Sequence, AccessId = (long?)null, EntryHash = e.Hash,
        })).ToList();
        if (leaves.Count == 0) return;
        var connection = await session.ConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql.AppendLeaf, leaves, session.Transaction, cancellationToken: cancellationToken));
    }
}
