using System.Globalization;
using System.Text.Json;
using ExtraditionCases.Domain;

namespace ExtraditionCases.Application.Json;

/// <summary>
/// An instant read as text and written as it was read, where it only passes through (issue 20: the history and
/// the feed). SQLite stores instants as <see cref="Instant.Format"/> text; a SQL Server statement that reads one as
/// text converts its <c>datetimeoffset</c> to that same text with <see cref="SqlServerText"/>, so both dialects give
/// the bytes <c>CaseJson</c>'s converter would write, without parsing and formatting each one.
/// </summary>
public static class StoredInstant
{
    /// <summary>
    /// T-SQL giving <paramref name="column"/> (a <c>datetimeoffset</c> stored to the millisecond) as
    /// <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>: shifted to UTC, as <c>datetime2(3)</c> in style 121 (which always keeps the
    /// three fraction digits; 126 drops a zero fraction), the space made a <c>T</c>, then a <c>Z</c>.
    /// </summary>
    public static string SqlServerText(string column) =>
        $"STUFF(CONVERT(char(23), CONVERT(datetime2(3), SWITCHOFFSET({column}, '+00:00')), 121), 11, 1, 'T') + 'Z'";

    /// <summary>Whether <paramref name="text"/> has exactly the shape of <see cref="Instant.Format"/> (what the converter writes).</summary>
    public static bool IsCanonical(ReadOnlySpan<char> text)
    {
        if (text.Length != 24) return false;
        for (var i = 0; i < 24; i++)
        {
            var ok = i switch
            {
                4 or 7 => text[i] == '-',
                10 => text[i] == 'T',
                13 or 16 => text[i] == ':',
                19 => text[i] == '.',
                23 => text[i] == 'Z',
                _ => char.IsAsciiDigit(text[i]),
            };
            if (!ok) return false;
        }

        return true;
    }

    /// <summary><see cref="IsCanonical(ReadOnlySpan{char})"/> for UTF-8 text.</summary>
    public static bool IsCanonical(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length != 24) return false;
        Span<char> text = stackalloc char[24];
        for (var i = 0; i < 24; i++) text[i] = (char)utf8[i];
        return IsCanonical(text);
    }

    /// <summary>The instant a stored text names (canonical or any RFC 3339 form the store ever held), in UTC to the millisecond.</summary>
    public static DateTimeOffset Parse(string text) =>
        Instants.TryParse(text.Trim(), out var value) ? value
            : Instant.Truncate(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));

    /// <summary>Writes the stored text as it is when it is canonical; otherwise what the converter writes for the instant it names.</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string stored)
    {
        if (IsCanonical(stored)) writer.WriteString(name, stored);
        else writer.WriteString(name, Instant.ToText(Parse(stored)));
    }

    /// <summary><see cref="Write(Utf8JsonWriter, ReadOnlySpan{byte}, string)"/> for UTF-8 text, as a streamed read gives it.</summary>
    public static void Write(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ReadOnlySpan<byte> stored)
    {
        if (IsCanonical(stored)) writer.WriteString(name, stored);
        else writer.WriteString(name, Instant.ToText(Parse(System.Text.Encoding.UTF8.GetString(stored))));
    }
}
