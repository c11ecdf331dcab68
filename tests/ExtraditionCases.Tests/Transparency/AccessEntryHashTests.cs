using System.Security.Cryptography;
using System.Text;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Transparency;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>
/// The access leaf's hash is written straight in canonical form for speed; it must stay the RFC 8785 form of the
/// entry's JSON object, or every leaf stored before would stop verifying.
/// </summary>
public sealed class AccessEntryHashTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 1, 9, 30, 15, 123, TimeSpan.Zero);

    private static IEnumerable<AccessEntry> Entries()
    {
        yield return new(At, "bench-partner-PK", Caller.Partner, "PK", Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), "GET",
            "/api/v1/cases/{id:guid}/status", 304, "0af7651916cd43dd8448eb211c80319c", "127.0.0.1", Issuer: "https://login.example/pk");
        yield return new(At.AddTicks(9_999), null, null, null, null, "OTHER", "/api/v1/cases", 401, null, null, Count: 57);
        // Every script and every character JCS escapes (quote, backslash, the named controls, the other controls) or leaves as it is.
        yield return new(At.AddHours(-5).ToOffset(TimeSpan.FromHours(5)), "افسر \"۱\" \\ Ali\tKhan\n\r\b\f\u0001\u001f\u007f\u2028 😀", Caller.Officer, "GB", null,
            "HEAD", "/api/v1/search", 200, "t", "2001:db8::1", CaseIds: [Guid.Empty, Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff")], Issuer: "ü");
        yield return new(At, "s", Caller.Auditor, null, null, "GET", "/api/v1/changes", 200, null, null, CaseIds: []);
    }

    [TestCaseSource(nameof(Entries))]
    public void The_hash_is_sha256_of_the_canonical_form_of_the_entrys_json_object(AccessEntry entry)
    {
        var definition = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Jcs.Canonicalize(AccessEntryHash.CanonicalTree(entry)))));
        Assert.That(AccessEntryHash.Of(entry), Is.EqualTo(definition));
    }

    [Test]
    public void A_stored_leaf_keeps_its_hash()
    {
        // Pinned from the implementation that built the JSON tree (before issue 20's sixth round): leaves stored then must still verify.
        Assert.That(AccessEntryHash.Of(Entries().First()), Is.EqualTo(PinnedHash));
    }

    private const string PinnedHash = "e54bd6ece7fbbb66582fc8b04ad113a18d49bcbf0538e47a202002bc976c9afd";
}
