using Dapper;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Deadlines;

public sealed class DeadlineQueries(DatabaseSession session) : IDeadlineQueries
{
    /// <summary>Before any clock: the keyset's lower bound on the first page.</summary>
    private static readonly DateTimeOffset FirstPage = DateTimeOffset.MinValue;

    private readonly DeadlineQueriesSql _sql = DeadlineQueriesSql.Statements.For(session.Provider);

    public async Task<IReadOnlyList<StoredDeadline>> ListAsync(DeadlineFilter filter, CancellationToken cancellationToken)
    {
        var connection = await session.ConnectionAsync(cancellationToken);
        var sql = filter.Status switch
        {
            null => _sql.All,
            DeadlineStatus.Pending or DeadlineStatus.Extended => _sql.Running,
            DeadlineStatus.Missed or DeadlineStatus.Expired => _sql.RanOut,
            _ => _sql.Stored,
        };
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(sql, new
        {
            filter.Country,
            Status = filter.Status?.ToString(),
            filter.DueBefore,
            filter.Now,
            filter.Limit,
            AfterDueAt = filter.After?.DueAt ?? FirstPage,
            AfterCaseId = filter.After?.CaseId ?? Guid.Empty,
            AfterOrdinal = filter.After?.Ordinal ?? 0,
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
