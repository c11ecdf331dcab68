namespace ExtraditionCases.Api.Http;

/// <summary>
/// Headers every API answer carries: case data is never stored by a shared or browser cache
/// (<c>Cache-Control: no-store</c>; ETags still serve conditional requests), and no answer is sniffed
/// into another media type (<c>X-Content-Type-Options: nosniff</c>, which matters most for the CSV and
/// NDJSON exports a browser might otherwise render).
/// </summary>
public sealed class ResponseHygieneMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.OnStarting(static state =>
            {
                var headers = ((HttpContext)state).Response.Headers;
                headers.CacheControl = "no-store";
                headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            }, context);
        }

        return next(context);
    }
}
