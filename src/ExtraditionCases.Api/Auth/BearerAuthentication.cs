using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Api.Auth;

public static class Policies
{
    public const string Officer = nameof(Officer);
    public const string OfficerOrAuditor = nameof(OfficerOrAuditor);
    public const string AnyRole = nameof(AnyRole);
    public const string Auditor = nameof(Auditor);
    public const string OfficerOrPartner = nameof(OfficerOrPartner);
}

/// <summary>
/// JWT bearer from <c>Authentication:Schemes:Bearer</c> (ValidIssuer, ValidAudiences, SigningKeys),
/// the layout <c>dotnet user-jwts</c> writes. Signing keys are read from configuration on every
/// validation, so a key that <c>dotnet user-jwts create</c> adds to user secrets while the service
/// runs is honoured at once instead of answering 401 until a restart.
/// </summary>
public static partial class BearerAuthentication
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed for {Method} {Path}: {Failure} from {ClientAddress}")]
    private static partial void AuthenticationFailed(ILogger logger, string method, string path, string failure, string? clientAddress);

    public const string Section = "Authentication:Schemes:Bearer";

    public static IServiceCollection AddBearerAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, ILoggerFactory>((options, configuration, loggers) =>
            {
                var logger = loggers.CreateLogger("ExtraditionCases.Authentication");
                // Who tried what: the failure kind and target, never the token itself.
                options.Events = new JwtBearerEvents
                {
                    // A token without a subject identifies nobody: histories, idempotency keys and rate
                    // limits are all per subject.
                    OnTokenValidated = context =>
                    {
                        if (string.IsNullOrWhiteSpace(context.Principal?.FindFirst("sub")?.Value)) context.Fail("The token has no sub claim.");
                        return Task.CompletedTask;
                    },
                    OnAuthenticationFailed = context =>
                    {
                        AuthenticationFailed(logger, context.Request.Method, context.Request.Path, context.Exception.GetType().Name,
                            context.HttpContext.Connection.RemoteIpAddress?.ToString());
                        return Task.CompletedTask;
                    },
                };
                options.MapInboundClaims = false;
                options.TokenValidationParameters.NameClaimType = "sub";
                options.TokenValidationParameters.RoleClaimType = "role";
                options.TokenValidationParameters.ValidateIssuer = true;
                options.TokenValidationParameters.ValidateAudience = true;
                options.TokenValidationParameters.ValidateLifetime = true;
                options.TokenValidationParameters.ValidateIssuerSigningKey = true;
                var settings = new ReloadingSettings(configuration);
                options.TokenValidationParameters.IssuerValidator = (issuer, _, _) =>
                    settings.Current.Issuers.Contains(issuer, StringComparer.Ordinal)
                        ? issuer
                        : throw new SecurityTokenInvalidIssuerException("The token's issuer is not accepted.");
                options.TokenValidationParameters.AudienceValidator = (audiences, _, _) =>
                    audiences.Intersect(settings.Current.Audiences, StringComparer.Ordinal).Any();
                options.TokenValidationParameters.IssuerSigningKeyResolver = (_, token, _, _) =>
                    settings.Current.Keys.Where(k => k.Issuer is null || string.Equals(k.Issuer, token.Issuer, StringComparison.Ordinal)).Select(k => k.Key);
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Officer, p => p.RequireRole("officer"))
            .AddPolicy(Policies.OfficerOrAuditor, p => p.RequireRole("officer", "auditor"))
            .AddPolicy(Policies.Auditor, p => p.RequireRole("auditor"))
            .AddPolicy(Policies.OfficerOrPartner, p => p.RequireRole("officer", "partner"))
            .AddPolicy(Policies.AnyRole, p => p.RequireRole("officer", "partner", "auditor"));
        return services;
    }

    private static string[] ValidIssuers(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var issuers = section.GetSection("ValidIssuers").Get<string[]>() ?? [];
        return section["ValidIssuer"] is { } single ? [.. issuers, single] : issuers;
    }

    private static string[] ValidAudiences(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var audiences = section.GetSection("ValidAudiences").Get<string[]>() ?? [];
        return section["ValidAudience"] is { } single ? [.. audiences, single] : audiences;
    }

    private sealed record IssuerKey(string? Issuer, SecurityKey Key);

    private sealed record Settings(string[] Issuers, string[] Audiences, IssuerKey[] Keys);

    /// <summary>
    /// Issuers, audiences and keys read once per configuration version, not on every request: the
    /// configuration's reload token (user secrets, files) swaps in a fresh copy when it changes.
    /// </summary>
    private sealed class ReloadingSettings
    {
        private readonly IConfiguration _configuration;
        private volatile Settings _current;

        public ReloadingSettings(IConfiguration configuration)
        {
            _configuration = configuration;
            _current = Read();
            Microsoft.Extensions.Primitives.ChangeToken.OnChange(configuration.GetReloadToken, () => _current = Read());
        }

        public Settings Current => _current;

        private Settings Read() => new(ValidIssuers(_configuration), ValidAudiences(_configuration), [.. SigningKeys(_configuration)]);
    }

    private static IEnumerable<IssuerKey> SigningKeys(IConfiguration configuration)
    {
        foreach (var key in configuration.GetSection($"{Section}:SigningKeys").GetChildren())
        {
            if (key["Value"] is not { Length: > 0 } value) continue;
            var keyIssuer = key["Issuer"] is { Length: > 0 } i ? i : null;
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                continue;
            }

            yield return new IssuerKey(keyIssuer, new SymmetricSecurityKey(bytes) { KeyId = key["Id"] });
        }
    }
}
