using System.Security.Claims;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;

namespace ExtraditionCases.Api.Http;

public static class Callers
{
    private static readonly string[] Roles = [Caller.Officer, Caller.Partner, Caller.Auditor, Caller.Reporter];

    /// <summary>
    /// The caller from the validated token (which always has a <c>sub</c>: see BearerAuthentication).
    /// A country claim that is not an ISO 3166-1 alpha-2 code makes the caller a party to nothing.
    /// </summary>
    public static Caller From(ClaimsPrincipal user)
    {
        var role = Roles.FirstOrDefault(user.IsInRole) ?? string.Empty;
        var country = user.FindFirstValue("country")?.ToUpperInvariant();
        return new Caller(
            Clip(user.FindFirstValue("sub") ?? "", MaxSubjectLength),
            role,
            Countries.IsIso3166Alpha2(country) ? country : null,
            user.FindFirstValue("agency") is { } agency ? Clip(agency, MaxSubjectLength) : null,
            // The validated token's issuer (always present: issuers are checked).
            Clip(user.FindFirst("sub")?.Issuer ?? user.FindFirstValue("iss") ?? "", MaxIssuerLength));
    }

    /// <summary>The longest subject or agency kept: what the history and access log columns hold.</summary>
    public const int MaxSubjectLength = 200;

    /// <summary>The longest issuer kept (an issuer comes from configuration, so this never bites in practice).</summary>
    public const int MaxIssuerLength = 400;

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    public static RequestSource Source(HttpContext context) =>
        new(System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier, context.Connection.RemoteIpAddress?.ToString());
}
