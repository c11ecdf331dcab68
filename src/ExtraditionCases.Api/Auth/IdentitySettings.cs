using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Api.Auth;

/// <summary>
/// One identity provider (one per state), under <c>Authentication:Issuers:&lt;name&gt;</c>: where its
/// OpenID Connect metadata is, the audience its tokens must carry, and the countries its tokens may
/// claim. Its signing keys come from its JWKS and follow its rotation.
/// </summary>
public sealed class IssuerSettings
{
    /// <summary>The provider's base address; its metadata is at <c>/.well-known/openid-configuration</c> below it.</summary>
    public string? Authority { get; set; }

    /// <summary>The metadata document's address, when it is not under <see cref="Authority"/>.</summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The <c>iss</c> its tokens carry, when it differs from <see cref="Authority"/> (ADFS, for one).</summary>
    public string? Issuer { get; set; }

    public string? Audience { get; set; }

    /// <summary>ISO 3166-1 alpha-2 codes this provider's tokens may claim as <c>country</c>; any other is 401.</summary>
    public List<string> Countries { get; set; } = [];

    /// <summary>Only a test provider on the loopback may serve its metadata over plain HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The <c>iss</c> tokens of this provider carry.</summary>
    public string? ExpectedIssuer => Issuer is { Length: > 0 } issuer ? issuer : Authority?.TrimEnd('/');
}

/// <summary>Token rules for every provider that publishes its keys (<c>Authentication:Validation</c>).</summary>
public sealed class TokenSettings
{
    /// <summary>Asymmetric algorithms only: a provider's public keys can verify, never mint.</summary>
    public List<string> ValidAlgorithms { get; set; } = [];

    /// <summary>Accepted <c>typ</c> header values (for example <c>at+jwt</c>); empty accepts any.</summary>
    public List<string> ValidTypes { get; set; } = [];

    public int ClockSkewSeconds { get; set; } = 60;

    /// <summary>A token valid for longer than this (from <c>iat</c>, else <c>nbf</c>, to <c>exp</c>) is refused.</summary>
    public int MaxLifetimeMinutes { get; set; } = 24 * 60;

    /// <summary>
    /// Validated tokens each scheme remembers, so that a token polled with again is not verified again (see
    /// <see cref="Auth.RememberedTokens"/>); 0 verifies every request's token afresh. For every scheme.
    /// </summary>
    public int RememberedTokens { get; set; } = 4096;

    public static readonly string[] DefaultAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];

    public static readonly HashSet<string> Asymmetric = new(StringComparer.Ordinal)
    {
        "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512",
    };

    public IReadOnlyList<string> Algorithms => ValidAlgorithms.Count > 0 ? ValidAlgorithms : DefaultAlgorithms;
}

/// <summary>The <c>Authentication</c> section as this service reads it.</summary>
public sealed class IdentitySettings
{
    public const string SectionName = "Authentication";

    public Dictionary<string, IssuerSettings> Issuers { get; set; } = new(StringComparer.Ordinal);

    public TokenSettings Validation { get; set; } = new();
}

/// <summary>
/// Refuses to start on settings that would silently accept the wrong tokens or none: an empty or
/// placeholder issuer, a provider without metadata or audience, a symmetric algorithm for a
/// published-key provider, a country that is not a code.
/// </summary>
public sealed class IdentitySettingsValidation(IConfiguration configuration) : IValidateOptions<IdentitySettings>
{
    public ValidateOptionsResult Validate(string? name, IdentitySettings options)
    {
        var failures = new List<string>();
        foreach (var (issuerName, issuer) in options.Issuers)
        {
            var at = $"{IdentitySettings.SectionName}:Issuers:{issuerName}";
            if (Blank(issuer.Authority) && Blank(issuer.MetadataAddress))
                failures.Add($"{at} needs Authority or MetadataAddress.");
            foreach (var (key, value) in new[] { ("Authority", issuer.Authority), ("MetadataAddress", issuer.MetadataAddress) })
            {
                if (value is not null && (Placeholder(value) || !Uri.TryCreate(value, UriKind.Absolute, out _)))
                    failures.Add($"{at}:{key} is not an absolute address: '{value}'.");
            }

            if (Blank(issuer.ExpectedIssuer) || Placeholder(issuer.ExpectedIssuer!))
                failures.Add($"{at} has no issuer: set Issuer, or Authority when it equals the tokens' iss.");
            if (Blank(issuer.Audience) || Placeholder(issuer.Audience!))
                failures.Add($"{at}:Audience is empty.");
            if (issuer.Countries.Count == 0)
                failures.Add($"{at}:Countries is empty: list the countries its tokens may claim.");
            foreach (var country in issuer.Countries.Where(c => !Application.Features.Cases.Countries.IsIso3166Alpha2(c)))
                failures.Add($"{at}:Countries holds '{country}', not an ISO 3166-1 alpha-2 code.");
        }

        foreach (var duplicate in options.Issuers.GroupBy(i => i.Value.ExpectedIssuer, StringComparer.Ordinal).Where(g => g.Key is not null && g.Count() > 1))
            failures.Add($"Issuers {string.Join(", ", duplicate.Select(d => d.Key))} share the issuer '{duplicate.Key}'.");

        foreach (var algorithm in options.Validation.Algorithms.Where(a => !TokenSettings.Asymmetric.Contains(a)))
            failures.Add($"{IdentitySettings.SectionName}:Validation:ValidAlgorithms holds '{algorithm}': only asymmetric algorithms (RS, PS, ES) are accepted for published keys.");
        if (options.Validation.ClockSkewSeconds is < 0 or > 300)
            failures.Add($"{IdentitySettings.SectionName}:Validation:ClockSkewSeconds must be 0-300.");
        if (options.Validation.MaxLifetimeMinutes < 1)
            failures.Add($"{IdentitySettings.SectionName}:Validation:MaxLifetimeMinutes must be positive.");
        if (options.Validation.RememberedTokens is < 0 or > 100_000)
            failures.Add($"{IdentitySettings.SectionName}:Validation:RememberedTokens must be 0-100000.");

        // The single-provider settings of the framework's own section.
        var bearer = configuration.GetSection(BearerAuthentication.Section);
        foreach (var (key, value) in new[] { ("ValidIssuer", bearer["ValidIssuer"]), ("Authority", bearer["Authority"]), ("MetadataAddress", bearer["MetadataAddress"]) })
        {
            if (value is not null && (Blank(value) || Placeholder(value)))
                failures.Add($"{BearerAuthentication.Section}:{key} is empty or a placeholder ('{value}'): remove it or set it.");
        }

        foreach (var issuer in bearer.GetSection("ValidIssuers").GetChildren())
        {
            if (Blank(issuer.Value) || Placeholder(issuer.Value!))
                failures.Add($"{issuer.Path} is empty or a placeholder.");
        }

        if (options.Issuers.Count == 0 && Blank(bearer["Authority"]) && Blank(bearer["MetadataAddress"])
            && Blank(bearer["ValidIssuer"]) && !bearer.GetSection("ValidIssuers").GetChildren().Any())
        {
            failures.Add($"No token issuer is configured: set {IdentitySettings.SectionName}:Issuers:<name> (one per state), or {BearerAuthentication.Section}:Authority, or ValidIssuer with SigningKeys.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool Blank(string? value) => string.IsNullOrWhiteSpace(value);

    internal static bool Placeholder(string value) => value.Contains("<set-me", StringComparison.OrdinalIgnoreCase);
}
