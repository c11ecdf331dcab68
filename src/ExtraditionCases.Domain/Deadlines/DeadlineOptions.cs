namespace ExtraditionCases.Domain.Deadlines;

/// <summary>
/// Which law's clocks apply to a case is decided by its requested state. GB, PK and US are built in;
/// any other requested state may be mapped to one of them (<see cref="RuleSets"/>), and until it is,
/// the GB clocks apply marked advisory.
/// </summary>
public sealed class DeadlineOptions
{
    public const string SectionName = "Deadlines";

    /// <summary>IANA zone per requested state, for counting days; unlisted states count in UTC.</summary>
    public Dictionary<string, string> TimeZones { get; init; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GB"] = "Europe/London",
        ["PK"] = "Asia/Karachi",
        ["US"] = "America/New_York",
    };

    /// <summary>Requested state to built-in rule set (GB, PK or US), applied as binding, not advisory.</summary>
    public Dictionary<string, string> RuleSets { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Requesting states with 65 days instead of 45 for the full request after a provisional arrest
    /// (art. 4 of SI 2003/3334, as amended). Empty until configured from the current Order.
    /// </summary>
    public List<string> SixtyFiveDayTerritories { get; init; } = [];

    /// <param name="version">The rules version to compute clocks under: the current one, or an older one a replay or an older case row needs.</param>
    public ClockRules RulesFor(string requestingState, string requestedState, int version = ClockRules.Version) =>
        RulesFor(requestingState, requestedState).AtVersion(version);

    public ClockRules RulesFor(string requestingState, string requestedState)
    {
        var zone = TimeZones.TryGetValue(requestedState, out var id)
            ? TimeZoneInfo.FindSystemTimeZoneById(id)
            : TimeZoneInfo.Utc;
        var sixtyFive = SixtyFiveDayTerritories.Contains(requestingState, StringComparer.OrdinalIgnoreCase);

        var code = requestedState.ToUpperInvariant();
        if (code is "GB" or "PK" or "US") return new ClockRules(code, zone, Advisory: false, sixtyFive);
        if (RuleSets.TryGetValue(code, out var mapped)) return new ClockRules(mapped.ToUpperInvariant(), zone, Advisory: false, sixtyFive);
        return new ClockRules("GB", zone, Advisory: true, sixtyFive);
    }
}
