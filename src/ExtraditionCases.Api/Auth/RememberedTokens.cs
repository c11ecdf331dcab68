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
/// <item>its lifetime (<c>nbf</c>, <c>exp</c>) and, when its key is a certificate, the certificate's validity, with the
/// parameters' clock skew, as IdentityModel checks them (on <paramref name="clock"/>: the system clock in the service,
/// which is what IdentityModel reads; its own time provider is not settable);</item>
/// <item>the key set current when it was validated: an entry counts only under the same one (the provider's metadata
/// object, which a refresh or a rotation replaces, or the configuration version of the shared development keys), so a
/// withdrawn key is refused as soon as it would be without this handler;</item>
/// <item>everything the scheme's <c>OnTokenValidated</c> checks (subject, countries, maximum lifetime), which runs
/// per request after this.</item>
/// </list>
/// Only tokens whose signature and claims IdentityModel accepted are remembered, and none longer than
/// <see cref="MaxTokenLength"/>: a refused token is validated again each time, so nobody can fill the memory with
/// garbage. At most <paramref name="capacity"/> are kept (the expired ones forgotten when it is reached, all of them if none
/// had expired). Each request gets its own copy of the claims, never the remembered instance. When the key set cannot
/// be known (the provider's metadata cannot be fetched), nothing is answered from memory.
/// </remarks>
internal sealed class RememberedTokens(TokenHandler inner, Func<object?> sharedKeysVersion, int capacity, TimeProvider clock) : TokenHandler
{
    /// <summary>Longer tokens are validated every time: a signed token of Kestrel's whole header limit is not worth keeping.</summary>
    public const int MaxTokenLength = 8 * 1024;

    private readonly ConcurrentDictionary<string, Remembered> _tokens = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>How many tokens are remembered now (for tests).</summary>
    public int Count => _tokens.Count;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var keys = await KeySetAsync(validationParameters);
        if (keys is null) return await inner.ValidateTokenAsync(token, validationParameters);

        if (_tokens.TryGetValue(token, out var remembered))
        {
            if (ReferenceEquals(remembered.Keys, keys) && remembered.LiveAt(clock.GetUtcNow().UtcDateTime, validationParameters.ClockSkew)) return remembered.Result();
            Forget(token, remembered);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && token.Length <= MaxTokenLength && result.SecurityToken is JsonWebToken validated && result.ClaimsIdentity is { } identity)
            Remember(token, new Remembered(keys, validated, identity.Clone()));
        return result;
    }

    private void Remember(string token, Remembered remembered)
    {
        if (Volatile.Read(ref _count) >= capacity) MakeRoom();
        if (_tokens.TryAdd(token, remembered)) Interlocked.Increment(ref _count);
    }

    private void Forget(string token, Remembered remembered)
    {
        if (_tokens.TryRemove(KeyValuePair.Create(token, remembered))) Interlocked.Decrement(ref _count);
    }

    /// <summary>The expired go first; when none had, everything (a client minting a token per call empties it, no worse).</summary>
    private void MakeRoom()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (token, remembered) in _tokens)
        {
            if (!remembered.LiveAt(now, TimeSpan.Zero)) Forget(token, remembered);
        }

        if (Volatile.Read(ref _count) < capacity) return;
        foreach (var (token, remembered) in _tokens) Forget(token, remembered);
    }

    /// <summary>
    /// The key set the token is checked against: the provider's current metadata (the object IdentityModel itself
    /// validates with; a refresh replaces it), or, for the shared keys of the development layout, their configuration
    /// version. Null when it cannot be known: the metadata cannot be fetched (IdentityModel then reports that failure
    /// itself), or a scheme has neither.
    /// </summary>
    private async ValueTask<object?> KeySetAsync(TokenValidationParameters parameters)
    {
        if (parameters.ConfigurationManager is not { } provider) return sharedKeysVersion();
        try
        {
            return await provider.GetBaseConfigurationAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private sealed class Remembered
    {
        private readonly JsonWebToken _token;
        private readonly ClaimsIdentity _identity;
        private readonly DateTime _notBefore;
        private readonly DateTime _expires;

        public Remembered(object keys, JsonWebToken token, ClaimsIdentity identity)
        {
            Keys = keys;
            _token = token;
            _identity = identity;
            // Read once here, before the token is shared between requests: its lazily parsed members are then settled.
            _notBefore = token.ValidFrom;
            _expires = token.ValidTo;
            _ = (token.IssuedAt, token.Issuer, token.Audiences.Count(), token.Subject, token.Typ);
            // A certificate's validity is checked as the token's lifetime is (ValidateIssuerSigningKey): the narrower window holds.
            if (token.SigningKey is X509SecurityKey { Certificate: { } certificate })
            {
                var (from, to) = (certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
                if (from > _notBefore) _notBefore = from;
                if (to < _expires) _expires = to;
            }
        }

        public object Keys { get; }

        /// <summary>As IdentityModel's rules: not before <c>nbf</c> minus the skew, not after <c>exp</c> plus it.</summary>
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
