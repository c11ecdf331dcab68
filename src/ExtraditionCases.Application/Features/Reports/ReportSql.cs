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
          AND (@OffenceCategory IS NULL OR EXISTS (SELECT 1 FROM json_each(c.CaseFile, '$.offences') oc WHERE json_extract(oc.value, '$.category') = @OffenceCategory))
          AND (@FiledFrom IS NULL OR c.ReceivedAt >= @FiledFrom)
          AND (@FiledTo IS NULL OR c.ReceivedAt < @FiledTo)
        """;

    public const string SqlServerCases = """
        (@Country IS NULL OR c.RequestingState = @Country OR c.RequestedState = @Country)
          AND (@RequestingState IS NULL OR c.RequestingState = @RequestingState)
          AND (@RequestedState IS NULL OR c.RequestedState = @RequestedState)
          AND (@Basis IS NULL OR JSON_VALUE(c.CaseFile, '$.basis') = @Basis)
          AND (@OffenceCategory IS NULL OR EXISTS (SELECT 1 FROM OPENJSON(c.CaseFile, '$.offences') WITH (Category nvarchar(40) '$.category') oc WHERE oc.Category = @OffenceCategory))
          AND (@FiledFrom IS NULL OR c.ReceivedAt >= @FiledFrom)
          AND (@FiledTo IS NULL OR c.ReceivedAt < @FiledTo)
        """;

    /// <summary>An instant column within the event period (same text on both dialects).</summary>
    public static string InEventPeriod(string column) => $"(@EventFrom IS NULL OR {column} >= @EventFrom) AND (@EventTo IS NULL OR {column} < @EventTo)";

    /// <summary>The states in which a case has its outcome (Closed follows Surrendered or Discharged).</summary>
    public const string Concluded = "('Surrendered', 'Discharged', 'Refused', 'Withdrawn', 'Closed')";

    private const string Outcomes = "('Surrendered', 'Discharged', 'Refused', 'Withdrawn')";

    /// <summary>
    /// Each case's latest step into an outcome state, as <c>CaseId, Outcome, ConcludedAt, DischargedBy</c> (the
    /// <c>by</c> of its latest Discharge). It is the case's outcome only while the case is in a concluded state:
    /// a discharge under appeal is not one. A self-transition is no step into a state.
    /// </summary>
    public const string SqliteOutcomes = $"""
        SELECT x.CaseId, x.ToState AS Outcome, x.OccurredAt AS ConcludedAt,
               CASE WHEN x.ToState = 'Discharged' THEN (SELECT json_extract(dx.Data, '$.by') FROM CaseEvents dx
                    WHERE dx.CaseId = x.CaseId AND dx."Trigger" = 'Discharge' ORDER BY dx.Sequence DESC LIMIT 1) END AS DischargedBy
        FROM (SELECT e.CaseId, e.ToState, e.OccurredAt, ROW_NUMBER() OVER (PARTITION BY e.CaseId ORDER BY e.Sequence DESC) AS Rn
              FROM CaseEvents e WHERE e.ToState IN {Outcomes} AND (e.FromState IS NULL OR e.FromState <> e.ToState)) x
        WHERE x.Rn = 1
        """;

    public const string SqlServerOutcomes = $"""
        SELECT x.CaseId, x.ToState AS Outcome, x.OccurredAt AS ConcludedAt,
               CASE WHEN x.ToState = 'Discharged' THEN (SELECT TOP (1) JSON_VALUE(dx.Data, '$.by') FROM dbo.CaseEvents dx
                    WHERE dx.CaseId = x.CaseId AND dx.[Trigger] = 'Discharge' ORDER BY dx.Sequence DESC) END AS DischargedBy
        FROM (SELECT e.CaseId, e.ToState, e.OccurredAt, ROW_NUMBER() OVER (PARTITION BY e.CaseId ORDER BY e.Sequence DESC) AS Rn
              FROM dbo.CaseEvents e WHERE e.ToState IN {Outcomes} AND (e.FromState IS NULL OR e.FromState <> e.ToState)) x
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
