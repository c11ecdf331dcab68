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
        foreach (var raw in text.Split(','))
        {
            var tag = raw.Trim();
            if (tag == "*") any = true;
            if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
            if (TryVersion(tag, out var version)) versions.Add(version);
        }

        return new KnownVersions(any, versions);
    }

    /// <summary>Only the exact tag the service writes names a version: "7", not "07" or "+7".</summary>
    private static bool TryVersion(string tag, out int version) =>
        int.TryParse(tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out version) && tag == ETagOf(version);
}
