using System.Globalization;

namespace ExtraditionCases.Domain;

/// <summary>Instants are kept in UTC to the millisecond, the precision the contract shows and hashes.</summary>
public static class Instant
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static DateTimeOffset Truncate(DateTimeOffset value)
    {
        var utc = value.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public static string ToText(DateTimeOffset value) => Truncate(value).ToString(Format, CultureInfo.InvariantCulture);
}
