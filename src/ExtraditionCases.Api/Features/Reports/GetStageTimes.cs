using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Reports;
using MediatR;

namespace ExtraditionCases.Api.Features.Reports;

internal static class GetStageTimesEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/reports/stage-times", async ([AsParameters] ReportQuery query, HttpContext http, IMediator mediator, CancellationToken ct) =>
            ReportsArea.Negotiate(http.Request, await mediator.Send(new GetStageTimes.Query(Callers.Of(http), ReportsArea.Filter(query)), ct), Csv))
        .Describe("GetStageTimes", "Time per stage: median, p90 and max days",
            "Days spent in each state (ended stays only, from the events' occurredAt) and from filing to surrender; nearest-rank percentiles (the value at rank ceil(p × N)). With period=Event the stay's end is the dated event.")
        .Produces<GetStageTimes.Report>();

    private static string Csv(GetStageTimes.Report report) => Http.Csv.Table(["stage", "stays", "medianDays", "p90Days", "maxDays"],
        report.Stages.Select(s => new[] { s.Name, ReportsArea.Number(s.Stays), ReportsArea.Number(s.MedianDays), ReportsArea.Number(s.P90Days), ReportsArea.Number(s.MaxDays) }));
}
