using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Api.Auth;

/// <summary>
/// A scheme's token handler that remembers the bearer tokens it has validated, so that a partner polling with the same
/// token thousands of times has its signature checked once, not on every poll (issue 20: a published RS256 or ES256 key
/// costs several times the benchmark's HS256; see docs/benchmarks.md).
/// </summary>
/// <remarks>
/// What a remembered token is still held to, on every request:
/// <list type="bullet">
/// <item>the exact token text (ordinal; nothing derived from it is trusted);</item>
/// <item>its lifetime, with the parameters' clock skew, as IdentityModel checks it (on <paramref name="clock"/>: the system
/// clock in the service, which is what IdentityModel reads; its own time provider is not settable);</item>
/// <item>the keys it was validated with: an entry counts only under the same key set (the provider's metadata object,
/// which a refresh or a rotation replaces, or the configuration version of the shared development keys), so a
/// withdrawn key is refused as soon as it would be without this handler;</item>
/// <item>everything the scheme's <c>OnTokenValidated</c> checks (subject, countries, maximum lifetime), which runs
/// per request after this.</item>
/// </list>
/// Only valid tokens are remembered: a refused token is validated again each time, so nobody can fill the memory with
/// garbage, and at most <see cref="Capacity"/> tokens are kept (all forgotten when it is reached). Each request gets its
/// own copy of the claims, never the remembered instance.
/// </remarks>
internal sealed class RememberedTokens(TokenHandler inner, Func<object?> sharedKeysVersion, int capacity, TimeProvider clock) : TokenHandler
{
    private readonly ConcurrentDictionary<string, Remembered> _tokens = new(StringComparer.Ordinal);

    public int Capacity => capacity;

    /// <summary>How many tokens are remembered now (for tests).</summary>
    public int Count => _tokens.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var keys = await KeySetAsync(validationParameters);
        if (_tokens.TryGetValue(token, out var remembered))
        {
            if (ReferenceEquals(remembered.Keys, keys) && remembered.LiveAt(clock.GetUtcNow().UtcDateTime, validationParameters.ClockSkew)) return remembered.Result();
            _tokens.TryRemove(KeyValuePair.Create(token, remembered));
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is JsonWebToken validated && result.ClaimsIdentity is { } identity)
        {
            if (_tokens.Count >= capacity) _tokens.Clear();
            _tokens[token] = new Remembered(keys, validated, identity.Clone());
        }

        return result;
    }

    /// <summary>
    /// The key set the token is checked against: the provider's current metadata (the object IdentityModel itself
    /// validates with; a refresh replaces it), or, for the shared keys of the development layout, their configuration version.
    /// </summary>
    private async ValueTask<object?> KeySetAsync(TokenValidationParameters parameters) =>
        parameters.ConfigurationManager is { } provider
            ? await provider.GetBaseConfigurationAsync(CancellationToken.None)
            : sharedKeysVersion();

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private sealed class Remembered
    {
        private readonly JsonWebToken _token;
        private readonly ClaimsIdentity _identity;
        private readonly DateTime _notBefore;
        private readonly DateTime _expires;

        public Remembered(object? keys, JsonWebToken token, ClaimsIdentity identity)
        {
            Keys = keys;
            _token = token;
            _identity = identity;
            // Read once here, before the token is shared between requests: its lazily parsed members are then settled.
            _notBefore = token.ValidFrom;
            _expires = token.ValidTo;
            _ = (token.IssuedAt, token.Issuer, token.Audiences.Count(), token.Subject, token.Typ);
        }

        public object? Keys { get; }

        /// <summary>As IdentityModel's lifetime rule: not before <c>nbf</c> minus the skew, not after <c>exp</c> plus it.</summary>
        public bool LiveAt(DateTime now, TimeSpan skew) =>
            (_notBefore == DateTime.MinValue || _notBefore <= now + skew)
            && _expires != DateTime.MinValue && now - skew <= _expires;

        public TokenValidationResult Result() => new()
        {
            IsValid = true,
            SecurityToken = _token,
            ClaimsIdentity = _identity.Clone(),
            Issuer = _token.Issuer,
            TokenType = _token.Typ,
        };
    }
}
