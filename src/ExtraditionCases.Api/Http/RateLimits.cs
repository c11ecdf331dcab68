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

        return services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                // Probes and the API description are never limited.
                if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
                    return RateLimitPartition.GetNoLimiter("unlimited");

                var caller = context.User.Identity?.IsAuthenticated == true ? Callers.From(context.User) : null;
                var role = caller is not null && limits.ContainsKey(caller.Role) ? caller.Role : "anonymous";
                // Issuer + subject: one state's provider cannot mint a token that drains another's caller.
                var key = caller is not null ? $"{role}:{caller.Issuer}\n{caller.Subject}" : $"ip:{context.Connection.RemoteIpAddress}";
                var limit = limits[role];
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
}
