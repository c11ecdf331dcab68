using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Reports;
using MediatR;

namespace ExtraditionCases.Api.Features.Reports;

internal static class GetCaseloadEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/reports/caseload", async ([AsParameters] ReportQuery query, HttpContext http, IMediator mediator, CancellationToken ct) =>
            ReportsArea.Negotiate(http.Request, await mediator.Send(new GetCaseload.Query(Callers.Of(http), ReportsArea.Filter(query)), ct), Csv))
        .Describe("GetCaseload", "Caseload: open cases, filings and outcomes per month, outcome counts",
            "Open cases by the state they are in now; cases filed and cases concluded per UTC month; outcomes (Surrendered, Discharged by Judge, HighCourt, SupremeCourt or Executive, Refused, Withdrawn).")
        .Produces<GetCaseload.Report>();

    /// <summary>One row per figure: section (open, filed, closed, outcome), its name, detail (who discharged) and count.</summary>
    private static string Csv(GetCaseload.Report report) => Http.Csv.Table(["section", "name", "detail", "cases"],
        report.Open.Select(s => new[] { "open", s.State.ToString(), "", ReportsArea.Number(s.Cases) })
            .Concat(report.Months.Select(m => new[] { "filed", m.Period, "", ReportsArea.Number(m.Filed) }))
            .Concat(report.Months.Select(m => new[] { "closed", m.Period, "", ReportsArea.Number(m.Closed) }))
            .Concat(report.Outcomes.Select(o => new[] { "outcome", o.Outcome.ToString(), o.DischargedBy ?? "", ReportsArea.Number(o.Cases) })));
}
