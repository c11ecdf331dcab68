using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Workflow;
using MediatR;

namespace ExtraditionCases.Application.Features.Reports;

/// <summary>How fast: median, p90 and max days spent in each state, and from filing to surrender (nearest-rank percentiles).</summary>
public static partial class GetStageTimes
{
    public const string FilingToSurrender = nameof(FilingToSurrender);

    public sealed record Query(Caller Caller, ReportFilter Filter) : IRequest<Report>;

    /// <summary>
    /// One stage: a workflow state, or <see cref="FilingToSurrender"/>. Days are the exact milliseconds the
    /// database picked, divided by 86,400,000 and rounded to two decimals (half away from zero).
    /// </summary>
    public sealed record Stage(string Name, int Stays, decimal MedianDays, decimal P90Days, decimal MaxDays);

    public sealed record Report(DateTimeOffset GeneratedAt, ReportFilter Filter, IReadOnlyList<Stage> Stages);

    public static decimal Days(long milliseconds) => Math.Round(milliseconds / 86_400_000m, 2, MidpointRounding.AwayFromZero);

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Query, Report>
    {
        public async Task<Report> Handle(Query request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var rows = await session.QueryAsync<Row>(Sql.Stages, ReportParameters.For(request.Caller, request.Filter, now), cancellationToken);
            // Workflow order, then filing to surrender.
            static int Order(string name) => Enum.TryParse<CaseState>(name, out var state) ? (int)state : int.MaxValue;
            return new Report(now, request.Filter, [.. rows
                .Select(r => new Stage(r.Stage, (int)r.Stays, Days(r.MedianMs), Days(r.P90Ms), Days(r.MaxMs)))
                .OrderBy(s => Order(s.Name)).ThenBy(s => s.Name, StringComparer.Ordinal)]);
        }
    }

    private sealed class Row
    {
        public string Stage { get; init; } = "";
        public long Stays { get; init; }
        public long MedianMs { get; init; }
        public long P90Ms { get; init; }
        public long MaxMs { get; init; }
    }
}
