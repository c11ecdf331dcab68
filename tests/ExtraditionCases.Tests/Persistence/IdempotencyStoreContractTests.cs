using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What <see cref="IIdempotencyStore"/> promises, on every provider at hand: a caller's key is exact
/// (SQL Server's default collation would take "abc" for "ABC"), a response is kept until its expiry
/// instant, a save joins the write's transaction, an expired key may be used again, and the purge
/// removes expired keys only. Each test keeps to subjects of its own; the purge test to instants in 2001,
/// before any other test's key expires.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class IdempotencyStoreContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    [Test]
    public async Task The_same_subject_and_key_from_another_issuer_is_another_caller()
    {
        var subject = Subject();
        const string otherIssuer = "https://idp.nca.gov.uk";
        var mine = Response("""{"state":"Draft"}""");
        var theirs = Response("""{"state":"Lodged"}""");
        await SaveAsync(subject, "shared-key", mine, Now);

        var seenByOther = await FindAsync(subject, "shared-key", Now, otherIssuer);
        await SaveAsync(subject, "shared-key", theirs, Now, otherIssuer);
        var issuers = await QueryAsync<string>("SELECT Issuer FROM IdempotencyKeys WHERE Subject = @Subject ORDER BY Issuer", new { Subject = subject });

        Assert.Multiple(async () =>
        {
            Assert.That(seenByOther, Is.Null, "another issuer's caller does not see this response");
            Assert.That(await FindAsync(subject, "shared-key", Now), Is.EqualTo(mine));
            Assert.That(await FindAsync(subject, "shared-key", Now, otherIssuer), Is.EqualTo(theirs));
            Assert.That(issuers, Is.EqualTo(new[] { Issuer, otherIssuer }.Order(StringComparer.Ordinal)));
        });
    }

    [Test]
    public async Task A_response_is_found_exactly_as_saved_until_its_expiry_instant()
    {
        var subject = Subject();
        var created = Response($$"""{"id":"{{Guid.NewGuid()}}","person":{"fullName":"{{Cases.UrduName}}","aliases":["{{Cases.ArabicName}}"]},"note":"👩🏽‍⚖️"}""");
        var updated = Response("""{"state":"Lodged"}""");
        await SaveAsync(subject, "retry-0001", created, Now);
        await SaveAsync(subject, "retry-0002", updated, Now);

        var found = await FindAsync(subject, "retry-0001", Now);
        var foundSecond = await FindAsync(subject, "retry-0002", Now);
        var lastMoment = await FindAsync(subject, "retry-0001", Now + Retention - TimeSpan.FromMilliseconds(1));
        var atExpiry = await FindAsync(subject, "retry-0001", Now + Retention);
        var otherCaller = await FindAsync(Subject(), "retry-0001", Now);
        var otherKey = await FindAsync(subject, "retry-0003", Now);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.EqualTo(created));
            Assert.That(foundSecond, Is.EqualTo(updated));
            Assert.That(lastMoment, Is.EqualTo(created));
            Assert.That(atExpiry, Is.Null, "expired at its expiry instant");
            Assert.That(otherCaller, Is.Null, "keys are per caller");
            Assert.That(otherKey, Is.Null);
        });
    }

    [Test]
    public async Task Keys_are_exact_so_keys_or_subjects_differing_only_in_case_are_different_keys()
    {
        var subject = Subject();
        var (upper, lower, mixed) = (Response("upper"), Response("lower"), Response("mixed"));
        var (upperCaller, lowerCaller) = (Response("upper caller"), Response("lower caller"));
        var longKey = new string('k', 254) + "A";
        var longResponse = Response("long");
        await SaveAsync(subject, "Key-ABC", upper, Now);
        await SaveAsync(subject, "key-abc", lower, Now);
        await SaveAsync(subject, "kEY-aBc", mixed, Now);
        await SaveAsync($"Partner-{subject}", "same-key", upperCaller, Now);
        await SaveAsync($"partner-{subject}", "same-key", lowerCaller, Now);
        await SaveAsync(subject, longKey, longResponse, Now);

        var found = new[]
        {
            await FindAsync(subject, "Key-ABC", Now), await FindAsync(subject, "key-abc", Now), await FindAsync(subject, "kEY-aBc", Now),
            await FindAsync($"Partner-{subject}", "same-key", Now), await FindAsync($"partner-{subject}", "same-key", Now),
            await FindAsync(subject, longKey, Now),
        };
        var neverSaved = new[]
        {
            await FindAsync(subject, "KEY-ABC", Now), await FindAsync($"PARTNER-{subject}", "same-key", Now),
            await FindAsync(subject, new string('k', 254) + "a", Now), await FindAsync(subject, "Key-ABC ", Now),
        };

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.EqualTo(new[] { upper, lower, mixed, upperCaller, lowerCaller, longResponse }));
            Assert.That(neverSaved, Has.All.Null);
        });
    }

    [Test]
    public async Task A_second_save_of_a_live_key_fails_and_the_first_response_stays()
    {
        var subject = Subject();
        var first = Response("first");
        await SaveAsync(subject, "once", first, Now);

        await using (var session = Open())
        {
            await session.Database.BeginAsync(CancellationToken.None);
            Assert.CatchAsync<DbException>(() => session.Get<IIdempotencyStore>().SaveAsync(As(subject), "once", Response("second"),
                Now.AddHours(23), Now.AddHours(47), CancellationToken.None));
            await session.Database.RollbackAsync(CancellationToken.None);
        }

        Assert.That(await FindAsync(subject, "once", Now.AddHours(23)), Is.EqualTo(first));
    }

    [Test]
    public async Task A_key_past_its_expiry_is_replaced_by_the_next_save()
    {
        var subject = Subject();
        var first = Response("first");
        var second = Response("second");
        await SaveAsync(subject, "reused", first, Now);

        await SaveAsync(subject, "reused", second, Now + Retention);

        var rows = await QueryAsync<string>("SELECT Body FROM IdempotencyKeys WHERE Subject = @Subject", new { Subject = subject });
        var found = await FindAsync(subject, "reused", Now + Retention);
        var lastMoment = await FindAsync(subject, "reused", Now + Retention + Retention - TimeSpan.FromMilliseconds(1));
        Assert.Multiple(() =>
        {
            Assert.That(found, Is.EqualTo(second));
            Assert.That(lastMoment, Is.EqualTo(second), "kept for its own retention");
            Assert.That(rows, Is.EqualTo(new[] { "second" }), "the expired row is gone, not kept beside the new one");
        });
    }

    [Test]
    public async Task A_save_rolled_back_with_its_write_leaves_no_key()
    {
        var subject = Subject();
        var response = Response("rolled back");

        await using (var session = Open())
        {
            await session.Database.BeginAsync(CancellationToken.None);
            await session.Get<IIdempotencyStore>().SaveAsync(As(subject), "undone", response, Now, Now + Retention, CancellationToken.None);
            Assert.That(await session.Get<IIdempotencyStore>().FindAsync(As(subject), "undone", Now, CancellationToken.None), Is.EqualTo(response),
                "visible inside its own transaction");
            await session.Database.RollbackAsync(CancellationToken.None);
        }

        var afterRollback = await FindAsync(subject, "undone", Now);
        await SaveAsync(subject, "undone", response, Now);
        var afterSave = await FindAsync(subject, "undone", Now);

        Assert.Multiple(() =>
        {
            Assert.That(afterRollback, Is.Null);
            Assert.That(afterSave, Is.EqualTo(response), "the key is free to be used by the retry");
        });
    }

    [Test]
    public async Task Purging_removes_the_expired_keys_only_and_counts_them()
    {
        var subject = Subject();
        var purgeAt = new DateTimeOffset(2001, 6, 1, 12, 0, 0, 500, TimeSpan.Zero);
        TimeSpan[] expiries = [TimeSpan.FromDays(-1), TimeSpan.FromMilliseconds(-1), TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1)];
        for (var i = 0; i < expiries.Length; i++)
            await SaveAsync(subject, $"key-{i}", Response($"response {i}"), purgeAt - Retention + expiries[i]);

        var purged = await PurgeAsync(purgeAt);
        var again = await PurgeAsync(purgeAt);
        var left = await QueryAsync<string>("SELECT IdemKey FROM IdempotencyKeys WHERE Subject = @Subject ORDER BY IdemKey", new { Subject = subject });
        var justLive = await FindAsync(subject, "key-3", purgeAt);

        Assert.Multiple(() =>
        {
            Assert.That(purged, Is.EqualTo(3), "expired before, and at, the purge instant");
            Assert.That(again, Is.Zero);
            Assert.That(left, Is.EqualTo(new[] { "key-3", "key-4" }));
            Assert.That(justLive, Is.EqualTo(Response("response 3")));
        });
    }

    private static string Subject() => $"officer-{Guid.NewGuid():N}";

    /// <summary>A stored response; the fingerprint is a SHA-256 in hex, as the API computes it, and fills its fixed-width column.</summary>
    private static StoredResponse Response(string body) => new(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body))), body);

    private const string Issuer = "https://login.moi.gov.pk/realms/cases";

    private static Caller As(string subject, string issuer = Issuer) => new(subject, Caller.Officer, "PK", null, issuer);

    private async Task SaveAsync(string subject, string key, StoredResponse response, DateTimeOffset createdAt, string issuer = Issuer)
    {
        await using var session = Open();
        await session.Database.BeginAsync(CancellationToken.None);
        await session.Get<IIdempotencyStore>().SaveAsync(As(subject, issuer), key, response, createdAt, createdAt + Retention, CancellationToken.None);
        await session.Database.CommitAsync(CancellationToken.None);
    }

    private async Task<StoredResponse?> FindAsync(string subject, string key, DateTimeOffset now, string issuer = Issuer)
    {
        await using var session = Open();
        return await session.Get<IIdempotencyStore>().FindAsync(As(subject, issuer), key, now, CancellationToken.None);
    }

    private async Task<int> PurgeAsync(DateTimeOffset now)
    {
        await using var session = Open();
        await session.Database.BeginAsync(CancellationToken.None);
        var purged = await session.Get<IIdempotencyStore>().PurgeExpiredAsync(now, CancellationToken.None);
        await session.Database.CommitAsync(CancellationToken.None);
        return purged;
    }
}
