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

    /// <summary>Seconds a client refused for want of logging waits before it tries again.</summary>
    public const int RetryAfterSeconds = 5;

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var audited = path.StartsWith("/api/v1/", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWith("/api/v1/workflow", StringComparison.OrdinalIgnoreCase);
        // A request to case data takes its place in the log's queue first: when it cannot (the queue is full,
        // writes are failing) it is refused rather than served unlogged (AccessLog:FailClosed).
        // A request without credentials can only be refused 401, which is rolled up: it takes no place.
        var anonymous = !context.Request.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.Authorization);
        var admitted = audited && !anonymous && accessLog.TryAdmit();
        if (audited && !anonymous && !admitted && accessLog.FailClosed)
        {
            await RefuseAsync(context);
            return;
        }

        try
        {
            await next(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            if (audited || status == StatusCodes.Status401Unauthorized)
            {
                var caller = context.User.Identity?.IsAuthenticated == true ? Callers.Of(context) : null;
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
                    Issuer: caller?.Issuer, CaseIds: ReturnedCases.Of(context)), admitted);
            }
        }
    }

    private static async Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.Response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Type = "https://www.rfc-editor.org/rfc/rfc9110#status.503",
            Title = "Service unavailable.",
            Status = StatusCodes.Status503ServiceUnavailable,
            Detail = "This request cannot be logged now, so it is not served; try again after Retry-After seconds.",
            Extensions = { ["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier },
        }, options: null, contentType: "application/problem+json");
    }
}

/// <summary>The cases a list, search, feed or export read returned, noted by its endpoint for the access log.</summary>
public static class ReturnedCases
{
    private static readonly object Key = new();

    public static void Note(HttpContext context, IEnumerable<Guid> ids) => context.Items[Key] = ids.Distinct().ToList();

    public static IReadOnlyList<Guid>? Of(HttpContext context) => context.Items.TryGetValue(Key, out var ids) ? ids as IReadOnlyList<Guid> : null;
}
