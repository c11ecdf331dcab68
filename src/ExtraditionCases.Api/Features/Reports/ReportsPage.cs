using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace ExtraditionCases.Api.Features.Reports;

/// <summary>
/// <c>GET /reports</c>: one static page (no build step, nothing fetched from elsewhere) that asks for a token,
/// keeps it in session storage and reads the figures and SVG charts with it. The page itself holds no data,
/// so it is served to anyone; its Content-Security-Policy admits only this origin and the page's own inline
/// script and style, by hash.
/// </summary>
internal static partial class ReportsPageEndpoint
{
    private static readonly Lazy<(string Html, string Policy)> Page = new(Load);

    public static void Map(IEndpointRouteBuilder app) => app.MapGet("/reports", (HttpContext http) =>
        {
            var (html, policy) = Page.Value;
            http.Response.Headers.ContentSecurityPolicy = policy;
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers["Referrer-Policy"] = "no-referrer";
            return Results.Text(html, "text/html", Encoding.UTF8);
        })
        .AllowAnonymous()
        .ExcludeFromDescription();

    private static (string, string) Load()
    {
        using var stream = typeof(ReportsPageEndpoint).Assembly.GetManifestResourceStream("ExtraditionCases.Api.Features.Reports.reports.html")
            ?? throw new InvalidOperationException("The reports page is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var html = reader.ReadToEnd();
        string Hashes(Regex block) => string.Join(' ', block.Matches(html).Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'"));
        var policy = $"default-src 'none'; connect-src 'self'; img-src 'self' blob: data:; script-src {Hashes(ScriptBlock())}; style-src {Hashes(StyleBlock())}; " +
                     "form-action 'none'; frame-ancestors 'none'; base-uri 'none'";
        return (html, policy);
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptBlock();

    [GeneratedRegex("<style>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();
}
