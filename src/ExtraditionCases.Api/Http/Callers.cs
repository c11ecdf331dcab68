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

    private static readonly object CallerKey = new();

    /// <summary>
    /// <see cref="From"/> for the request's user, made once per request: the endpoint and the access log both need it,
    /// and each claim lookup of the token's identity allocates (issue 20). Made again if the user was replaced.
    /// </summary>
    public static Caller Of(HttpContext context)
    {
        var user = context.User;
        if (context.Items.TryGetValue(CallerKey, out var known) && known is Made made && ReferenceEquals(made.User, user)) return made.Caller;
        var caller = From(user);
        context.Items[CallerKey] = new Made(user, caller);
        return caller;
    }

    private sealed record Made(ClaimsPrincipal User, Caller Caller);

    /// <summary>The longest subject or agency kept: what the history and access log columns hold.</summary>
    public const int MaxSubjectLength = 200;

    /// <summary>The longest issuer kept (an issuer comes from configuration, so this never bites in practice).</summary>
    public const int MaxIssuerLength = 400;

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..length];

    public static RequestSource Source(HttpContext context) =>
        new(System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier, context.Connection.RemoteIpAddress?.ToString());
}
