using System.Security.Claims;
using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Api.Http;

public static class Callers
{
    private static readonly string[] Roles = [Caller.Officer, Caller.Partner, Caller.Auditor];

    /// <summary>The caller from the validated token. Authorization policies have already checked the role.</summary>
    public static Caller From(ClaimsPrincipal user)
    {
        var role = Roles.FirstOrDefault(user.IsInRole) ?? string.Empty;
        return new Caller(
            user.FindFirstValue("sub") ?? user.Identity?.Name ?? "unknown",
            role,
            user.FindFirstValue("country")?.ToUpperInvariant(),
            user.FindFirstValue("agency"));
    }

    public static RequestSource Source(HttpContext context) =>
        new(System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier, context.Connection.RemoteIpAddress?.ToString());
}
