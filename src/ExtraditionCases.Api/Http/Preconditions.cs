using System.Globalization;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Partners;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// Conditional-request headers as typed versions, and versions as ETags: the case's version in a
/// strong tag, <c>"7"</c>. The application sees versions only.
/// </summary>
public static class Preconditions
{
    public static string ETagOf(int version) => "\"" + version.ToString(CultureInfo.InvariantCulture) + "\"";

    /// <summary>If-Match: null when absent, blank or * (a write needs the exact tag, 428); otherwise the version its tag names.</summary>
    public static ExpectedVersion? IfMatch(HttpRequest request)
    {
        var text = IfMatchText(request);
        if (text.Length == 0 || text == "*") return null;
        return new ExpectedVersion(TryVersion(text, out var version) ? version : null);
    }

    /// <summary>The If-Match header as sent, trimmed: what a 412 names back.</summary>
    public static string IfMatchText(HttpRequest request) => request.Headers.IfMatch.ToString().Trim();

    /// <summary>If-None-Match: null when absent or blank; otherwise the versions it lists, by weak comparison (RFC 9110 13.1.2), or *.</summary>
    public static KnownVersions? IfNoneMatch(HttpRequest request)
    {
        var text = request.Headers.IfNoneMatch.ToString();
        if (string.IsNullOrWhiteSpace(text)) return null;
        var any = false;
        var versions = new HashSet<int>();
        // Read in place: every poll sends one, so no split, trimmed copies or formatted tags to compare (issue 20).
        var rest = text.AsSpan();
        while (true)
        {
            var comma = rest.IndexOf(',');
            var tag = (comma < 0 ? rest : rest[..comma]).Trim();
            if (tag is "*") any = true;
            if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
            if (TryVersion(tag, out var version)) versions.Add(version);
            if (comma < 0) break;
            rest = rest[(comma + 1)..];
        }

        return new KnownVersions(any, versions);
    }

    private static bool TryVersion(string tag, out int version) => TryVersion(tag.AsSpan(), out version);

    /// <summary>Only the exact tag the service writes names a version (<see cref="ETagOf"/>): "7", not "07", "+7" or ""7"".</summary>
    private static bool TryVersion(ReadOnlySpan<char> tag, out int version)
    {
        version = 0;
        if (tag.Length < 3 || tag[0] != '"' || tag[^1] != '"') return false;
        var digits = tag[1..^1];
        // As int formats a version: ASCII digits, no sign, no leading zero.
        return (digits.Length == 1 || digits[0] != '0') && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out version);
    }
}
