using System.Text;
using ExtraditionCases.Api.Auth;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The scheme selector reads only the payload's top-level iss (issue 20: no token handler and claim set per
/// request); anything it cannot read picks no provider, and the default scheme then refuses the token.
/// </summary>
public class UnvalidatedIssuerTests
{
    private static string Segment(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Token(string payload) => $"{Segment("""{"alg":"RS256","typ":"JWT"}""")}.{Segment(payload)}.c2ln";

    [Test]
    public void Reads_the_top_level_iss_wherever_it_stands()
    {
        Assert.That(BearerAuthentication.IssuerOf(Token("""{"iss":"https://idp.pk.example"}""")), Is.EqualTo("https://idp.pk.example"));
        Assert.That(BearerAuthentication.IssuerOf(Token("""{"sub":"a","nested":{"iss":"inner"},"aud":["x"],"iss":"https://idp.gb.example/\u00e9"}""")),
            Is.EqualTo("https://idp.gb.example/é"));
    }

    [TestCase("""{"sub":"a","nested":{"iss":"inner"}}""")]
    [TestCase("""{"iss":42}""")]
    [TestCase("""{"iss":null}""")]
    [TestCase("""["iss","x"]""")]
    [TestCase("""{"iss":"unterminated""")]
    public void A_payload_without_a_readable_top_level_iss_names_no_issuer(string payload) =>
        Assert.That(BearerAuthentication.IssuerOf(Token(payload)), Is.Null);

    [TestCase("")]
    [TestCase("no-dots-at-all")]
    [TestCase("one.dot")]
    [TestCase("a.!!!not-base64!!!.c")]
    public void A_malformed_token_names_no_issuer(string token) => Assert.That(BearerAuthentication.IssuerOf(token), Is.Null);
}
