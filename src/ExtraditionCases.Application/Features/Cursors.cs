using System.Globalization;
using System.Text;
using FluentValidation;

namespace ExtraditionCases.Application.Features;

/// <summary>Opaque cursors: base64url of a short, versioned text. Anything else is a malformed cursor (400).</summary>
public static class OpaqueCursor
{
    public static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? cursor, out string text)
    {
        text = string.Empty;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 200) return false;
        try
        {
            var padded = cursor.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            text = Encoding.UTF8.GetString(Convert.FromBase64String(padded));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Splits a decoded "prefix:a:b:…" cursor into exactly <paramref name="parts"/> parts after its prefix.</summary>
    public static bool TryRead(string? cursor, string prefix, int parts, out string[] values)
    {
        values = [];
        if (!TryDecode(cursor, out var text)) return false;
        var split = text.Split(':');
        if (split.Length != parts + 1 || split[0] != prefix) return false;
        values = split[1..];
        return true;
    }

    public static bool TryInstant(string text, out DateTimeOffset instant)
    {
        instant = default;
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks) return false;
        instant = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }
}

/// <summary>The paging rules every list shares: a whole-number limit in range, parsed once validated.</summary>
public static class Paging
{
    public static IRuleBuilderOptions<T, string?> MustBeLimit<T>(this IRuleBuilder<T, string?> rule, int max) =>
        rule.Must(v => v is null || (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max))
            .WithMessage($"Must be a whole number from 1 to {max}.");

    public static int Limit(string? text, int defaultLimit) => text is null ? defaultLimit : int.Parse(text, CultureInfo.InvariantCulture);
}
