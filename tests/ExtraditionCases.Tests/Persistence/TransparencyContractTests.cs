using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Transparency;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Transparency;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// The trees' statements on every provider at hand (<see cref="TransparencySql"/>, <see cref="TransparencyReads.Sql"/>):
/// a leaf per event per audience at the feed's position, the publisher's nodes and signed checkpoint, proofs
/// read back from the stored nodes, cosignatures stored once. Countries of its own (FR, DE), since a SQL
/// Server database is shared by the fixture's tests.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class TransparencyContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static readonly Caller French = new("officer-FR", Caller.Officer, "FR", "MJ", "https://idp.test");

    private static TransparencyKeys Keys() => new(new TransparencyOptions
    {
        SigningKey = TestKeys.Log.PrivateKey, Origin = TestKeys.Origin, Witnesses = [TestKeys.Witness.PublicKey.VerifierKey],
    });

    private CheckpointPublisher Publisher(TransparencyKeys keys, Microsoft.Extensions.Logging.ILogger<CheckpointPublisher>? logger = null) =>
        new(Options, Services.GetRequiredService<SqliteWriterGate>(), keys, new TransparencyOptions(), new TransparencyStatus(), TimeProvider.System,
            logger ?? NullLogger<CheckpointPublisher>.Instance);

    [Test]
    public async Task Leaves_nodes_checkpoints_proofs_and_cosignatures_round_trip()
    {
        using var keys = Keys();
        var (filed, filedEvent) = await FileAsync(CaseFileFor("Jean Dupont", "FR", "DE"), Now, by: French);
        var arrested = await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now.AddMinutes(1)), Now.AddMinutes(2), French);
        var published = await Publisher(keys).PublishAsync(CancellationToken.None);
        var fr = published.Single(c => c.Tree == "FR");

        await using var session = Open();
        var db = session.Get<IDatabaseSession>();
        var leaves = await TransparencyReads.LeavesOfCaseAsync(db, "FR", filed.Id, CancellationToken.None);
        var indexes = await TransparencyReads.LeafIndexesOfCaseAsync(db, "FR", filed.Id, CancellationToken.None);
        var second = await TransparencyReads.LeafOfEventAsync(db, "DE", filed.Id, 2, CancellationToken.None);
        var first = await TransparencyReads.LeafAtAsync(db, "FR", leaves[0].LeafIndex, CancellationToken.None);
        var latest = await TransparencyReads.LatestAuthenticAsync(db, keys, "FR", CancellationToken.None);
        var proof = await new GetInclusionProof.Handler(db, session.Store).Handle(
            new GetInclusionProof.Query(French, null, filed.Id, 2, null, null), CancellationToken.None);
        var consistency = await new GetConsistencyProof.Handler(db).Handle(new GetConsistencyProof.Query(French, null, 1, null), CancellationToken.None);
        // The history's paths, their nodes read many to a statement, against each event's own inclusion proof.
        var history = await HistoryTransparency.ForAsync(db, keys, French, filed.Id, CancellationToken.None);
        var ownProofs = new List<IReadOnlyList<string>>();
        foreach (var sequence in new[] { 1, 2 })
            ownProofs.Add((await new GetInclusionProof.Handler(db, session.Store).Handle(
                new GetInclusionProof.Query(French, null, filed.Id, sequence, null, null), CancellationToken.None)).Proof);
        // The batched node read: more pairs than one statement takes, most of them never stored.
        var pathNodes = Merkle.InclusionRanges(leaves[0].LeafIndex, fr.TreeSize).SelectMany(r => Merkle.NodesOf(r.Lo, r.Hi)).ToList();
        var absent = Enumerable.Range(0, 2_100).Select(i => new Merkle.NodeId(i % 3, 1_000_000_000_000L + i)).ToList();
        var read = new Dictionary<Merkle.NodeId, byte[]?>();
        await TransparencyReads.ReadNodesAsync(db, "FR", [.. pathNodes, .. absent, .. pathNodes], read, CancellationToken.None);
        var oneByOne = new List<string?>();
        foreach (var id in pathNodes)
            oneByOne.Add(await db.QuerySingleOrDefaultAsync<string>(TransparencyReads.Sql.Node, new { Tree = "FR", id.Level, NodeIndex = id.Index }, CancellationToken.None));

        var body = SignedNote.Parse(fr.Note)!.Value.Text;
        const ulong Time = 1_790_000_000;
        var line = SignedNote.CosignatureLine(TestKeys.Witness.PublicKey, Time,
            TransparencyKeys.SignWith(TestKeys.Witness.PrivateKey, SignedNote.CosignedMessage(body, Time)));
        var cosign = new AddCosignature.Handler(db, keys);
        var accepted = await cosign.Handle(new AddCosignature.Command(French, null, fr.TreeSize, line, Now), CancellationToken.None);
        var repeated = await cosign.Handle(new AddCosignature.Command(French, null, fr.TreeSize, line, Now), CancellationToken.None);
        var view = await new GetCheckpoint.Handler(db, keys).Handle(new GetCheckpoint.Query(French, null), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(leaves.Select(l => (l.Sequence, l.EntryHash.Trim())), Is.EqualTo(new[] { ((int?)1, filedEvent.Hash), (2, arrested[0].Hash) }));
            Assert.That(indexes.Select(l => (l.Sequence, l.LeafIndex)), Is.EqualTo(leaves.Select(l => (l.Sequence, l.LeafIndex))), "the narrowed read of the history's leaves");
            Assert.That(second!.EntryHash.Trim(), Is.EqualTo(arrested[0].Hash));
            Assert.That(first!.CaseId, Is.EqualTo(filed.Id));
            Assert.That(latest, Is.Not.Null);
            Assert.That(latest!.RootHash, Is.EqualTo(Merkle.Root(leaves.Select(l => Merkle.LeafHash(Convert.FromHexString(l.EntryHash.Trim()))))));
            Assert.That(Merkle.VerifyInclusion(proof.LeafIndex, proof.TreeSize, Merkle.LeafHash(Convert.FromHexString(arrested[0].Hash)),
                [.. proof.Proof.Select(Convert.FromBase64String)], latest.RootHash), Is.True);
            Assert.That(consistency.To, Is.EqualTo(2));
            Assert.That(history.TreeSize, Is.EqualTo(fr.TreeSize));
            Assert.That(history.Leaves.Select(l => l.Proof), Is.EqualTo(ownProofs), "each path as the inclusion proof gives it");
            Assert.That(history.Leaves.Zip(leaves).All(p => Merkle.VerifyInclusion(p.First.LeafIndex, fr.TreeSize,
                Merkle.LeafHash(Convert.FromHexString(p.Second.EntryHash.Trim())), [.. p.First.Proof!.Select(Convert.FromBase64String)], latest!.RootHash)), Is.True);
            Assert.That(read.Count, Is.EqualTo(pathNodes.Distinct().Count() + absent.Count));
            Assert.That(pathNodes.Select(id => read[id] is { } h ? Convert.ToHexString(h) : null), Is.EqualTo(oneByOne.Select(h => h?.Trim().ToUpperInvariant())));
            Assert.That(oneByOne, Has.None.Null);
            Assert.That(absent.Select(id => read[id]), Has.All.Null, "a node not stored is entered as absent");
            Assert.That((accepted.New, repeated.New), Is.EqualTo((true, false)));
            Assert.That(view.Cosignatures, Is.EqualTo(new[] { line }));
            Assert.That(view.Note, Does.EndWith(line));
        });
    }

    [Test]
    public async Task A_case_verifies_by_replay_inclusion_and_feed_and_the_audit_walks_every_case()
    {
        using var keys = Keys();
        var (filed, _) = await FileAsync(CaseFileFor("Jean Dupont", "FR", "DE"), Now, by: French);
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now.AddMinutes(1)), Now.AddMinutes(2), French);
        // An access log entry, stored (and made a leaf of the access tree) before the checkpoint.
        var log = Services.GetRequiredService<ExtraditionCases.Infrastructure.Access.AccessLog>();
        await log.StartAsync(CancellationToken.None);
        log.Record(new AccessEntry(Now, "officer-FR", Caller.Officer, "FR", filed.Id, "GET", "/api/v1/cases/{id:guid}", 200, "trace-fr", "192.0.2.1",
            CaseIds: [filed.Id]));
        await log.StopAsync(CancellationToken.None);
        await Publisher(keys).PublishAsync(CancellationToken.None);

        await using var session = Open();
        var db = session.Get<IDatabaseSession>();
        var result = await ExtraditionCases.Application.Features.Audit.CaseEvidence.VerifyAsync(db, session.Store, keys, Deadlines, filed.Id,
            new ExtraditionCases.Application.Features.Audit.CaseEvidence.TreeCache(), CancellationToken.None);
        var auditor = new Caller("auditor-1", Caller.Auditor, "GB", "AUDIT", "https://idp.test");
        var lines = new List<System.Text.Json.Nodes.JsonObject>();
        await foreach (var line in await new ExtraditionCases.Application.Features.Audit.AuditVerify.Handler(session.Store, db, keys, Deadlines)
                           .Handle(new ExtraditionCases.Application.Features.Audit.AuditVerify.Query(auditor), CancellationToken.None))
            lines.Add(line);

        Assert.Multiple(() =>
        {
            Assert.That(result.FirstMismatch, Is.Null);
            Assert.That(result.Included, Is.EqualTo(6));
            Assert.That((long)lines[^1]["casesVerified"]!, Is.GreaterThanOrEqualTo(1));
            Assert.That((long)lines[^1]["accessLogCheckpointed"]!, Is.GreaterThanOrEqualTo(1));
            Assert.That(lines.Where(l => (string)l["type"]! == "accessLog"), Is.Empty, "the stored access rows make the signed access tree");
        });
    }
    /// <summary>Leaves appended straight to a tree of the test's own, as the case writes and the access log append them.</summary>
    private async Task<byte[][]> AppendLeavesAsync(string tree, int count)
    {
        var hashes = Enumerable.Range(0, count).Select(i => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{tree}-{i}"))).ToArray();
        await using var connection = await ConnectionFactory.OpenAsync(Options, CancellationToken.None);
        await Dapper.SqlMapper.ExecuteAsync(connection,
            Sql("INSERT INTO TransparencyLeaves (Tree, LeafIndex, EntryHash) VALUES (@Tree, @LeafIndex, @EntryHash)",
                "INSERT INTO dbo.TransparencyLeaves (Tree, LeafIndex, EntryHash) VALUES (@Tree, @LeafIndex, @EntryHash)"),
            hashes.Select((h, i) => new { Tree = tree, LeafIndex = (long)i, EntryHash = Convert.ToHexStringLower(h) }));
        return hashes;
    }

    private async Task<long> IntegratedAsync(string tree) => (await QueryAsync<long>(
        Sql("SELECT COALESCE(MAX(NodeIndex) + 1, 0) FROM TransparencyNodes WHERE Tree = @Tree AND Level = 0",
            "SELECT COALESCE(MAX(NodeIndex) + 1, 0) FROM dbo.TransparencyNodes WHERE Tree = @Tree AND Level = 0"), new { Tree = tree })).Single();

    [Test]
    public async Task A_large_round_lets_case_writes_in_between_its_batches_and_signs_the_root_of_every_leaf()
    {
        using var keys = Keys();
        const string Tree = "XA";
        var count = (2 * CheckpointPublisher.LeafBatch) + 7;
        var hashes = await AppendLeavesAsync(Tree, count);

        // Integrated sizes a writer saw when it got the writer gate while the round was under way.
        var seen = new List<long>();
        Task<IReadOnlyList<Checkpoint>> round;
        if (Provider == DatabaseProvider.Sqlite)
        {
            // The test holds the gate as a case write would; the round reads and hashes without it, then queues for it.
            var gate = Services.GetRequiredService<SqliteWriterGate>().Gate;
            await gate.WaitAsync();
            round = Publisher(keys).PublishAsync(CancellationToken.None);
            while (!round.IsCompleted)
            {
                // Released to the round (queued first), then taken again as soon as the round lets go of it.
                gate.Release();
                await gate.WaitAsync();
                seen.Add(await IntegratedAsync(Tree));
                await Task.Yield();
            }

            gate.Release();
        }
        else
        {
            round = Publisher(keys).PublishAsync(CancellationToken.None);
        }

        var published = (await round).Single(c => c.Tree == Tree);
        Assert.Multiple(async () =>
        {
            Assert.That(published.TreeSize, Is.EqualTo(count));
            Assert.That(published.RootHash, Is.EqualTo(Merkle.Root(hashes.Select(h => Merkle.LeafHash(h)))));
            Assert.That(await IntegratedAsync(Tree), Is.EqualTo(count));
            if (Provider == DatabaseProvider.Sqlite)
                Assert.That(seen, Has.Some.InRange(1L, count - 1), "a writer got the gate between two of the round's batches (the round no longer holds it throughout)");
        });
    }

    [Test]
    public async Task Two_publishers_at_once_publish_one_checkpoint_and_the_later_leaves_the_tree_to_the_first()
    {
        using var keys = Keys();
        const string Tree = "XB";
        var hashes = await AppendLeavesAsync(Tree, CheckpointPublisher.LeafBatch + 3);

        // Two instances (each publisher serialises only its own rounds). On SQLite both read and hash the tree while a
        // writer holds the gate, then queue for it: the second's first write finds the tree integrated further than it read.
        var gate = Services.GetRequiredService<SqliteWriterGate>().Gate;
        var sqlite = Provider == DatabaseProvider.Sqlite;
        if (sqlite) await gate.WaitAsync();
        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        var both = Task.WhenAll(
            Publisher(keys, new Microsoft.Extensions.Logging.Testing.FakeLogger<CheckpointPublisher>(logs)).PublishAsync(CancellationToken.None),
            Publisher(keys, new Microsoft.Extensions.Logging.Testing.FakeLogger<CheckpointPublisher>(logs)).PublishAsync(CancellationToken.None));
        if (sqlite) gate.Release();
        var rounds = await both;
        var stored = await QueryAsync<long>(Sql("SELECT TreeSize FROM TransparencyCheckpoints WHERE Tree = @Tree",
            "SELECT TreeSize FROM dbo.TransparencyCheckpoints WHERE Tree = @Tree"), new { Tree });

        Assert.Multiple(async () =>
        {
            Assert.That(stored, Is.EqualTo(new[] { (long)hashes.Length }));
            var returned = rounds.SelectMany(r => r).Where(c => c.Tree == Tree).ToList();
            Assert.That(returned, Has.Count.EqualTo(1), "the round that found the tree integrated first returns nothing for it");
            Assert.That(returned.Single().RootHash, Is.EqualTo(Merkle.Root(hashes.Select(h => Merkle.LeafHash(h)))));
            Assert.That(await IntegratedAsync(Tree), Is.EqualTo(hashes.Length));
            if (sqlite)
                Assert.That(logs.GetSnapshot().Select(l => l.Message), Has.One.EqualTo($"The {Tree} tree was integrated by another publisher first; left to it this round"),
                    "the second round's first write found the tree integrated further than it read, and wrote nothing");
        });
    }
}
