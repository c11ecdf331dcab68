using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Reports;
using MediatR;

namespace ExtraditionCases.Api.Features.Reports;

internal static class GetClockComplianceEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/reports/clock-compliance", async ([AsParameters] ReportQuery query, HttpContext http, IMediator mediator, CancellationToken ct) =>
            ReportsArea.Negotiate(http.Request, await mediator.Send(new GetClockCompliance.Query(Callers.Of(http), ReportsArea.Filter(query)), ct), Csv))
        .Describe("GetClockCompliance", "Clock compliance per kind and requested state, and the overdue backlog",
            "Met, Missed, Expired, Extended, Pending and Cancelled clocks as they read now (a clock whose due instant has come reads Missed, or Expired for a window), the share met in time (Met / (Met + Missed)), and the clocks overdue now by age. With period=Event the clock's dueAt is the dated instant.")
        .Produces<GetClockCompliance.Report>();

    /// <summary>Two sections in one table: clocks (per kind and requested state) and backlog (per kind and age).</summary>
    private static string Csv(GetClockCompliance.Report report) => Http.Csv.Table(
        ["section", "kind", "requestedState", "age", "met", "missed", "expired", "extended", "pending", "cancelled", "shareMetInTime", "clocks"],
        report.Clocks.Select(k => new[]
            {
                "clocks", k.Kind.ToString(), k.RequestedState, "", ReportsArea.Number(k.Met), ReportsArea.Number(k.Missed), ReportsArea.Number(k.Expired),
                ReportsArea.Number(k.Extended), ReportsArea.Number(k.Pending), ReportsArea.Number(k.Cancelled), ReportsArea.Number(k.ShareMetInTime),
                ReportsArea.Number(k.Met + k.Missed + k.Expired + k.Extended + k.Pending + k.Cancelled),
            })
            .Concat(report.Backlog.Select(b => new[] { "backlog", b.Kind.ToString(), "", b.Age, "", "", "", "", "", "", "", ReportsArea.Number(b.Clocks) })));
}
