namespace ExtraditionCases.Application.Features.Reports;

/// <summary>
/// The pieces every report statement shares, per dialect. Each takes the parameters of
/// <see cref="ReportParameters"/> by name; a null parameter means "any". Durations are whole milliseconds on
/// both databases (instants are stored to the millisecond), so the same rows give the same figures.
/// </summary>
internal static class ReportSql
{
    /// <summary>The cases a report reads, as <c>c</c>: the caller's scope, the states, basis, offence category and filing period.</summary>
    public const string SqliteCases = """
        (@Country IS NULL OR c.RequestingState = @Country OR c.RequestedState = @Country)
          AND (@RequestingState IS NULL OR c.RequestingState = @RequestingState)
          AND (@RequestedState IS NULL OR c.RequestedState = @RequestedState)
          AND (@Basis IS NULL OR json_extract(c.CaseFile, '$.basis') = @Basis)
          AND (@OffenceCategory IS NULL OR c.Id IN (SELECT oc.CaseId FROM CaseOffenceCategories oc WHERE oc.Category = @OffenceCategory))
          AND (@FiledFrom IS NULL OR c.ReceivedAt >= @FiledFrom)
          AND (@FiledTo IS NULL OR c.ReceivedAt < @FiledTo)
        """;

    public const string SqlServerCases = """
        (@Country IS NULL OR c.RequestingState = @Country OR c.RequestedState = @Country)
          AND (@RequestingState IS NULL OR c.RequestingState = @RequestingState)
          AND (@RequestedState IS NULL OR c.RequestedState = @RequestedState)
          AND (@Basis IS NULL OR JSON_VALUE(c.CaseFile, '$.basis') = @Basis)
          AND (@OffenceCategory IS NULL OR c.Id IN (SELECT oc.CaseId FROM dbo.CaseOffenceCategories oc WHERE oc.Category = @OffenceCategory))
          AND (@FiledFrom IS NULL OR c.ReceivedAt >= @FiledFrom)
          AND (@FiledTo IS NULL OR c.ReceivedAt < @FiledTo)
        """;

    /// <summary>An instant column within the event period (same text on both dialects).</summary>
    public static string InEventPeriod(string column) => $"(@EventFrom IS NULL OR {column} >= @EventFrom) AND (@EventTo IS NULL OR {column} < @EventTo)";

    /// <summary>The states in which a case has its outcome (Closed follows Surrendered or Discharged).</summary>
    public const string Concluded = "('Surrendered', 'Discharged', 'Refused', 'Withdrawn', 'Closed')";

    private const string Outcomes = "('Surrendered', 'Discharged', 'Refused', 'Withdrawn')";

    /// <summary>
    /// The same filters on a stay as <see cref="SqliteCases"/> on its case, for the stay aliased <paramref name="s"/>,
    /// from the columns the stay carries (states, filing instant, basis, the list of offence categories): no join.
    /// </summary>
    public static string SqliteStays(string s) => $"""
        (@Country IS NULL OR {s}.RequestingState = @Country OR {s}.RequestedState = @Country)
          AND (@RequestingState IS NULL OR {s}.RequestingState = @RequestingState)
          AND (@RequestedState IS NULL OR {s}.RequestedState = @RequestedState)
          AND (@Basis IS NULL OR {s}.Basis = @Basis)
          AND (@OffenceCategory IS NULL OR instr({s}.Categories, ',' || @OffenceCategory || ',') > 0)
          AND (@FiledFrom IS NULL OR {s}.ReceivedAt >= @FiledFrom)
          AND (@FiledTo IS NULL OR {s}.ReceivedAt < @FiledTo)
        """;

    public static string SqlServerStays(string s) => $"""
        (@Country IS NULL OR {s}.RequestingState = @Country OR {s}.RequestedState = @Country)
          AND (@RequestingState IS NULL OR {s}.RequestingState = @RequestingState)
          AND (@RequestedState IS NULL OR {s}.RequestedState = @RequestedState)
          AND (@Basis IS NULL OR {s}.Basis = @Basis)
          AND (@OffenceCategory IS NULL OR CHARINDEX(N',' + @OffenceCategory + N',', {s}.Categories COLLATE Latin1_General_100_BIN2) > 0)
          AND (@FiledFrom IS NULL OR {s}.ReceivedAt >= @FiledFrom)
          AND (@FiledTo IS NULL OR {s}.ReceivedAt < @FiledTo)
        """;

    /// <summary>
    /// Each case's latest step into an outcome state, as <c>CaseId, Outcome, ConcludedAt, DischargedBy</c> (the
    /// <c>by</c> of its latest Discharge). It is the case's outcome only while the case is in a concluded state:
    /// a discharge under appeal is not one. Read from the stays (a stay begins with each step into a state, never
    /// with a self-transition) through their index by stage, not from every event.
    /// </summary>
    public const string SqliteOutcomes = $"""
        SELECT x.CaseId, x.Stage AS Outcome, x.EnteredAt AS ConcludedAt,
               CASE WHEN x.Stage = 'Discharged' THEN (SELECT json_extract(dx.Data, '$.by') FROM CaseEvents dx
                    WHERE dx.CaseId = x.CaseId AND dx."Trigger" = 'Discharge' ORDER BY dx.Sequence DESC LIMIT 1) END AS DischargedBy
        FROM (SELECT os.CaseId, os.Stage, os.EnteredAt, ROW_NUMBER() OVER (PARTITION BY os.CaseId ORDER BY os.Sequence DESC) AS Rn
              FROM CaseStays os WHERE os.Stage IN {Outcomes}) x
        WHERE x.Rn = 1
        """;

    public const string SqlServerOutcomes = $"""
        SELECT x.CaseId, x.Stage AS Outcome, x.EnteredAt AS ConcludedAt,
               CASE WHEN x.Stage = 'Discharged' THEN (SELECT TOP (1) JSON_VALUE(dx.Data, '$.by') FROM dbo.CaseEvents dx
                    WHERE dx.CaseId = x.CaseId AND dx.[Trigger] = 'Discharge' ORDER BY dx.Sequence DESC) END AS DischargedBy
        FROM (SELECT os.CaseId, os.Stage, os.EnteredAt, ROW_NUMBER() OVER (PARTITION BY os.CaseId ORDER BY os.Sequence DESC) AS Rn
              FROM dbo.CaseStays os WHERE os.Stage IN {Outcomes}) x
        WHERE x.Rn = 1
        """;

    /// <summary>Whole milliseconds from one stored instant to another. SQLite's julianday keeps milliseconds exactly enough to round back.</summary>
    public static string SqliteMilliseconds(string from, string to) => $"CAST(ROUND((julianday({to}) - julianday({from})) * 86400000.0) AS INTEGER)";

    public static string SqlServerMilliseconds(string from, string to) => $"DATEDIFF_BIG(millisecond, {from}, {to})";

    /// <summary>The month (UTC) of a stored instant, as yyyy-MM.</summary>
    public static string SqliteMonth(string column) => $"substr({column}, 1, 7)";

    public static string SqlServerMonth(string column) => $"CONVERT(char(7), {column}, 126)";

    /// <summary>The windows: they close unused (Expired) rather than being missed.</summary>
    public const string Windows = "('Representations', 'AppealWindow', 'RequestingStateAppealWindow', 'LeaveToAppeal')";
}
