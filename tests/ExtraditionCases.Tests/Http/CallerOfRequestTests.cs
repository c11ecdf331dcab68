using System.Security.Claims;
using ExtraditionCases.Api.Http;
using Microsoft.AspNetCore.Http;

namespace ExtraditionCases.Tests.Http;

/// <summary>The caller is made once per request (issue 20: the endpoint and the access log both need it), for the request's current user.</summary>
public class CallerOfRequestTests
{
    private static ClaimsPrincipal User(string subject, string role, string country) => new(new ClaimsIdentity(
        [new Claim("sub", subject, null, "issuer-a"), new Claim("role", role), new Claim("country", country), new Claim("agency", "MOI")], "Bearer", "sub", "role"));

    [Test]
    public void Made_once_for_the_same_user_and_anew_when_the_user_is_replaced()
    {
        var context = new DefaultHttpContext { User = User("officer-1", "officer", "pk") };

        var first = Callers.Of(context);
        var again = Callers.Of(context);
        context.User = User("auditor-1", "auditor", "GB");
        var replaced = Callers.Of(context);

        Assert.Multiple(() =>
        {
            Assert.That(first, Is.EqualTo(Callers.From(User("officer-1", "officer", "pk"))));
            Assert.That(first.Country, Is.EqualTo("PK"));
            Assert.That(again, Is.SameAs(first));
            Assert.That(replaced, Is.EqualTo(Callers.From(context.User)));
            Assert.That(replaced.Role, Is.EqualTo("auditor"));
        });
    }
}
