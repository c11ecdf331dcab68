namespace ExtraditionCases.Domain.Deadlines;

/// <summary>
/// A period counted in the requested state's local days. GB periods run "starting with" the day of
/// their starting event: that day is day 1. Periods <see cref="AfterTheDay">after</see> the event
/// (PK Extradition Act 1972 s.12 read with the General Clauses Act 1897 s.9; 18 U.S.C. 3188 "within
/// two calendar months after") exclude that day: committal on 15 August, two months, ends at the end
/// of 15 October. Either way the period ends at the end of its last local day. Months are calendar
/// months; when the month of the end has no corresponding day (a month from 31 January), the period
/// ends at the end of that shorter month.
/// </summary>
public readonly record struct StatutoryPeriod(int Days, int Months, bool AfterEvent = false)
{
    /// <summary>The same period, counted from the day after the event.</summary>
    public StatutoryPeriod AfterTheDay() => this with { AfterEvent = true };

    public static StatutoryPeriod OfDays(int days) => new(days, 0);
    public static StatutoryPeriod OfWeeks(int weeks) => new(weeks * 7, 0);
    public static StatutoryPeriod OfMonths(int months) => new(0, months);

    public DateTimeOffset DueAt(DateTimeOffset startedAt, TimeZoneInfo zone)
    {
        var firstDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(startedAt, zone).DateTime);
        DateOnly lastDay;
        if (AfterEvent)
        {
            lastDay = Months > 0 ? firstDay.AddMonths(Months) : firstDay.AddDays(Days);
        }
        else if (Months > 0)
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
