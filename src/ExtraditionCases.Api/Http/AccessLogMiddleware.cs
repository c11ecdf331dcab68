using ExtraditionCases.Application.Abstractions;
namespace ExtraditionCases.Api.Http;

/// <summary>
/// Records who touched which case or the feed, with the outcome, and every failed authentication.
/// Runs outermost, so it sees the final status after problem details were written.
/// </summary>
public sealed class AccessLogMiddleware(RequestDelegate next, IAccessLog accessLog, TimeProvider clock)
{
    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
    };

    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            var path = context.Request.Path.Value ?? "";
            var audited = path.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase)
                && !path.StartsWith("/api/v1/workflow", StringComparison.OrdinalIgnoreCase);
            if (audited || status == StatusCodes.Status401Unauthorized)
            {
                var caller = context.User.Identity?.IsAuthenticated == true ? Callers.From(context.User) : null;
                // The exception handler clears the route before writing a problem; its feature keeps it.
                var failed = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerPathFeature>();
                var routeValues = context.Request.RouteValues.Count > 0 ? context.Request.RouteValues : failed?.RouteValues;
                Guid? caseId = routeValues is not null && routeValues.TryGetValue("id", out var id) && Guid.TryParse(id?.ToString(), out var parsed)
                    ? parsed
                    : null;
                var endpoint = ((context.GetEndpoint() ?? failed?.Endpoint) as RouteEndpoint)?.RoutePattern.RawText ?? path;
                accessLog.Record(new AccessEntry(
                    clock.GetUtcNow(),
                    caller?.Subject,
                    caller?.Role,
                    caller?.Country,
                    caseId,
                    // Methods are client text: keep the known ones, mark anything else (it fits nvarchar(10)).
                    KnownMethods.Contains(context.Request.Method) ? context.Request.Method : "OTHER",
                    endpoint.Length > 200 ? endpoint[..200] : endpoint,
                    status,
                    System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier,
                    context.Connection.RemoteIpAddress?.ToString(),
                    caller?.Issuer));
            }
        }
    }
}
