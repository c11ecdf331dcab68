using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Deadlines;
using MediatR;

namespace ExtraditionCases.Application.Features.Reports;

/// <summary>
/// Whether the statutory clocks are kept: per clock kind and requested state, how many read Met, Missed,
/// Expired, Extended (running under an extension), Pending and Cancelled now, and the share met in time;
/// and the backlog of clocks overdue now, by age.
/// </summary>
public static partial class GetClockCompliance
{
    public sealed record Query(Caller Caller, ReportFilter Filter) : IRequest<Report>;

    /// <summary>
    /// <see cref="ShareMetInTime"/> = Met / (Met + Missed), rounded to four decimals; null when neither. Windows
    /// that close unused (Expired) are no failure of anyone's, so they are not in it.
    /// </summary>
    public sealed record KindCount(
        DeadlineKind Kind, string RequestedState, int Met, int Missed, int Expired, int Extended, int Pending, int Cancelled, decimal? ShareMetInTime);

    public sealed record BacklogCount(DeadlineKind Kind, string Age, int Clocks);

    public sealed record Report(DateTimeOffset GeneratedAt, ReportFilter Filter, IReadOnlyList<KindCount> Clocks, IReadOnlyList<BacklogCount> Backlog);

    /// <summary>The backlog's age bands (how long overdue), youngest first; each includes its lower bound (exactly 7 days is 7To30Days).</summary>
    public static readonly IReadOnlyList<string> Ages = ["Under7Days", "7To30Days", "30To90Days", "90DaysOrMore"];

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Query, Report>
    {
        public async Task<Report> Handle(Query request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var p = ReportParameters.For(request.Caller, request.Filter, now);
            var counts = await session.QueryAsync<CountRow>(Sql.ByKind, p, cancellationToken);
            var backlog = await session.QueryAsync<BacklogRow>(Sql.Backlog, new
            {
                p.Country, p.RequestingState, p.RequestedState, p.OffenceCategory, p.Basis, p.FiledFrom, p.FiledTo, p.Now,
                Overdue7 = now.AddDays(-7), Overdue30 = now.AddDays(-30), Overdue90 = now.AddDays(-90),
            }, cancellationToken);
            return new Report(now, request.Filter,
                [.. counts.Select(r => new KindCount(Enum.Parse<DeadlineKind>(r.Kind), r.RequestedState.Trim(), (int)r.Met, (int)r.Missed, (int)r.Expired,
                        (int)r.Extended, (int)r.Pending, (int)r.Cancelled, r.Met + r.Missed == 0 ? null : Math.Round((decimal)r.Met / (r.Met + r.Missed), 4, MidpointRounding.AwayFromZero)))
                    .OrderBy(k => k.Kind).ThenBy(k => k.RequestedState, StringComparer.Ordinal)],
                [.. backlog.Select(r => new BacklogCount(Enum.Parse<DeadlineKind>(r.Kind), r.Age, (int)r.Clocks))
                    .OrderBy(b => b.Kind).ThenBy(b => Ages.ToList().IndexOf(b.Age))]);
        }
    }

    private sealed class CountRow
    {
        public string Kind { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public long Met { get; init; }
        public long Missed { get; init; }
        public long Expired { get; init; }
        public long Extended { get; init; }
        public long Pending { get; init; }
        public long Cancelled { get; init; }
    }

    private sealed class BacklogRow
    {
        public string Kind { get; init; } = "";
        public string Age { get; init; } = "";
        public long Clocks { get; init; }
    }
}
