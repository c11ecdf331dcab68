using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Workflow;
using MediatR;

namespace ExtraditionCases.Application.Features.Reports;

/// <summary>
/// How many cases: open ones by the state they are in now, filings and outcomes per month, and outcome
/// counts (surrendered, discharged by whom, refused, withdrawn).
/// </summary>
public static partial class GetCaseload
{
    public sealed record Query(Caller Caller, ReportFilter Filter) : IRequest<Report>;

    public sealed record StateCount(CaseState State, int Cases);

    /// <summary>One UTC month: cases filed in it, and cases that reached their outcome in it.</summary>
    public sealed record Month(string Period, int Filed, int Closed);

    /// <summary>An outcome; <see cref="DischargedBy"/> (Judge, HighCourt, SupremeCourt, Executive) only for Discharged.</summary>
    public sealed record OutcomeCount(CaseState Outcome, string? DischargedBy, int Cases);

    public sealed record Report(DateTimeOffset GeneratedAt, ReportFilter Filter, IReadOnlyList<StateCount> Open, IReadOnlyList<Month> Months, IReadOnlyList<OutcomeCount> Outcomes)
    {
        public int OpenTotal => Open.Sum(s => s.Cases);
    }

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Query, Report>
    {
        public async Task<Report> Handle(Query request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var parameters = ReportParameters.For(request.Caller, request.Filter, now);
            var open = await session.QueryAsync<StateRow>(Sql.OpenByState, parameters, cancellationToken);
            var months = await session.QueryAsync<MonthRow>(Sql.Monthly, parameters, cancellationToken);
            var outcomes = await session.QueryAsync<OutcomeRow>(Sql.Outcomes, parameters, cancellationToken);
            return new Report(now, request.Filter,
                [.. open.Select(r => new StateCount(Enum.Parse<CaseState>(r.State), (int)r.Cases)).OrderBy(s => s.State)],
                [.. months.Select(r => new Month(r.Month, (int)r.Filed, (int)r.Closed))],
                [.. outcomes.Select(r => new OutcomeCount(Enum.Parse<CaseState>(r.Outcome), r.DischargedBy, (int)r.Cases))
                    .OrderBy(o => o.Outcome).ThenBy(o => o.DischargedBy, StringComparer.Ordinal)]);
        }
    }

    // Property-mapped: SQLite hands back INTEGER (long) where SQL Server has int.
    private sealed class StateRow
    {
        public string State { get; init; } = "";
        public long Cases { get; init; }
    }

    private sealed class MonthRow
    {
        public string Month { get; init; } = "";
        public long Filed { get; init; }
        public long Closed { get; init; }
    }

    private sealed class OutcomeRow
    {
        public string Outcome { get; init; } = "";
        public string? DischargedBy { get; init; }
        public long Cases { get; init; }
    }
}
