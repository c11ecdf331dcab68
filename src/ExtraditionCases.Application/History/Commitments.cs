using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ExtraditionCases.Application.History;

/// <summary>
/// What stays with one state enters the shared chain only as a salted SHA-256 commitment: SHA-256 of
/// the 32 salt bytes followed by the UTF-8 RFC 8785 form of the content. The salt keeps a short value
/// ("asylum claim lodged") from being guessed by hashing candidates; erasing salt and content leaves the
/// commitment, and so every hash of the chain, as it was.
/// </summary>
public static class Commitments
{
    public sealed record Commitment(string Salt, string Value);

    public static Commitment Commit(JsonNode content)
    {
        var salt = RandomNumberGenerator.GetBytes(32);
        return new Commitment(Convert.ToHexStringLower(salt), Compute(salt, content));
    }

    public static bool Verify(string salt, JsonNode content, string commitment) =>
        string.Equals(Compute(Convert.FromHexString(salt), content), commitment, StringComparison.Ordinal);

    private static string Compute(byte[] salt, JsonNode content)
    {
        var canonical = Encoding.UTF8.GetBytes(Jcs.Canonicalize(content));
        return Convert.ToHexStringLower(SHA256.HashData([.. salt, .. canonical]));
    }
}
