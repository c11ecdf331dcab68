using System.Security.Cryptography;
using System.Text;
using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Api.Http;

public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The request's key (1-255 visible ASCII characters) and a fingerprint of method, target and body.</summary>
    public static Idempotency? From(HttpRequest request, byte[] body)
    {
        if (!request.Headers.TryGetValue(Header, out var values)) return null;
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > 255 || key.Any(c => c is < '!' or > '~'))
            throw BadRequestException.For(Header, "Must be 1 to 255 visible ASCII characters.");

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}\n"));
        hash.AppendData(body);
        return new Idempotency(key, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
