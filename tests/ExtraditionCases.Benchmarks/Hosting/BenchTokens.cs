using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ExtraditionCases.Benchmarks.Hosting;

/// <summary>A signing key made for this run only (nothing in the repository), and tokens signed with it.</summary>
internal sealed class BenchTokens
{
    public const string Issuer = "extradition-cases-benchmark";
    public const string Audience = "http://127.0.0.1";

    private readonly SymmetricSecurityKey _key;

    public BenchTokens()
    {
        Key = RandomNumberGenerator.GetBytes(32);
        _key = new SymmetricSecurityKey(Key);
        OfficerPk = Mint("officer", "PK", "MOI", "bench-officer-PK");
        OfficerGb = Mint("officer", "GB", "NCA", "bench-officer-GB");
        PartnerPk = Mint("partner", "PK", "FIA", "bench-partner-PK");
        Auditor = Mint("auditor", "GB", "AUDIT", "bench-auditor");
        ReporterPk = Mint("reporter", "PK", "MINISTER", "bench-reporter-PK");
    }

    public byte[] Key { get; }
    public string OfficerPk { get; }
    public string OfficerGb { get; }
    public string PartnerPk { get; }
    public string Auditor { get; }
    public string ReporterPk { get; }

    /// <summary>The service's JWT settings as environment variables (the ASP.NET Core layout its tests use).</summary>
    public Dictionary<string, string> Environment() => new(StringComparer.Ordinal)
    {
        ["Authentication__Schemes__Bearer__ValidIssuer"] = Issuer,
        ["Authentication__Schemes__Bearer__ValidAudiences__0"] = Audience,
        ["Authentication__Schemes__Bearer__SigningKeys__0__Issuer"] = Issuer,
        ["Authentication__Schemes__Bearer__SigningKeys__0__Value"] = Convert.ToBase64String(Key),
    };

    private string Mint(string role, string country, string agency, string subject)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Claims = new Dictionary<string, object> { ["role"] = role, ["country"] = country, ["agency"] = agency, ["sub"] = subject },
            NotBefore = now.AddMinutes(-5),
            IssuedAt = now.AddMinutes(-5),
            Expires = now.AddHours(6),
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
    }
}
