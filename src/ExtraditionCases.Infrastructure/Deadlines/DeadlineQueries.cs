using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Deadlines;

public sealed class DeadlineQueries(DatabaseSession session) : IDeadlineQueries
{
    private readonly DeadlineQueriesSql _sql = DeadlineQueriesSql.Statements.For(session.Provider);

    public async Task<IReadOnlyList<StoredDeadline>> ListAsync(DeadlineFilter filter, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(_sql.List, new
        {
            filter.Country,
            Status = filter.Status?.ToString(),
            filter.DueBefore,
            filter.Now,
            filter.Limit,
            AfterDueAt = filter.After?.DueAt,
            AfterCaseId = filter.After?.CaseId,
            AfterOrdinal = filter.After?.Ordinal,
        }, session.Transaction, cancellationToken: cancellationToken));
        return [.. rows.Select(r => new StoredDeadline(r.CaseId, r.Reference, r.Ordinal, Enum.Parse<DeadlineKind>(r.Kind), r.StartedAt, r.DueAt,
            Enum.Parse<DeadlineStatus>(r.Status), r.Statute, r.Advisory))];
    }

    private sealed class Row
    {
        public Guid CaseId { get; init; }
        public string Reference { get; init; } = "";
        public int Ordinal { get; init; }
        public string Kind { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public string Status { get; init; } = "";
        public string Statute { get; init; } = "";
        public bool Advisory { get; init; }
    }
}
