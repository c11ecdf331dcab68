using System.Text.Json;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Cases;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What the feed's page (<see cref="GetChanges.Sql"/>) and the feed rows <see cref="ICaseStore"/> appends promise, on every
/// provider at hand. Each test keeps to countries of its own (a shared SQL Server database), and reads
/// the auditors' audience, which every test writes to, only after its own starting position.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class ChangeFeedContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private const string AllCases = CaseStore.AllCasesAudience;

    [Test]
    public async Task Each_audience_has_dense_positions_in_commit_order_with_each_event_as_recorded()
    {
        var start = await LastPositionAsync(AllCases);
        var (a, aFiled) = await FileAsync(CaseFileFor(Cases.UrduName, "QA", "QB"), Now);
        var (b, bFiled) = await FileAsync(CaseFileFor(Cases.ArabicName, "QC", "QA"), Now.AddSeconds(1));
        var aUpdated = (await SaveAsync(a.Id, c => c.UpdateFile(c.File with { RequestingAuthority = "محکمہ داخلہ پنجاب" }, CaseSide.Requested, Now.AddSeconds(2)),
            Now.AddSeconds(2))).Single();
        var aArrested = (await SaveAsync(a.Id, c => ProvisionalArrest(c, Now.AddSeconds(3)), Now.AddSeconds(4))).Single();
        var (c, cFiled) = await FileAsync(CaseFileFor(Cases.UrduName, "QB", "QC"), Now.AddSeconds(5));

        var qa = await PageAsync("QA", 0, 100);
        var qb = await PageAsync("QB", 0, 100);
        var qc = await PageAsync("QC", 0, 100);
        var all = await PageAsync(AllCases, start, 100);

        Assert.Multiple(() =>
        {
            Assert.That(qa, Is.EqualTo(new[]
            {
                Item(1, a, aFiled, "Draft"), Item(2, b, bFiled, "Draft"), Item(3, a, aUpdated, "Draft"), Item(4, a, aArrested, "ProvisionalArrest"),
            }));
            Assert.That(qb, Is.EqualTo(new[]
            {
                Item(1, a, aFiled, "Draft"), Item(2, a, aUpdated, "Draft"), Item(3, a, aArrested, "ProvisionalArrest"), Item(4, c, cFiled, "Draft"),
            }));
            Assert.That(qc, Is.EqualTo(new[] { Item(1, b, bFiled, "Draft"), Item(2, c, cFiled, "Draft") }));
            Assert.That(all, Is.EqualTo(new[]
            {
                Item(start + 1, a, aFiled, "Draft"), Item(start + 2, b, bFiled, "Draft"), Item(start + 3, a, aUpdated, "Draft"),
                Item(start + 4, a, aArrested, "ProvisionalArrest"), Item(start + 5, c, cFiled, "Draft"),
            }));
            Assert.That(qa.Select(i => (i.OccurredAt.Offset, i.RecordedAt.Offset)), Has.All.EqualTo((TimeSpan.Zero, TimeSpan.Zero)), "instants come back in UTC");
        });
    }

    [Test]
    public async Task A_page_holds_at_most_the_limit_of_the_items_after_the_cursor()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "QD", "QE"), Now);
        for (var i = 1; i <= 4; i++)
        {
            var at = Now.AddMinutes(i);
            await SaveAsync(filed.Id, c => c.UpdateFile(c.File with { RequestingAuthority = $"edit {i}" }, CaseSide.Requested, at), at);
        }

        var everything = await PageAsync("QD", 0, 100);
        var first = await PageAsync("QD", 0, 2);
        var second = await PageAsync("QD", first[^1].Seq, 2);
        var third = await PageAsync("QD", second[^1].Seq, 2);
        var beyond = await PageAsync("QD", third[^1].Seq, 2);
        var one = await PageAsync("QD", 3, 1);

        Assert.Multiple(() =>
        {
            Assert.That(everything.Select(i => (i.Seq, i.Version)), Is.EqualTo(new[] { (1L, 1), (2L, 2), (3L, 3), (4L, 4), (5L, 5) }));
            Assert.That(first.Select(i => i.Seq), Is.EqualTo(new[] { 1L, 2L }));
            Assert.That(second.Select(i => i.Seq), Is.EqualTo(new[] { 3L, 4L }));
            Assert.That(third.Select(i => i.Seq), Is.EqualTo(new[] { 5L }));
            Assert.That(beyond, Is.Empty);
            Assert.That(one.Select(i => i.Seq), Is.EqualTo(new[] { 4L }));
            Assert.That(first.Concat(second).Concat(third), Is.EqualTo(everything));
        });
    }

    [Test]
    public async Task A_case_is_in_the_feeds_of_its_states_and_of_the_auditors_only()
    {
        var start = await LastPositionAsync(AllCases);
        var (first, _) = await FileAsync(CaseFileFor(Cases.UrduName, "QF", "QG"), Now);
        var (second, _) = await FileAsync(CaseFileFor(Cases.ArabicName, "QF", "QH"), Now.AddSeconds(1));
        // The same state on both sides is one party: one row per event, not two.
        var (own, _) = await FileAsync(CaseFileFor(Cases.UrduName, "QJ", "QJ"), Now.AddSeconds(2));

        var qf = await PageAsync("QF", 0, 100);
        var qg = await PageAsync("QG", 0, 100);
        var qh = await PageAsync("QH", 0, 100);
        var qj = await PageAsync("QJ", 0, 100);
        var qk = await PageAsync("QK", 0, 100);
        var all = await PageAsync(AllCases, start, 100);

        Assert.Multiple(() =>
        {
            Assert.That(qf.Select(i => (i.Seq, i.CaseId)), Is.EqualTo(new[] { (1L, first.Id), (2L, second.Id) }));
            Assert.That(qg.Select(i => (i.Seq, i.CaseId)), Is.EqualTo(new[] { (1L, first.Id) }));
            Assert.That(qh.Select(i => (i.Seq, i.CaseId)), Is.EqualTo(new[] { (1L, second.Id) }));
            Assert.That(qj.Select(i => (i.Seq, i.CaseId)), Is.EqualTo(new[] { (1L, own.Id) }));
            Assert.That(qk, Is.Empty, "a country party to none of them");
            Assert.That(all.Select(i => (i.Seq, i.CaseId)), Is.EqualTo(new[] { (start + 1, first.Id), (start + 2, second.Id), (start + 3, own.Id) }));
        });
    }

    [Test]
    public async Task A_write_rolled_back_takes_no_position()
    {
        await using (var session = Open())
        {
            await session.Database.BeginAsync(CancellationToken.None);
            var number = await session.Store.NextReferenceNumberAsync(CancellationToken.None);
            var file = CaseFileFor(Cases.UrduName, "QL", "QM");
            var draft = ExtraditionCase.FileNew(Guid.CreateVersion7(Now), $"EXT-{Now.Year}-{number:D6}", file, ReceivedAt, Now,
                Deadlines.RulesFor(file.RequestingState, file.RequestedState));
            var data = JsonSerializer.SerializeToNode(file, CaseJson.Options)!.AsObject();
            await session.Store.AddAsync(draft, [CaseEvent.Create(draft.Changes[0], 1, Now, Officer, Source, data, CaseEvent.GenesisHash)],
                CancellationToken.None);
            Assert.That(await GetChanges.ReadAsync(session.Get<IDatabaseSession>(), "QL", 0, 10, CancellationToken.None), Has.Count.EqualTo(1),
                "visible inside its own transaction");
            await session.Database.RollbackAsync(CancellationToken.None);
        }

        var afterRollback = await PageAsync("QL", 0, 100);
        var (kept, _) = await FileAsync(CaseFileFor(Cases.ArabicName, "QL", "QM"), Now.AddSeconds(1));
        var afterNextWrite = await PageAsync("QL", 0, 100);

        Assert.Multiple(() =>
        {
            Assert.That(afterRollback, Is.Empty);
            Assert.That(afterNextWrite.Select(i => (i.Seq, i.CaseId)), Is.EqualTo(new[] { (1L, kept.Id) }));
        });
    }

    [Test]
    public async Task Concurrent_writers_of_one_audience_take_distinct_consecutive_positions()
    {
        var filed = new List<ExtraditionCase>();
        for (var i = 0; i < 6; i++) filed.Add((await FileAsync(CaseFileFor(Cases.UrduName, "QN", i % 2 == 0 ? "QP" : "QR"), Now.AddSeconds(i))).Case);

        await Task.WhenAll(filed.Select(c => Task.Run(() =>
            SaveAsync(c.Id, x => x.UpdateFile(x.File with { RequestingAuthority = $"writer {c.Id}" }, CaseSide.Requested, Now.AddMinutes(1)), Now.AddMinutes(1)))));

        var feed = await PageAsync("QN", 0, 100);
        Assert.Multiple(() =>
        {
            Assert.That(feed.Select(i => i.Seq), Is.EqualTo(Enumerable.Range(1, 12).Select(n => (long)n)));
            Assert.That(feed.Take(6).Select(i => (i.CaseId, i.Version)), Is.EqualTo(filed.Select(c => (c.Id, 1))));
            Assert.That(feed.Skip(6).Select(i => (i.CaseId, i.Version)), Is.EquivalentTo(filed.Select(c => (c.Id, 2))));
        });
    }

    [Test]
    public async Task The_streamed_page_is_byte_for_byte_the_serialised_page_and_names_the_cases_it_returned()
    {
        var (a, _) = await FileAsync(CaseFileFor(Cases.UrduName, "QD", "QE"), Now);
        var (b, _) = await FileAsync(CaseFileFor(Cases.ArabicName, "QE", "QD"), Now.AddSeconds(1));
        await SaveAsync(a.Id, c => c.UpdateFile(c.File with { RequestingAuthority = "محکمہ داخلہ پنجاب" }, CaseSide.Requested, Now.AddSeconds(2)), Now.AddSeconds(2));
        var officer = new Caller("officer-QD", Caller.Officer, "QD", "MOI", Tokens.Issuer);

        foreach (var (after, limit, returned) in new[] { (0L, 100, new[] { a.Id, b.Id }), (1L, 1, new[] { b.Id }), (0L, 3, new[] { a.Id, b.Id }), (3L, 10, []) })
        {
            await using var session = Open();
            var handler = new GetChanges.Handler(session.Get<IDatabaseSession>());
            var expected = JsonSerializer.SerializeToUtf8Bytes(await handler.Handle(new GetChanges.Query(officer, after, limit), CancellationToken.None), CaseJson.Options);
            var streamed = await handler.Handle(new GetChanges.StoredQuery(officer, after, limit), CancellationToken.None);
            var sink = new System.Buffers.ArrayBufferWriter<byte>();
            await using (var writer = new Utf8JsonWriter(sink, GetChanges.StreamedPage.WriterOptions)) await streamed.WriteTo(writer, CancellationToken.None);

            Assert.Multiple(() =>
            {
                Assert.That(System.Text.Encoding.UTF8.GetString(sink.WrittenSpan), Is.EqualTo(System.Text.Encoding.UTF8.GetString(expected)), $"after {after}, limit {limit}");
                Assert.That(streamed.ReturnedCases, Is.EqualTo(returned), "each case once, in first-seen order");
            });
        }

        // A caller with no country and no auditor role reads an empty page that still says where to poll from.
        await using (var session = Open())
        {
            var streamed = await new GetChanges.Handler(session.Get<IDatabaseSession>())
                .Handle(new GetChanges.StoredQuery(new Caller("nobody", Caller.Partner, null, "X", Tokens.Issuer), 5, 10), CancellationToken.None);
            var sink = new System.Buffers.ArrayBufferWriter<byte>();
            await using (var writer = new Utf8JsonWriter(sink, GetChanges.StreamedPage.WriterOptions)) await streamed.WriteTo(writer, CancellationToken.None);
            Assert.That(System.Text.Encoding.UTF8.GetString(sink.WrittenSpan), Is.EqualTo($"{{\"items\":[],\"nextCursor\":\"{GetChanges.WriteCursor(5)}\"}}"));
        }
    }

    private static GetChanges.FeedItem Item(long seq, ExtraditionCase c, CaseEvent e, string state) =>
        new(seq, c.Id, c.Reference, e.Sequence, state, e.Type, e.OccurredAt, e.RecordedAt);

    private async Task<IReadOnlyList<GetChanges.FeedItem>> PageAsync(string audience, long after, int limit)
    {
        await using var session = Open();
        return await GetChanges.ReadAsync(session.Get<IDatabaseSession>(), audience, after, limit, CancellationToken.None);
    }

    private async Task<long> LastPositionAsync(string audience) =>
        (await QueryAsync<long>("SELECT COALESCE(MAX(Seq), 0) FROM ChangeFeed WHERE Audience = @Audience", new { Audience = audience })).Single();
}
