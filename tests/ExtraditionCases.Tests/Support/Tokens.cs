using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Tests.Support;

/// <summary>Mints tokens the way dotnet user-jwts does, signed with the test host's key.</summary>
public static class Tokens
{
    public const string Issuer = "extradition-cases-tests";
    public const string Audience = "http://localhost:5080";
    public static readonly byte[] Key = Convert.FromBase64String("bGV0LXRoZS10ZXN0cy1zaWduLXRva2Vucy13aXRoLXRoaXM=");

    public static string Officer(string country, string subject = "officer-1", string agency = "MOI") =>
        Mint(new() { ["role"] = "officer", ["country"] = country, ["agency"] = agency, ["sub"] = $"{subject}-{country}" });

    public static string Partner(string country) =>
        Mint(new() { ["role"] = "partner", ["country"] = country, ["agency"] = "PARTNER", ["sub"] = $"partner-{country}" });

    public static string Auditor(string country = "GB") =>
        Mint(new() { ["role"] = "auditor", ["country"] = country, ["agency"] = "AUDIT", ["sub"] = "auditor-1" });

    public static string Mint(Dictionary<string, object> claims, byte[]? key = null, string issuer = Issuer, string audience = Audience,
        DateTime? expires = null, DateTime? notBefore = null)
    {
        var handler = new JsonWebTokenHandler();
        var now = DateTime.UtcNow;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            NotBefore = notBefore ?? now.AddMinutes(-5),
            IssuedAt = notBefore ?? now.AddMinutes(-5),
            Expires = expires ?? now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key ?? Key), SecurityAlgorithms.HmacSha256),
        });
    }
}
