using System.Globalization;
using System.Text;
using FluentValidation;

namespace ExtraditionCases.Application.Features;

/// <summary>A page of a list: its items and, when more follow, the cursor to ask for the next page with.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>
/// The one paging rule every list shares: a whole-number limit in range; read one row more than the
/// limit, and that extra row says a next page exists, which starts after the last item shown.
/// </summary>
public static class Paging
{
    public static IRuleBuilderOptions<T, string?> MustBeLimit<T>(this IRuleBuilder<T, string?> rule, int max) =>
        rule.Must(v => v is null || (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max))
            .WithMessage($"Must be a whole number from 1 to {max}.");

    /// <summary>A limit the validator accepted, or the list's default.</summary>
    public static int Limit(string? text, int defaultLimit) => text is null ? defaultLimit : int.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The page of <paramref name="rows"/> (read with <paramref name="limit"/> + 1), items mapped, cursor after the last one.</summary>
    public static Page<TItem> Of<TRow, TItem, TPosition>(
        IReadOnlyList<TRow> rows, int limit, CursorFormat<TPosition> cursor, Func<TRow, TPosition> positionOf, Func<TRow, TItem> item)
    {
        var shown = rows.Count > limit ? rows.Take(limit).ToList() : rows;
        return new Page<TItem>([.. shown.Select(item)], rows.Count > limit ? cursor.Write(positionOf(shown[^1])) : null);
    }
}

/// <summary>
/// An opaque cursor: base64url of a versioned text, "prefix:part:part", whose parts are the keyset
/// position of the last item shown. Each list declares its prefix and position once; anything that
/// does not read back as exactly such a position is a malformed cursor (400).
/// </summary>
public sealed class CursorFormat<TPosition>(string prefix, Func<TPosition, IEnumerable<object>> parts, Func<CursorParts, TPosition> read)
{
    private const int MaxLength = 200;

    public string Write(TPosition position)
    {
        var text = prefix + ":" + string.Join(':', parts(position).Select(CursorParts.Format));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>True for a cursor of this list, with its position.</summary>
    public bool TryRead(string? cursor, out TPosition position)
    {
        position = default!;
        if (!TryDecode(cursor, out var text)) return false;
        var split = text.Split(':');
        if (split[0] != prefix) return false;
        var reader = new CursorParts(split);
        try
        {
            position = read(reader);
        }
        catch (FormatException)
        {
            return false;
        }

        return reader.AllRead;
    }

    /// <summary>Null (the first page) when there is no cursor; for the validator's sake, any malformed one reads as null too.</summary>
    public TPosition? ReadOrFirst(string? cursor) => cursor is not null && TryRead(cursor, out var position) ? position : default;

    private static bool TryDecode(string? cursor, out string text)
    {
        text = string.Empty;
        if (string.IsNullOrEmpty(cursor) || cursor.Length > MaxLength) return false;
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
}

/// <summary>The parts of a cursor after its prefix, read in order; a part of the wrong form throws <see cref="FormatException"/>.</summary>
public sealed class CursorParts(string[] split)
{
    private int _next = 1;

    public bool AllRead => _next == split.Length;

    public long Long() => long.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException();

    public int Int() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException();

    public Guid Guid() => System.Guid.TryParseExact(Next(), "N", out var value) ? value : throw new FormatException();

    /// <summary>An instant as its UTC ticks: exact, and free of the ':' of a textual form.</summary>
    public DateTimeOffset Instant() =>
        long.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw new FormatException();

    internal static string Format(object part) => part switch
    {
        DateTimeOffset instant => instant.UtcTicks.ToString(CultureInfo.InvariantCulture),
        Guid id => id.ToString("N"),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"A cursor cannot hold a {part.GetType().Name}.", nameof(part)),
    };

    private string Next() => _next < split.Length ? split[_next++] : throw new FormatException();
}
