using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Cases;
using MediatR;

namespace ExtraditionCases.Application.Features.Reports;

/// <summary>Cases by country pair and offence category (the cooperation areas), with how they ended.</summary>
public static partial class GetCountryPairs
{
    public sealed record Query(Caller Caller, ReportFilter Filter) : IRequest<Report>;

    public sealed record Pair(
        string RequestingState, string RequestedState, OffenceCategory Category, int Cases, int Open, int Surrendered, int Discharged, int Refused, int Withdrawn);

    public sealed record Report(DateTimeOffset GeneratedAt, ReportFilter Filter, IReadOnlyList<Pair> Pairs);

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Query, Report>
    {
        public async Task<Report> Handle(Query request, CancellationToken cancellationToken)
        {
            var now = clock.GetUtcNow();
            var rows = await session.QueryAsync<Row>(Sql.Pairs, ReportParameters.For(request.Caller, request.Filter, now), cancellationToken);
            return new Report(now, request.Filter, [.. rows
                .Select(r => new Pair(r.RequestingState.Trim(), r.RequestedState.Trim(), Enum.TryParse<OffenceCategory>(r.Category, out var category) ? category : OffenceCategory.Other,
                    (int)r.Cases, (int)r.OpenCases, (int)r.Surrendered, (int)r.Discharged, (int)r.Refused, (int)r.Withdrawn))
                .OrderBy(p => p.RequestingState, StringComparer.Ordinal).ThenBy(p => p.RequestedState, StringComparer.Ordinal).ThenBy(p => p.Category)]);
        }
    }

    private sealed class Row
    {
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string Category { get; init; } = "";
        public long Cases { get; init; }
        public long OpenCases { get; init; }
        public long Surrendered { get; init; }
        public long Discharged { get; init; }
        public long Refused { get; init; }
        public long Withdrawn { get; init; }
    }
}
