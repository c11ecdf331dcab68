namespace ExtraditionCases.Domain.Deadlines;

/// <summary>
/// A period that runs "starting with" the day of its starting event in the requested state's local
/// time: that day is day 1, and the period ends at the end of its last local day. Months are
/// calendar months; when the month of the end has no corresponding day (a month starting with
/// 31 January), the period ends at the end of that shorter month.
/// </summary>
public readonly record struct StatutoryPeriod(int Days, int Months)
{
    public static StatutoryPeriod OfDays(int days) => new(days, 0);
    public static StatutoryPeriod OfWeeks(int weeks) => new(weeks * 7, 0);
    public static StatutoryPeriod OfMonths(int months) => new(0, months);

    public DateTimeOffset DueAt(DateTimeOffset startedAt, TimeZoneInfo zone)
    {
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(startedAt, zone).DateTime);
        DateOnly lastDay;
        if (Months > 0)
        {
            var corresponding = firstDay.AddMonths(Months);
            lastDay = corresponding.Day == firstDay.Day ? corresponding.AddDays(-1) : corresponding;
        }
        else
        {
            lastDay = firstDay.AddDays(Days - 1);
        }

        return StartOfLocalDay(lastDay.AddDays(1), zone);
    }

    /// <summary>The UTC instant of local midnight (the end of the previous day), daylight saving included.</summary>
    private static DateTimeOffset StartOfLocalDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        // No zone we serve moves its clocks at midnight, but a gap there must not throw.
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(30);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}
