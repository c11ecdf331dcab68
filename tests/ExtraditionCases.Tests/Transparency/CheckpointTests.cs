using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Transparency;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Transparency;

/// <summary>Signed checkpoints per audience, the key, inclusion and consistency proofs, cosignatures, over HTTP on the real host.</summary>
public sealed class CheckpointTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void Start() => _api = new ApiFactory();

    [TearDown]
    public void Stop() => _api.Dispose();

    private static byte[] B64(JsonNode? node) => Convert.FromBase64String((string)node!);

    private async Task<JsonObject> GetAsync(string token, string url)
    {
        var response = await _api.ClientFor(token).GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{url}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    [Test]
    public async Task Each_country_and_the_auditors_have_a_signed_tree_of_exactly_their_events()
    {
        var gbCase = await CaseDriver.FileAsync(_api);                                           // PK -> GB
        await gbCase.FireAsync("PK", "Submit");
        var usCase = await CaseDriver.FileAsync(_api, Cases.NewCase("PK", "US"));                 // PK -> US
        var published = await _api.PublishCheckpointsAsync();
        // The access log has its own tree ("access"), which every request grows.
        Assert.That(published.Where(c => c.Tree != Trees.Access).Select(c => (c.Tree, c.TreeSize)), Is.EquivalentTo(new[] { ("GB", 2L), ("PK", 3L), ("US", 1L), (Trees.All, 3L) }));

        var key = await GetAsync(Tokens.Partner("GB"), "/api/v1/transparency/key");
        var vkey = SignedNote.ParseVerifierKey((string)key["verifierKey"]!)!;
        Assert.That(vkey.VerifierKey, Is.EqualTo(TestKeys.Log.PublicKey.VerifierKey));

        var gb = await GetAsync(Tokens.Partner("GB"), "/api/v1/transparency/checkpoint");
        var note = (string)gb["note"]!;
        var body = SignedNote.ParseCheckpoint(SignedNote.Parse(note)!.Value.Text)!.Value;
        Assert.Multiple(() =>
        {
            Assert.That(SignedNote.Verify(note, vkey, TransparencyKeys.VerifyEd25519), Is.True);
            Assert.That(body.Origin, Is.EqualTo(TestKeys.Origin + "/GB"));
            Assert.That(body.Size, Is.EqualTo(2));
            Assert.That((long)gb["treeSize"]!, Is.EqualTo(2));
            Assert.That(B64(gb["rootHash"]), Is.EqualTo(body.Root));
        });

        // The GB tree is the GB case's two events, nothing of the US case: its root is theirs.
        var history = await GetAsync(Tokens.Officer("GB"), $"/api/v1/cases/{gbCase.Id}/history");
        var leaves = history["events"]!.AsArray().Select(e => Merkle.LeafHash(Convert.FromHexString((string)e!["hash"]!)));
        Assert.That(Merkle.Root(leaves), Is.EqualTo(body.Root));

        // The auditors' tree by default; a partner cannot read another country's.
        var all = await GetAsync(Tokens.Auditor(), "/api/v1/transparency/checkpoint");
        Assert.That((string)all["tree"]!, Is.EqualTo("all"));
        var refused = await _api.ClientFor(Tokens.Partner("GB")).GetAsync("/api/v1/transparency/checkpoint?tree=US");
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var text = await _api.ClientFor(Tokens.Partner("US")).SendAsync(new HttpRequestMessage(HttpMethod.Get, "/api/v1/transparency/checkpoint")
        {
            Headers = { Accept = { new("text/plain") } },
        });
        Assert.That(await text.Content.ReadAsStringAsync(), Does.StartWith(TestKeys.Origin + "/US\n1\n"));
        _ = usCase;
    }

    [Test]
    public async Task Inclusion_proofs_by_case_or_leaf_verify_and_a_case_the_caller_may_not_see_is_404()
    {
        var driver = await CaseDriver.FileAsync(_api);
        await driver.FireAsync("PK", "Submit");
        await driver.FireAsync("GB", "Certify", new JsonObject { ["certificateReference"] = "S70-1" });
        await _api.PublishCheckpointsAsync();
        var history = await GetAsync(Tokens.Officer("PK"), $"/api/v1/cases/{driver.Id}/history");

        foreach (var token in new[] { Tokens.Officer("PK"), Tokens.Partner("GB"), Tokens.Auditor() })
        {
            var proof = await GetAsync(token, $"/api/v1/transparency/proof/inclusion?caseId={driver.Id}&sequence=2");
            var hash = (string)history["events"]![1]!["hash"]!;
            Assert.Multiple(() =>
            {
                Assert.That((string)proof["entryHash"]!, Is.EqualTo(hash));
                Assert.That(Merkle.VerifyInclusion((long)proof["leafIndex"]!, (long)proof["treeSize"]!, Merkle.LeafHash(Convert.FromHexString(hash)),
                    [.. proof["proof"]!.AsArray().Select(B64)], B64(proof["rootHash"])), Is.True);
            });
        }

        var byIndex = await GetAsync(Tokens.Officer("PK"), "/api/v1/transparency/proof/inclusion?leafIndex=0");
        Assert.That((string)byIndex["entryHash"]!, Is.EqualTo((string)history["events"]![0]!["hash"]!));

        var stranger = await _api.ClientFor(Tokens.Officer("US")).GetAsync($"/api/v1/transparency/proof/inclusion?caseId={driver.Id}&sequence=1");
        var malformed = await _api.ClientFor(Tokens.Officer("PK")).GetAsync("/api/v1/transparency/proof/inclusion?caseId=nope&leafIndex=-1");
        var notYet = await _api.ClientFor(Tokens.Officer("PK")).GetAsync("/api/v1/transparency/proof/inclusion?leafIndex=9");
        Assert.Multiple(async () =>
        {
            Assert.That(stranger.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await malformed.Content.ReadAsStringAsync(), Does.Contain("caseId").And.Contain("leafIndex"));
            Assert.That(notYet.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task Consistency_proofs_link_each_checkpoint_to_the_next_and_the_history_carries_its_proofs_beside_the_events()
    {
        var driver = await CaseDriver.FileAsync(_api);
        await _api.PublishCheckpointsAsync();
        var first = await GetAsync(Tokens.Auditor(), "/api/v1/transparency/checkpoint");
        await driver.FireAsync("PK", "Submit");
        await CaseDriver.FileAsync(_api, Cases.NewCase("GB", "PK"));
        await _api.PublishCheckpointsAsync();
        var second = await GetAsync(Tokens.Auditor(), "/api/v1/transparency/checkpoint");
        var proof = await GetAsync(Tokens.Auditor(), $"/api/v1/transparency/proof/consistency?from={(long)first["treeSize"]!}");
        Assert.Multiple(() =>
        {
            Assert.That((long)proof["to"]!, Is.EqualTo((long)second["treeSize"]!));
            Assert.That(Merkle.VerifyConsistency((long)first["treeSize"]!, (long)second["treeSize"]!, B64(first["rootHash"]), B64(second["rootHash"]),
                [.. proof["proof"]!.AsArray().Select(B64)]), Is.True);
        });

        var history = await GetAsync(Tokens.Auditor(), $"/api/v1/cases/{driver.Id}/history");
        var transparency = history["transparency"]!.AsObject();
        var events = history["events"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That((string)transparency["tree"]!, Is.EqualTo("all"));
            Assert.That((long)transparency["treeSize"]!, Is.EqualTo(3));
            Assert.That(transparency["leaves"]!.AsArray().Select(l => (int)l!["sequence"]!), Is.EqualTo(new[] { 1, 2 }));
            // Nothing entered an event: each still has exactly the contract's members.
            Assert.That(events.Select(e => e!.AsObject().Count), Is.All.EqualTo(13));
        });
        foreach (var leaf in transparency["leaves"]!.AsArray())
        {
            var hash = (string)events[(int)leaf!["sequence"]! - 1]!["hash"]!;
            Assert.That(Merkle.VerifyInclusion((long)leaf["leafIndex"]!, 3, Merkle.LeafHash(Convert.FromHexString(hash)),
                [.. leaf["proof"]!.AsArray().Select(B64)], B64(transparency["rootHash"])), Is.True);
        }
    }

    [Test]
    public async Task The_publisher_signs_at_least_every_interval_when_a_tree_grew_and_not_otherwise()
    {
        await CaseDriver.FileAsync(_api);
        await _api.PublishCheckpointsAsync();
        var before = await GetAsync(Tokens.Auditor(), "/api/v1/transparency/checkpoint");
        await CaseDriver.FileAsync(_api);

        // The background round runs on the host's clock: one interval later the grown tree has a new checkpoint.
        for (var i = 0; i < 200 && (long)(await GetAsync(Tokens.Auditor(), "/api/v1/transparency/checkpoint"))["treeSize"]! == 1; i++)
        {
            _api.Clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(10);
        }

        var after = await GetAsync(Tokens.Auditor(), "/api/v1/transparency/checkpoint");
        Assert.Multiple(async () =>
        {
            Assert.That((long)before["treeSize"]!, Is.EqualTo(1));
            Assert.That((long)after["treeSize"]!, Is.EqualTo(2));
            Assert.That((await _api.PublishCheckpointsAsync()).Where(c => c.Tree != Trees.Access), Is.Empty, "no case tree grew, none is signed");
        });
    }

    [Test]
    public async Task A_configured_witness_cosignature_is_accepted_once_and_served_with_the_checkpoint_and_any_other_is_400()
    {
        await CaseDriver.FileAsync(_api);
        await _api.PublishCheckpointsAsync();
        var checkpoint = await GetAsync(Tokens.Officer("GB"), "/api/v1/transparency/checkpoint");
        var body = SignedNote.Parse((string)checkpoint["note"]!)!.Value.Text;
        const ulong Time = 1_790_000_000;
        var line = SignedNote.CosignatureLine(TestKeys.Witness.PublicKey, Time, TransparencyKeys.SignWith(TestKeys.Witness.PrivateKey, SignedNote.CosignedMessage(body, Time)));
        var (strangerPrivate, stranger) = TransparencyKeys.Generate("stranger", SignedNote.CosignatureV1);
        var forged = SignedNote.CosignatureLine(stranger, Time, TransparencyKeys.SignWith(strangerPrivate, SignedNote.CosignedMessage(body, Time)));

        var client = _api.ClientFor(Tokens.Officer("GB"));
        var accepted = await client.PostAsJsonAsync("/api/v1/transparency/cosignatures", new { treeSize = 1, cosignature = line });
        var again = await client.PostAsJsonAsync("/api/v1/transparency/cosignatures", new { treeSize = 1, cosignature = line });
        var refused = await client.PostAsJsonAsync("/api/v1/transparency/cosignatures", new { treeSize = 1, cosignature = forged });
        var served = await GetAsync(Tokens.Partner("GB"), "/api/v1/transparency/checkpoint");
        Assert.Multiple(async () =>
        {
            Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await accepted.Content.ReadAsStringAsync());
            Assert.That((bool)(await accepted.ReadObjectAsync())["new"]!, Is.True);
            Assert.That((bool)(await again.ReadObjectAsync())["new"]!, Is.False);
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((string)served["note"]!, Does.EndWith(line));
            Assert.That(SignedNote.Verify((string)served["note"]!, TestKeys.Log.PublicKey, TransparencyKeys.VerifyEd25519), Is.True);
        });
    }
}
