using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Reports;
using MediatR;

namespace ExtraditionCases.Api.Features.Reports;

internal static class GetCountryPairsEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/reports/country-pairs", async ([AsParameters] ReportQuery query, HttpContext http, IMediator mediator, CancellationToken ct) =>
            ReportsArea.Negotiate(http.Request, await mediator.Send(new GetCountryPairs.Query(Callers.Of(http), ReportsArea.Filter(query)), ct), Csv))
        .Describe("GetCountryPairs", "Cases by country pair and offence category",
            "Per requesting state, requested state and offence category (a case counts once under each category of its offences): cases, open, surrendered, discharged, refused, withdrawn.")
        .Produces<GetCountryPairs.Report>();

    private static string Csv(GetCountryPairs.Report report) => Http.Csv.Table(
        ["requestingState", "requestedState", "category", "cases", "open", "surrendered", "discharged", "refused", "withdrawn"],
        report.Pairs.Select(p => new[]
        {
            p.RequestingState, p.RequestedState, p.Category.ToString(), ReportsArea.Number(p.Cases), ReportsArea.Number(p.Open), ReportsArea.Number(p.Surrendered),
            ReportsArea.Number(p.Discharged), ReportsArea.Number(p.Refused), ReportsArea.Number(p.Withdrawn),
        }));
}
