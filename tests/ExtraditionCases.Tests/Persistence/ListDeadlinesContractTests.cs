using System.Data.SqlTypes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Deadlines;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What the deadline list's statements (<see cref="ListDeadlines.Sql"/>, run by <see cref="ListDeadlines.ReadAsync"/>)
/// promise, on every provider at hand: the status a clock is listed under is the one it reads at <see cref="ListDeadlines.Filter.Now"/> (<see cref="Deadline.StatusAt"/>),
/// dueBefore is strict, a country sees the clocks of the cases it is a party to, and keyset pages walk
/// the list soonest first without gaps or repeats. Each test keeps to countries of its own; the one
/// listing every country keeps to clocks due in 2001, which no other test uses.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class ListDeadlinesContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static readonly DeadlineKind[] Kinds =
    [
        DeadlineKind.FullRequest, DeadlineKind.HearingStart, DeadlineKind.Surrender,
        DeadlineKind.Representations, DeadlineKind.AppealWindow, DeadlineKind.RequestingStateAppealWindow,
    ];

    [Test]
    public async Task Each_status_lists_the_clocks_that_read_so_at_now()
    {
        // Every kind of clock in every stored status, due well before, just before, at, just after and well after now.
        TimeSpan[] dues = [TimeSpan.FromDays(-1), TimeSpan.FromMilliseconds(-1), TimeSpan.Zero, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1)];
        var stored = new List<ListDeadlines.StoredDeadline>();
        foreach (var status in Enum.GetValues<DeadlineStatus>())
        {
            var clocks = Kinds.SelectMany(_ => dues, (kind, due) => (kind, due))
                .Select((c, i) => Clock(i + 1, c.kind, status, Now + c.due)).ToList();
            stored.AddRange(await FileWithClocksAsync("RA", "RB", clocks));
        }

        var everything = await ListAsync(new ListDeadlines.Filter("RA", null, null, Now, 500, null));
        var byStatus = new Dictionary<DeadlineStatus, IReadOnlyList<ListDeadlines.StoredDeadline>>();
        foreach (var status in Enum.GetValues<DeadlineStatus>())
            byStatus[status] = await ListAsync(new ListDeadlines.Filter("RA", status, null, Now, 500, null));

        Assert.Multiple(() =>
        {
            Assert.That(everything, Is.EquivalentTo(stored), "every clock, as stored");
            foreach (var (status, listed) in byStatus)
            {
                var expected = stored.Where(d => ToDeadline(d).StatusAt(Now) == status).ToList();
                Assert.That(expected, Is.Not.Empty, $"the matrix has {status} clocks");
                Assert.That(listed, Is.EquivalentTo(expected), $"listed as {status} at now");
            }

            Assert.That(byStatus[DeadlineStatus.Missed], Has.Some.Matches<ListDeadlines.StoredDeadline>(d => d.Status == DeadlineStatus.Pending),
                "a pending clock past its due instant reads Missed; the row keeps what was stored");
            Assert.That(byStatus[DeadlineStatus.Expired], Has.Some.Matches<ListDeadlines.StoredDeadline>(d => d.Status == DeadlineStatus.Extended));
        });
    }

    [Test]
    public async Task A_country_sees_the_clocks_of_the_cases_it_is_a_party_to_and_the_unfiltered_list_sees_all()
    {
        var year2001 = new DateTimeOffset(2001, 3, 1, 9, 0, 0, 5, TimeSpan.Zero);
        var a = await FileWithClocksAsync("RC", "RD", [Clock(1, DeadlineKind.FullRequest, DeadlineStatus.Pending, year2001), Clock(2, DeadlineKind.Surrender, DeadlineStatus.Met, year2001.AddDays(3))]);
        var b = await FileWithClocksAsync("RE", "RC", [Clock(1, DeadlineKind.HearingStart, DeadlineStatus.Extended, year2001.AddDays(1))]);
        var c = await FileWithClocksAsync("RD", "RE", [Clock(1, DeadlineKind.AppealWindow, DeadlineStatus.Cancelled, year2001.AddDays(2))]);
        var before2002 = new DateTimeOffset(2002, 1, 1, 0, 0, 0, TimeSpan.Zero);

        var rc = await ListAsync(new ListDeadlines.Filter("RC", null, null, Now, 100, null));
        var rd = await ListAsync(new ListDeadlines.Filter("RD", null, null, Now, 100, null));
        var re = await ListAsync(new ListDeadlines.Filter("RE", null, null, Now, 100, null));
        var rf = await ListAsync(new ListDeadlines.Filter("RF", null, null, Now, 100, null));
        var all = await ListAsync(new ListDeadlines.Filter(null, null, before2002, Now, 100, null));

        Assert.Multiple(() =>
        {
            Assert.That(rc, Is.EqualTo(new[] { a[0], b[0], a[1] }), "as requesting and as requested state, soonest first");
            Assert.That(rd, Is.EqualTo(new[] { a[0], c[0], a[1] }));
            Assert.That(re, Is.EqualTo(new[] { b[0], c[0] }));
            Assert.That(rf, Is.Empty);
            Assert.That(all, Is.EqualTo(new[] { a[0], b[0], c[0], a[1] }));
        });
    }

    [Test]
    public async Task Due_before_is_strict()
    {
        var t = Now.AddDays(30);
        var clocks = await FileWithClocksAsync("RG", "GB",
        [
            Clock(1, DeadlineKind.FullRequest, DeadlineStatus.Pending, t.AddDays(1)),
            Clock(2, DeadlineKind.HearingStart, DeadlineStatus.Pending, t),
            Clock(3, DeadlineKind.Representations, DeadlineStatus.Pending, t.AddMilliseconds(-1)),
            Clock(4, DeadlineKind.ExecutiveDecision, DeadlineStatus.Met, t.AddDays(-2)),
        ]);

        var beforeT = await ListAsync(new ListDeadlines.Filter("RG", null, t, Now, 100, null));
        var pendingBeforeT = await ListAsync(new ListDeadlines.Filter("RG", DeadlineStatus.Pending, t, Now, 100, null));
        var beforeEverything = await ListAsync(new ListDeadlines.Filter("RG", null, t.AddDays(-2), Now, 100, null));

        Assert.Multiple(() =>
        {
            Assert.That(beforeT, Is.EqualTo(new[] { clocks[3], clocks[2] }));
            Assert.That(pendingBeforeT, Is.EqualTo(new[] { clocks[2] }));
            Assert.That(beforeEverything, Is.Empty);
        });
    }

    [Test]
    public async Task Keyset_pages_walk_the_list_soonest_first_without_gaps_or_repeats()
    {
        // Clocks due at the same instant across cases and within a case: the case id, then the ordinal, decide.
        var d1 = Now.AddDays(7);
        var d2 = Now.AddDays(8);
        var stored = new List<ListDeadlines.StoredDeadline>();
        for (var i = 0; i < 4; i++)
        {
            stored.AddRange(await FileWithClocksAsync("RH", i % 2 == 0 ? "GB" : "PK",
            [
                Clock(1, DeadlineKind.HearingStart, DeadlineStatus.Pending, d1),
                Clock(2, DeadlineKind.Representations, DeadlineStatus.Pending, d1),
                Clock(3, DeadlineKind.FullRequest, i == 0 ? DeadlineStatus.Met : DeadlineStatus.Pending, d2),
            ]));
        }

        stored.AddRange(await FileWithClocksAsync("RH", "US", [Clock(1, DeadlineKind.Surrender, DeadlineStatus.Extended, Now.AddDays(6))]));
        var inOrder = stored.OrderBy(d => d.DueAt).ThenBy(d => d.CaseId, Comparer<Guid>.Create(CompareCaseIds)).ThenBy(d => d.Ordinal).ToList();

        var everything = await ListAsync(new ListDeadlines.Filter("RH", null, null, Now, 100, null));
        var walked = await WalkAsync(new ListDeadlines.Filter("RH", null, null, Now, 2, null));
        var walkedPending = await WalkAsync(new ListDeadlines.Filter("RH", DeadlineStatus.Pending, null, Now, 3, null));
        var firstThree = await ListAsync(new ListDeadlines.Filter("RH", null, null, Now, 3, null));

        Assert.Multiple(() =>
        {
            Assert.That(everything, Is.EqualTo(inOrder), $"by due instant, then case id as {Provider} orders it, then ordinal");
            Assert.That(walked.SelectMany(p => p), Is.EqualTo(inOrder));
            Assert.That(walked.Select(p => p.Count), Is.EqualTo(new[] { 2, 2, 2, 2, 2, 2, 1 }));
            Assert.That(walkedPending.SelectMany(p => p), Is.EqualTo(inOrder.Where(d => d.Status == DeadlineStatus.Pending)));
            Assert.That(firstThree, Is.EqualTo(inOrder.Take(3)));
        });
    }

    private int CompareCaseIds(Guid x, Guid y) => Provider == DatabaseProvider.SqlServer
        ? new SqlGuid(x).CompareTo(new SqlGuid(y))
        : string.CompareOrdinal(x.ToString("D"), y.ToString("D"));

    /// <summary>Pages through the list the way ListDeadlines does: each page after the last clock of the one before.</summary>
    private async Task<List<IReadOnlyList<ListDeadlines.StoredDeadline>>> WalkAsync(ListDeadlines.Filter first)
    {
        var pages = new List<IReadOnlyList<ListDeadlines.StoredDeadline>>();
        var filter = first;
        while (true)
        {
            var page = await ListAsync(filter);
            if (page.Count == 0 || pages.Count > 50) break;
            pages.Add(page);
            filter = filter with { After = new ListDeadlines.Position(page[^1].DueAt, page[^1].CaseId, page[^1].Ordinal) };
        }

        return pages;
    }

    /// <summary>Files a case with these clocks and returns them as the list should show them.</summary>
    private async Task<List<ListDeadlines.StoredDeadline>> FileWithClocksAsync(string requesting, string requested, List<Deadline> clocks)
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, requesting, requested), Now, clocks);
        return [.. clocks.Select(d => new ListDeadlines.StoredDeadline(filed.Id, filed.Reference, d.Ordinal, d.Kind, d.StartedAt, d.DueAt, d.Status, d.Statute, d.Advisory))];
    }

    private async Task<IReadOnlyList<ListDeadlines.StoredDeadline>> ListAsync(ListDeadlines.Filter filter)
    {
        await using var session = Open();
        return await ListDeadlines.ReadAsync(session.Get<IDatabaseSession>(), filter, CancellationToken.None);
    }

    private static Deadline Clock(int ordinal, DeadlineKind kind, DeadlineStatus status, DateTimeOffset dueAt) => new()
    {
        Ordinal = ordinal,
        Kind = kind,
        StartedAt = dueAt.AddDays(-45),
        DueAt = dueAt,
        Status = status,
        Statute = ordinal % 2 == 0 ? "Extradition Act 2003 s.74" : "قانون حوالگی مجرمان ۱۹۷۲، دفعہ ۹",
        Advisory = ordinal % 3 == 0,
    };

    private static Deadline ToDeadline(ListDeadlines.StoredDeadline d) => new()
    {
        Ordinal = d.Ordinal, Kind = d.Kind, StartedAt = d.StartedAt, DueAt = d.DueAt, Status = d.Status, Statute = d.Statute, Advisory = d.Advisory,
    };
}
