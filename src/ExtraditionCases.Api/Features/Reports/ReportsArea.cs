using System.Globalization;
using System.Text;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Features.Reports;
using ExtraditionCases.Domain.Cases;
using Microsoft.AspNetCore.Mvc;

namespace ExtraditionCases.Api.Features.Reports;

/// <summary>
/// What the report endpoints share: the filter's query parameters, JSON or CSV by Accept, and the
/// English names of countries (charts and tables never show a person's name, in any script).
/// </summary>
/// <summary>The report filters as the query string has them (text: <see cref="ReportsArea.Filter"/> reads them, one 400 for all faults).</summary>
internal sealed class ReportQuery
{
    [FromQuery(Name = "from")] public string? From { get; init; }
    [FromQuery(Name = "to")] public string? To { get; init; }
    [FromQuery(Name = "period")] public string? Period { get; init; }
    [FromQuery(Name = "requestingState")] public string? RequestingState { get; init; }
    [FromQuery(Name = "requestedState")] public string? RequestedState { get; init; }
    [FromQuery(Name = "direction")] public string? Direction { get; init; }
    [FromQuery(Name = "offenceCategory")] public string? OffenceCategory { get; init; }
    [FromQuery(Name = "basis")] public string? Basis { get; init; }
}

internal static class ReportsArea
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder api)
    {
        GetCaseloadEndpoint.Map(api);
        GetStageTimesEndpoint.Map(api);
        GetClockComplianceEndpoint.Map(api);
        GetCountryPairsEndpoint.Map(api);
        GetReportChartEndpoint.Map(api);
        ReportsPageEndpoint.Map(app);
    }

    public const string Filters =
        " Filters: from (inclusive) and to (exclusive) instants, compared with the filing (period=Filed, the default) or with the dated event " +
        "(period=Event); requestingState, requestedState; direction=Outgoing|Incoming (relative to the caller's country); offenceCategory; basis. " +
        "Officers and reporters see their own state's cases, auditors all. Accept: text/csv gives RFC 4180 CSV.";

    /// <summary>The filter from the query string, or one 400 naming every parameter at fault.</summary>
    public static ReportFilter Filter(ReportQuery q)
    {
        var values = new QueryValues();
        var filter = new ReportFilter(
            values.Instant("from", q.From),
            values.Instant("to", q.To),
            values.Enum<ReportPeriod>("period", q.Period) ?? ReportPeriod.Filed,
            values.Country("requestingState", q.RequestingState),
            values.Country("requestedState", q.RequestedState),
            values.Enum<ReportDirection>("direction", q.Direction),
            values.Enum<OffenceCategory>("offenceCategory", q.OffenceCategory),
            values.Enum<LegalBasis>("basis", q.Basis));
        values.ThrowIfInvalid();
        return filter;
    }

    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder endpoint, string name, string summary, string description) => endpoint
        .RequireAuthorization(Policies.Reports)
        .WithTags("Reports")
        .WithName(name)
        .WithSummary(summary)
        .WithDescription(description + Filters)
        .Documents(Parameter.ReportFilters())
        .AlsoAs("text/csv");

    /// <summary>JSON by default; CSV (RFC 4180, formula guard) for Accept: text/csv.</summary>
    public static IResult Negotiate<T>(HttpRequest request, T report, Func<T, string> csv) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase))
            ? Results.Text(csv(report), "text/csv", Encoding.UTF8)
            : TypedResults.Ok(report);

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Number(decimal? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>A country's English name (ICU's), or its code when ICU has none.</summary>
    public static string CountryName(string code)
    {
        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }
}
