using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Api.Auth;

public static class Policies
{
    public const string Officer = nameof(Officer);
    public const string OfficerOrAuditor = nameof(OfficerOrAuditor);
    public const string AnyRole = nameof(AnyRole);
    public const string Auditor = nameof(Auditor);
    public const string OfficerOrPartner = nameof(OfficerOrPartner);

    /// <summary>The reports: officers and reporters of a state (its own cases), auditors (all). Nothing else admits a reporter.</summary>
    public const string Reports = nameof(Reports);
}

/// <summary>
/// JWT bearer tokens, in three layouts that can be combined:
/// <list type="bullet">
/// <item>one provider per state under <c>Authentication:Issuers:&lt;name&gt;</c> (OpenID Connect metadata and
/// JWKS, an audience, the countries its tokens may claim), each with its own scheme;</item>
/// <item>the framework's single <c>Authentication:Schemes:Bearer:Authority</c> (or MetadataAddress);</item>
/// <item>shared keys in <c>Authentication:Schemes:Bearer</c> (ValidIssuer, ValidAudiences, SigningKeys), the
/// layout <c>dotnet user-jwts</c> writes for development. Those keys are read per configuration version, so
/// a key that <c>dotnet user-jwts create</c> adds to user secrets while the service runs is honoured at once.</item>
/// </list>
/// </summary>
public static partial class BearerAuthentication
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Authentication failed for {Method} {Path}: {Failure} from {ClientAddress}")]
    private static partial void AuthenticationFailed(ILogger logger, string method, string path, string failure, string? clientAddress);

    public const string Section = "Authentication:Schemes:Bearer";

    /// <summary>The default scheme when state providers are configured: forwards each request to the scheme of its token's issuer.</summary>
    public const string SelectorScheme = "Token";

    /// <summary>The scheme of the provider configured under <c>Authentication:Issuers:&lt;name&gt;</c>.</summary>
    public static string IssuerScheme(string name) => $"Issuer:{name}";

    public static IServiceCollection AddBearerAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IdentitySettings>().BindConfiguration(IdentitySettings.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdentitySettings>, IdentitySettingsValidation>();
        var identity = configuration.GetSection(IdentitySettings.SectionName).Get<IdentitySettings>() ?? new IdentitySettings();

        // Which scheme validates a token is decided by its (not yet validated) iss: each state's provider
        // has its own scheme, keys and rules; anything else goes to the Bearer scheme, which refuses what
        // it does not know.
        var schemesByIssuer = identity.Issuers
            .Where(i => i.Value.ExpectedIssuer is { Length: > 0 })
            .ToDictionary(i => i.Value.ExpectedIssuer!, i => IssuerScheme(i.Key), StringComparer.Ordinal);
        // With no state provider configured there is nothing to choose: the Bearer scheme is the default itself, so a
        // request runs one handler, not a forwarding one in front of it (issue 20: ~6 µs of a status poll's CPU).
        var authentication = services.AddAuthentication(schemesByIssuer.Count > 0 ? SelectorScheme : JwtBearerDefaults.AuthenticationScheme)
            .AddPolicyScheme(SelectorScheme, "Bearer token, by issuer", o => o.ForwardDefaultSelector = context =>
                UnvalidatedIssuer(context) is { } iss && schemesByIssuer.TryGetValue(iss, out var scheme)
                    ? scheme
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer();
        foreach (var name in identity.Issuers.Keys) authentication.AddJwtBearer(IssuerScheme(name));

        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IConfiguration, ILoggerFactory, IOptions<IdentitySettings>>((options, configuration, loggers, settings) =>
            {
                Common(options, loggers, settings.Value.Validation, countries: null);
                // Authority or MetadataAddress (bound by the framework from this section): one provider
                // with published keys. Otherwise the development layout of dotnet user-jwts: shared keys.
                if (!string.IsNullOrEmpty(options.Authority) || !string.IsNullOrEmpty(options.MetadataAddress))
                {
                    PublishedKeys(options, settings.Value.Validation);
                    RememberValidatedTokens(options, settings.Value.Validation, sharedKeysVersion: static () => null);
                    return;
                }

                var keys = new ReloadingSettings(configuration);
                RememberValidatedTokens(options, settings.Value.Validation, sharedKeysVersion: () => keys.Current);
                options.TokenValidationParameters.IssuerValidator = (issuer, _, _) =>
                    keys.Current.Issuers.Contains(issuer, StringComparer.Ordinal)
                        ? issuer
                        : throw new SecurityTokenInvalidIssuerException("The token's issuer is not accepted.");
                options.TokenValidationParameters.AudienceValidator = (audiences, _, _) =>
                    audiences.Any(audience => keys.Current.Audiences.Contains(audience, StringComparer.Ordinal));
                options.TokenValidationParameters.IssuerSigningKeyResolver = (_, token, _, _) =>
                    keys.Current.Keys.Where(k => k.Issuer is null || string.Equals(k.Issuer, token.Issuer, StringComparison.Ordinal)).Select(k => k.Key);
                // The framework's own binding of this section leaves IssuerSigningKeys as a lazy read of SigningKeys (each
                // accepted issuer's first key), which the handler's per-request copy of these parameters enumerated: every
                // request re-read the section and decoded its keys (issue 20: ~9% of a 304's request path). IdentityModel tries
                // them only when the resolver finds no key; the same keys now come from the copy read per configuration version.
                options.TokenValidationParameters.IssuerSigningKeys = new CurrentFallbackKeys(keys);
            });

        foreach (var (name, issuer) in identity.Issuers)
        {
            services.AddOptions<JwtBearerOptions>(IssuerScheme(name))
                .Configure<ILoggerFactory, IOptions<IdentitySettings>>((options, loggers, settings) =>
                {
                    var current = settings.Value.Issuers[name];
                    Common(options, loggers, settings.Value.Validation, current.Countries);
                    options.Authority = current.Authority;
                    options.MetadataAddress = current.MetadataAddress!;
                    options.RequireHttpsMetadata = current.RequireHttpsMetadata;
                    options.TokenValidationParameters.ValidIssuer = current.ExpectedIssuer;
                    options.TokenValidationParameters.ValidAudience = current.Audience;
                    PublishedKeys(options, settings.Value.Validation);
                    RememberValidatedTokens(options, settings.Value.Validation, sharedKeysVersion: static () => null);
                });
        }

        // A key the provider withdrew is refused at once: IdentityModel would otherwise keep accepting
        // tokens of its "last known good" configuration for an hour after a rotation, and a provider
        // rotates most urgently after a compromise. (Its metadata stays in use while a refresh fails.)
        services.AddSingleton<IPostConfigureOptions<JwtBearerOptions>, WithoutLastKnownGoodKeys>();

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Officer, p => p.RequireSingleRole("officer"))
            .AddPolicy(Policies.OfficerOrAuditor, p => p.RequireSingleRole("officer", "auditor"))
            .AddPolicy(Policies.Auditor, p => p.RequireSingleRole("auditor"))
            .AddPolicy(Policies.OfficerOrPartner, p => p.RequireSingleRole("officer", "partner"))
            .AddPolicy(Policies.AnyRole, p => p.RequireSingleRole(CaseRoles))
            .AddPolicy(Policies.Reports, p => p.RequireSingleRole("officer", "auditor", "reporter"))
            // An endpoint mapped without a policy (or AllowAnonymous) is closed, not open: it needs a
            // caller with one known role. A request that matched no endpoint is left to routing (404).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAssertion(context => (context.Resource is HttpContext http && http.GetEndpoint() is null) || HasSingleRole(context.User, AllRoles))
                .Build());
        return services;
    }

    /// <summary>The roles that work with cases. A reporter (a minister's office) is known but reads only the reports.</summary>
    private static readonly string[] CaseRoles = ["officer", "partner", "auditor"];

    private static readonly string[] AllRoles = [.. CaseRoles, "reporter"];

    /// <summary>
    /// One of these roles, and exactly one role claim: a token carrying two roles is refused (403)
    /// rather than read as either of them.
    /// </summary>
    private static AuthorizationPolicyBuilder RequireSingleRole(this AuthorizationPolicyBuilder policy, params string[] roles) =>
        policy.RequireRole(roles).RequireAssertion(context => HasSingleRole(context.User, roles));

    /// <summary>Exactly one role claim, and one of <paramref name="roles"/>: counted without a list per request.</summary>
    private static bool HasSingleRole(System.Security.Claims.ClaimsPrincipal user, string[] roles)
    {
        if (user.Identity?.IsAuthenticated != true) return false;
        System.Security.Claims.Claim? only = null;
        foreach (var claim in user.FindAll("role"))
        {
            if (only is not null) return false;
            only = claim;
        }

        return only is not null && roles.Contains(only.Value, StringComparer.Ordinal);
    }

    /// <summary>What every scheme shares: claim names, a subject required, clock skew, and who failed how (never the token).</summary>
    private static void Common(JwtBearerOptions options, ILoggerFactory loggers, TokenSettings tokens, IReadOnlyCollection<string>? countries)
    {
        var logger = loggers.CreateLogger("ExtraditionCases.Authentication");
        options.MapInboundClaims = false;
        // Nothing reads the token back from the authentication properties (GetTokenAsync): not kept per request.
        options.SaveToken = false;
        options.TokenValidationParameters.NameClaimType = "sub";
        options.TokenValidationParameters.RoleClaimType = "role";
        options.TokenValidationParameters.ValidateIssuer = true;
        options.TokenValidationParameters.ValidateAudience = true;
        options.TokenValidationParameters.ValidateLifetime = true;
        options.TokenValidationParameters.RequireExpirationTime = true;
        options.TokenValidationParameters.ValidateIssuerSigningKey = true;
        options.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(tokens.ClockSkewSeconds);
        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                // A token without a subject identifies nobody: histories, idempotency keys and rate
                // limits are all per issuer + subject.
                if (string.IsNullOrWhiteSpace(context.Principal?.FindFirst("sub")?.Value))
                {
                    context.Fail("The token has no sub claim.");
                }
                else if (countries is not null && context.Principal!.FindAll("country").ToList() is var claimed
                    && (claimed.Count > 1 || (claimed is [var one] && !countries.Contains(one.Value.ToUpperInvariant(), StringComparer.Ordinal))))
                {
                    // A state's provider speaks for its own officers only.
                    context.Fail("The token claims a country its issuer may not vouch for.");
                }

                return Task.CompletedTask;
            },
            OnAuthenticationFailed = context =>
            {
                AuthenticationFailed(logger, context.Request.Method, context.Request.Path, context.Exception.GetType().Name,
                    context.HttpContext.Connection.RemoteIpAddress?.ToString());
                return Task.CompletedTask;
            },
        };
    }

    /// <summary>
    /// Puts <see cref="RememberedTokens"/> in front of the scheme's token handler. <paramref name="sharedKeysVersion"/> names
    /// the shared keys' configuration version; a provider's published keys are tracked through its metadata instead.
    /// </summary>
    /// <remarks>
    /// Runs after <see cref="Common"/>: <c>JwtBearerOptions.MapInboundClaims</c> reaches only the framework's own handler,
    /// so it must be set before that handler is wrapped.
    /// </remarks>
    private static void RememberValidatedTokens(JwtBearerOptions options, TokenSettings tokens, Func<object?> sharedKeysVersion)
    {
        if (tokens.RememberedTokens == 0) return;
        var handlers = options.TokenHandlers.Select(h => h is RememberedTokens ? h : new RememberedTokens(h, sharedKeysVersion, tokens.RememberedTokens, TimeProvider.System)).ToList();
        options.TokenHandlers.Clear();
        foreach (var handler in handlers) options.TokenHandlers.Add(handler);
    }

    /// <summary>
    /// Keys from the provider's JWKS (fetched with its metadata, refetched when a token names a key
    /// it does not know, as after a rotation); asymmetric algorithms only; a bounded token lifetime.
    /// </summary>
    private static void PublishedKeys(JwtBearerOptions options, TokenSettings tokens)
    {
        options.RefreshOnIssuerKeyNotFound = true;
        options.TokenValidationParameters.ValidAlgorithms = tokens.Algorithms;
        if (tokens.ValidTypes.Count > 0) options.TokenValidationParameters.ValidTypes = tokens.ValidTypes;
        var maxLifetime = TimeSpan.FromMinutes(tokens.MaxLifetimeMinutes);
        var previous = options.Events.OnTokenValidated;
        options.Events.OnTokenValidated = async context =>
        {
            await previous(context);
            if (context.Result is { Failure: not null }) return;
            if (context.SecurityToken is JsonWebToken token)
            {
                var from = token.IssuedAt > DateTime.MinValue ? token.IssuedAt : token.ValidFrom;
                if (from == DateTime.MinValue || token.ValidTo - from > maxLifetime)
                    context.Fail("The token's lifetime is longer than this service accepts.");
            }
        };
    }

    /// <summary>
    /// The <c>iss</c> of the bearer token, read without validating it: only to pick the scheme that will.
    /// Reads the payload's top-level <c>iss</c> string and nothing else (no claim set, no handler per request);
    /// anything malformed picks no scheme here and is refused by the default one.
    /// </summary>
    internal static string? UnvalidatedIssuer(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        return IssuerOf(header.AsSpan("Bearer ".Length).Trim());
    }

    /// <summary>The <c>iss</c> member of a compact JWS's payload, or null.</summary>
    internal static string? IssuerOf(ReadOnlySpan<char> token)
    {
        var first = token.IndexOf('.');
        if (first < 0) return null;
        var rest = token[(first + 1)..];
        var second = rest.IndexOf('.');
        if (second < 0) return null;
        var payload = rest[..second];
        if (payload.Length > 16 * 1024) return null;
        var bytes = System.Buffers.ArrayPool<byte>.Shared.Rent(System.Buffers.Text.Base64Url.GetMaxDecodedLength(payload.Length));
        try
        {
            if (System.Buffers.Text.Base64Url.DecodeFromChars(payload, bytes, out _, out var written) != System.Buffers.OperationStatus.Done) return null;
            var reader = new System.Text.Json.Utf8JsonReader(bytes.AsSpan(0, written));
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
            {
                var isIssuer = reader.ValueTextEquals("iss"u8);
                if (!reader.Read()) return null;
                if (isIssuer) return reader.TokenType == System.Text.Json.JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }

            return null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private static string[] ValidIssuers(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var issuers = section.GetSection("ValidIssuers").Get<string[]>() ?? [];
        // An empty issuer is never accepted (start-up refuses it too: IdentitySettingsValidation).
        return [.. (section["ValidIssuer"] is { } single ? [.. issuers, single] : issuers).Where(i => !string.IsNullOrWhiteSpace(i))];
    }

    private static string[] ValidAudiences(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var audiences = section.GetSection("ValidAudiences").Get<string[]>() ?? [];
        return section["ValidAudience"] is { } single ? [.. audiences, single] : audiences;
    }

    private sealed record IssuerKey(string? Issuer, SecurityKey Key);

    /// <param name="FallbackKeys">What the framework's binding of the section offers when the resolver finds nothing.</param>
    private sealed record Settings(string[] Issuers, string[] Audiences, IssuerKey[] Keys, SecurityKey[] FallbackKeys);

    /// <summary>The current configuration version's fallback keys, enumerated afresh so a reload is seen at once.</summary>
    private sealed class CurrentFallbackKeys(ReloadingSettings settings) : IEnumerable<SecurityKey>
    {
        public IEnumerator<SecurityKey> GetEnumerator() => ((IEnumerable<SecurityKey>)settings.Current.FallbackKeys).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

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

        private Settings Read() =>
            new(ValidIssuers(_configuration), ValidAudiences(_configuration), [.. SigningKeys(_configuration)], [.. FallbackKeys(_configuration)]);
    }

    /// <summary>
    /// As ASP.NET Core's JwtBearerConfigureOptions reads them: for each issuer named in the section, the first
    /// SigningKeys entry of that issuer, when it has a value (one that is not base64 is left out here, where the
    /// framework's read threw on every request).
    /// </summary>
    private static IEnumerable<SecurityKey> FallbackKeys(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var issuers = section.GetSection("ValidIssuers").GetChildren().Select(i => i.Value).ToList();
        if (section["ValidIssuer"] is { } single) issuers.Add(single);
        var entries = section.GetSection("SigningKeys").GetChildren().ToList();
        foreach (var issuer in issuers)
        {
            if (entries.FirstOrDefault(k => k["Issuer"] == issuer)?["Value"] is not { } value) continue;
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                continue;
            }

            yield return new SymmetricSecurityKey(bytes);
        }
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

/// <summary>Runs after the framework's own post-configuration, which creates the configuration manager.</summary>
internal sealed class WithoutLastKnownGoodKeys : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions options)
    {
        if (options.ConfigurationManager is Microsoft.IdentityModel.Tokens.BaseConfigurationManager manager) manager.UseLastKnownGoodConfiguration = false;
    }
}
