using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Reports;
using MediatR;
using ScottPlot;

namespace ExtraditionCases.Api.Features.Reports;

/// <summary>
/// The same figures as pictures, drawn with ScottPlot: SVG (text stays text, for screen readers and search)
/// or PNG. Labels are country names (ICU's English names), workflow states, clock kinds and offence
/// categories: never a person's name, in any script.
/// </summary>
internal static class GetReportChartEndpoint
{
    public static readonly IReadOnlyList<string> Names = ["caseload", "stage-times", "clock-compliance", "country-pairs"];

    private const int Width = 900;
    private const int Height = 500;

    public static void Map(RouteGroupBuilder api) => api.MapGet("/reports/charts/{name}.{format}", async (string name, string format, [AsParameters] ReportQuery query, HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            if (!Names.Contains(name, StringComparer.Ordinal)) throw new NotFoundException($"There is no chart named '{name}'; charts: {string.Join(", ", Names)}.");
            if (format is not ("svg" or "png")) throw new NotFoundException("Charts are served as .svg or .png.");
            var caller = Callers.Of(http);
            var filter = ReportsArea.Filter(query);
            var plot = name switch
            {
                "caseload" => Caseload(await mediator.Send(new GetCaseload.Query(caller, filter), ct)),
                "stage-times" => StageTimes(await mediator.Send(new GetStageTimes.Query(caller, filter), ct)),
                "clock-compliance" => ClockCompliance(await mediator.Send(new GetClockCompliance.Query(caller, filter), ct)),
                _ => CountryPairs(await mediator.Send(new GetCountryPairs.Query(caller, filter), ct)),
            };
            return format == "svg"
                ? Results.Text(plot.GetSvgXml(Width, Height), "image/svg+xml", System.Text.Encoding.UTF8)
                : Results.File(plot.GetImageBytes(Width, Height, ImageFormat.Png), "image/png");
        })
        .Describe("GetReportChart", "A report as a chart (SVG or PNG)",
            "caseload (filed and concluded per month), stage-times (median, p90 and max days per stage), clock-compliance (Met, Missed, Expired, Extended per clock kind), country-pairs (cases per country pair and offence category), as .svg or .png. Same filters as the figures.")
        .Documents(
            Parameter.OneOf("name", "The report drawn.", [.. Names]),
            Parameter.OneOf("format", "svg or png.", "svg", "png"))
        .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml", additionalContentTypes: ["image/png"])
        .ProducesProblem(StatusCodes.Status404NotFound);

    private static readonly Color[] Palette = [Color.FromHex("#1f5f8b"), Color.FromHex("#d9822b"), Color.FromHex("#3f8f3f"), Color.FromHex("#b03a2e"), Color.FromHex("#7d5ba6")];

    private static Plot NewPlot(string title, string x, string y)
    {
        var plot = new Plot();
        // DejaVu Sans (Debian's fonts-dejavu-core, installed by .ci/run) covers the Latin, Greek and Cyrillic
        // that country names and labels use; the SVG names the family and lets the viewer fall back.
        plot.Font.Set("DejaVu Sans");
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        return plot;
    }

    /// <summary>
    /// Groups of bars side by side: one group per category label, one bar per series. Counts get whole-number
    /// ticks; long labels (country pairs) go on a vertical axis with the bars horizontal, first at the top.
    /// </summary>
    private static Plot Grouped(Plot plot, IReadOnlyList<string> categories, IReadOnlyList<(string Series, double[] Values)> series,
        bool rotate = false, bool horizontal = false, bool counts = true)
    {
        var bars = new List<Bar>();
        var width = 0.8 / Math.Max(1, series.Count);
        double At(int i) => horizontal ? categories.Count - 1 - i : i;
        for (var s = 0; s < series.Count; s++)
        {
            for (var i = 0; i < categories.Count; i++)
            {
                bars.Add(new Bar
                {
                    Position = At(i) + (s - (series.Count - 1) / 2.0) * width * (horizontal ? -1 : 1),
                    Value = series[s].Values[i],
                    Size = width * 0.95,
                    FillColor = Palette[s % Palette.Length],
                    LineWidth = 0,
                });
            }

            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Series, FillColor = Palette[s % Palette.Length] });
        }

        var drawn = plot.Add.Bars(bars);
        drawn.Horizontal = horizontal;
        var (categoryAxis, valueAxis) = horizontal ? ((IAxis)plot.Axes.Left, (IAxis)plot.Axes.Bottom) : (plot.Axes.Bottom, plot.Axes.Left);
        categoryAxis.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. Enumerable.Range(0, categories.Count).Select(At)], [.. categories]);
        categoryAxis.MajorTickStyle.Length = 0;
        if (counts) valueAxis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (rotate)
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
        }

        if (horizontal) plot.Axes.Margins(left: 0);
        else plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        if (categories.Count == 0)
        {
            plot.Add.Annotation("No cases match these filters");
            plot.Axes.SetLimits(0, 1, 0, 1);
        }

        return plot;
    }

    private static Plot Caseload(GetCaseload.Report report) => Grouped(NewPlot("Caseload by month", "Month", "Cases"),
        [.. report.Months.Select(m => m.Period)],
        [("Filed", [.. report.Months.Select(m => (double)m.Filed)]), ("Concluded", [.. report.Months.Select(m => (double)m.Closed)])]);

    private static Plot StageTimes(GetStageTimes.Report report) => Grouped(NewPlot("Time per stage", "Stage", "Days"),
        [.. report.Stages.Select(s => s.Name)],
        [
            ("Median", [.. report.Stages.Select(s => (double)s.MedianDays)]),
            ("90th percentile", [.. report.Stages.Select(s => (double)s.P90Days)]),
            ("Maximum", [.. report.Stages.Select(s => (double)s.MaxDays)]),
        ], rotate: true, counts: false);

    private static Plot ClockCompliance(GetClockCompliance.Report report)
    {
        var kinds = report.Clocks.GroupBy(k => k.Kind).OrderBy(g => g.Key).ToList();
        double Sum(Func<GetClockCompliance.KindCount, int> count, IEnumerable<GetClockCompliance.KindCount> of) => of.Sum(count);
        return Grouped(NewPlot("Clock compliance by kind", "Clock", "Clocks"),
            [.. kinds.Select(g => g.Key.ToString())],
            [
                ("Met", [.. kinds.Select(g => Sum(k => k.Met, g))]),
                ("Missed", [.. kinds.Select(g => Sum(k => k.Missed, g))]),
                ("Expired", [.. kinds.Select(g => Sum(k => k.Expired, g))]),
                ("Extended", [.. kinds.Select(g => Sum(k => k.Extended, g))]),
            ], rotate: true);
    }

    private static Plot CountryPairs(GetCountryPairs.Report report) => Grouped(NewPlot("Cases by country pair and offence category", "Cases", "Country pair and category"),
        [.. report.Pairs.Select(p => $"{ReportsArea.CountryName(p.RequestingState)} to {ReportsArea.CountryName(p.RequestedState)}: {p.Category}")],
        [("Cases", [.. report.Pairs.Select(p => (double)p.Cases)]), ("Surrendered", [.. report.Pairs.Select(p => (double)p.Surrendered)])], horizontal: true);
}
