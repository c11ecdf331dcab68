using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace ExtraditionCases.Api.Http;

/// <summary>Token buckets per role in configuration: <c>RateLimiting:&lt;role&gt;:TokensPerSecond</c> and <c>Burst</c>.</summary>
public sealed class RoleLimit
{
    public int TokensPerSecond { get; set; }
    public int Burst { get; set; }
}

/// <summary>
/// ASP.NET Core's rate limiter, one token bucket per caller (the token's <c>sub</c>, else the client
/// address), sized by role. Counters live in each instance's memory: with N replicas a caller may get
/// up to N times the limit, which is acceptable because the limits protect capacity, not correctness.
/// </summary>
public static class RateLimits
{
    private static readonly Dictionary<string, RoleLimit> Defaults = new(StringComparer.Ordinal)
    {
        ["officer"] = new RoleLimit { TokensPerSecond = 50, Burst = 100 },
        ["partner"] = new RoleLimit { TokensPerSecond = 10, Burst = 20 },
        ["auditor"] = new RoleLimit { TokensPerSecond = 20, Burst = 40 },
        // A minister's office: a page of reports is a handful of aggregate queries at once, rarely.
        ["reporter"] = new RoleLimit { TokensPerSecond = 5, Burst = 20 },
        // Callers without a valid token: by client address, tight, so token guessing stays slow.
        ["anonymous"] = new RoleLimit { TokensPerSecond = 5, Burst = 20 },
    };

    public static bool Enabled(IConfiguration configuration) => configuration.GetValue("RateLimiting:Enabled", true);

    public static IServiceCollection AddRoleRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = Defaults.ToDictionary(d => d.Key, d =>
        {
            var configured = configuration.GetSection($"RateLimiting:{d.Key}");
            return new RoleLimit
            {
                TokensPerSecond = configured.GetValue("TokensPerSecond", d.Value.TokensPerSecond),
                Burst = configured.GetValue("Burst", d.Value.Burst),
            };
        });

        services.AddSingleton(new RoleLimits(limits));
        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Probes and the API description are never limited.
                if (Bucket(context, limits) is not var (key, _, limit)) return RateLimitPartition.GetNoLimiter("unlimited");
                return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = Math.Max(1, limit.Burst),
                    TokensPerPeriod = Math.Max(1, limit.TokensPerSecond),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });

            // The middleware's default is a bare 503; the contract says 429 with Retry-After and a problem.
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                if (Bucket(http, limits) is var (_, policy, limit)) WriteHeaders(http.Response, policy, limit, remaining: 0, reset: retryAfter);
                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"This caller's rate limit is exhausted; retry after {retryAfter} s.",
                    },
                });
            };
        });
    }

    /// <summary>The caller's bucket: issuer + subject when authenticated, else the client address; null for unlimited paths.</summary>
    private static (string Key, string Policy, RoleLimit Limit)? Bucket(HttpContext context, IReadOnlyDictionary<string, RoleLimit> limits)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)) return null;
        var caller = context.User.Identity?.IsAuthenticated == true ? Callers.Of(context) : null;
        var role = caller is not null && limits.ContainsKey(caller.Role) ? caller.Role : "anonymous";
        // Issuer + subject: one state's provider cannot mint a token that drains another's caller.
        var key = caller is not null ? $"{role}:{caller.Issuer}\n{caller.Subject}" : $"ip:{context.Connection.RemoteIpAddress}";
        return (key, role, limits[role]);
    }

    /// <summary>
    /// IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): the policy as quota <c>q</c> (the
    /// bucket) over window <c>w</c> (seconds to refill it), and what is left: <c>r</c> requests, the
    /// bucket full again in <c>t</c> seconds.
    /// </summary>
    private static void WriteHeaders(HttpResponse response, string policy, RoleLimit limit, long remaining, int reset)
    {
        var burst = Math.Max(1, limit.Burst);
        var rate = Math.Max(1, limit.TokensPerSecond);
        var window = (int)Math.Ceiling(burst / (double)rate);
        response.Headers["RateLimit-Policy"] = string.Create(CultureInfo.InvariantCulture, $"\"{policy}\";q={burst};w={window}");
        response.Headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{policy}\";r={remaining};t={reset}");
    }

    /// <summary>After the limiter admitted a request: its caller's bucket as it stands, on the response.</summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app)
    {
        var limiter = app.ApplicationServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<RateLimiterOptions>>().Value.GlobalLimiter;
        var limits = app.ApplicationServices.GetRequiredService<RoleLimits>().Limits;
        return app.Use((context, next) =>
        {
            if (limiter is not null && Bucket(context, limits) is var (_, policy, limit))
            {
                var remaining = limiter.GetStatistics(context)?.CurrentAvailablePermits ?? 0;
                var burst = Math.Max(1, limit.Burst);
                var reset = (int)Math.Ceiling(Math.Max(0, burst - remaining) / (double)Math.Max(1, limit.TokensPerSecond));
                context.Response.OnStarting(() =>
                {
                    if (context.Response.StatusCode != StatusCodes.Status429TooManyRequests) WriteHeaders(context.Response, policy, limit, remaining, reset);
                    return Task.CompletedTask;
                });
            }

            return next(context);
        });
    }

    private sealed record RoleLimits(Dictionary<string, RoleLimit> Limits);
}
