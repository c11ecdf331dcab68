using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Deadlines;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using MediatR;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What ownership promises on every provider at hand (<see cref="AssignOfficer.Sql"/>, the case store's work list,
/// the deadline list's assignee and running-only filters): an assignment is stored with its event and replaced on
/// reassignment, and an officer's work list holds exactly their cases, soonest running clock first, paged by its
/// own keyset. Countries LT and LV are this fixture's alone.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class AssigneesContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private const string Issuer = "https://login.lv.test/realms/cases";

    private static Caller OfficerOf(string country, string subject) => new(subject, Caller.Officer, country, null, Issuer);

    private async Task AssignAsync(Guid id, string country, string subject)
    {
        await using var session = Open();
        var caller = OfficerOf(country, $"assigner-{country}");
        var target = await CaseWrites.LoadAsync(session.Store, caller, id, CancellationToken.None);
        await session.Get<IMediator>().Send(new AssignOfficer.Command(caller, Source, target, country, new ExpectedVersion(target.Case.Version),
            new AssigneeInput { Subject = subject }));
    }

    private static Deadline Clock(int ordinal, DeadlineStatus status, DateTimeOffset dueAt) => new()
    {
        Ordinal = ordinal, Kind = DeadlineKind.HearingStart, StartedAt = dueAt.AddDays(-60), DueAt = dueAt, Status = status,
        Statute = "Extradition Act 2003 ss.75-76", Advisory = false,
    };

    [Test]
    public async Task An_assignment_is_stored_and_replaced_and_the_work_lists_hold_the_officer_s_cases_soonest_clock_first()
    {
        var (soon, _) = await FileAsync(CaseFileFor(Cases.UrduName, "LT", "LV"), Now, [Clock(1, DeadlineStatus.Pending, Now.AddDays(5))]);
        var (later, _) = await FileAsync(CaseFileFor(Cases.UrduName, "LT", "LV"), Now.AddSeconds(1),
            [Clock(1, DeadlineStatus.Met, Now.AddDays(1)), Clock(2, DeadlineStatus.Extended, Now.AddDays(30))]);
        var (none, _) = await FileAsync(CaseFileFor(Cases.UrduName, "LT", "LV"), Now.AddSeconds(2));
        var (overdue, _) = await FileAsync(CaseFileFor(Cases.UrduName, "LT", "LV"), Now.AddSeconds(3), [Clock(1, DeadlineStatus.Pending, Now.AddDays(-2))]);
        var (others, _) = await FileAsync(CaseFileFor(Cases.UrduName, "LT", "LV"), Now.AddSeconds(4), [Clock(1, DeadlineStatus.Pending, Now.AddDays(1))]);
        foreach (var id in new[] { none.Id, later.Id, soon.Id, overdue.Id }) await AssignAsync(id, "LV", "officer-1-LV");
        await AssignAsync(others.Id, "LV", "officer-1-LV");
        await AssignAsync(others.Id, "LV", "officer-2-LV");
        await AssignAsync(soon.Id, "LT", "officer-1-LT");

        var me = new AssignedOfficer("LV", Issuer, "officer-1-LV");
        IReadOnlyList<AssigneeView> assignees;
        (GetCaseStatus.Head Head, ExtraditionCases.Application.Features.Partners.CaseStatus Status)? statusOfSoon, plainStatusOfSoon, statusOfOthers, statusOfUnassigned, statusOfUnknown;
        var (unassigned, _) = await FileAsync(CaseFileFor(Cases.UrduName, "LT", "LV"), Now.AddSeconds(5));
        IReadOnlyList<ExtraditionCases.Domain.Workflow.ExtraditionCase> all, first, second, overdueOnly, lt, elsewhere;
        IReadOnlyList<ListDeadlines.StoredDeadline> clocks, running;
        await using (var session = Open())
        {
            assignees = await AssignOfficer.ReadAsync(session.Get<IDatabaseSession>(), soon.Id, CancellationToken.None);
            statusOfSoon = await GetCaseStatus.ReadWithAssigneesAsync(session.Get<IDatabaseSession>(), soon.Id, Now, CancellationToken.None);
            plainStatusOfSoon = await GetCaseStatus.ReadAsync(session.Get<IDatabaseSession>(), soon.Id, Now, CancellationToken.None);
            statusOfOthers = await GetCaseStatus.ReadWithAssigneesAsync(session.Get<IDatabaseSession>(), others.Id, Now, CancellationToken.None);
            statusOfUnassigned = await GetCaseStatus.ReadWithAssigneesAsync(session.Get<IDatabaseSession>(), unassigned.Id, Now, CancellationToken.None);
            statusOfUnknown = await GetCaseStatus.ReadWithAssigneesAsync(session.Get<IDatabaseSession>(), Guid.NewGuid(), Now, CancellationToken.None);
            all = await session.Store.ListAsync(new CaseListFilter("LV", null, null, null, false, Now, 10, null, me), CancellationToken.None);
            first = await session.Store.ListAsync(new CaseListFilter("LV", null, null, null, false, Now, 2, null, me), CancellationToken.None);
            second = await session.Store.ListAsync(new CaseListFilter("LV", null, null, null, false, Now, 10, null, me, WorkCursor.Of(first[^1])), CancellationToken.None);
            overdueOnly = await session.Store.ListAsync(new CaseListFilter("LV", null, null, null, true, Now, 10, null, me), CancellationToken.None);
            lt = await session.Store.ListAsync(new CaseListFilter("LT", null, null, null, false, Now, 10, null, new AssignedOfficer("LT", Issuer, "officer-1-LT")), CancellationToken.None);
            elsewhere = await session.Store.ListAsync(new CaseListFilter("LV", null, null, null, false, Now, 10, null, me with { Issuer = "https://other.test" }), CancellationToken.None);
            clocks = await ListDeadlines.ReadAsync(session.Get<IDatabaseSession>(), new ListDeadlines.Filter("LV", null, null, Now, 10, null, me), CancellationToken.None);
            running = await ListDeadlines.ReadAsync(session.Get<IDatabaseSession>(),
                new ListDeadlines.Filter("LV", null, Now.AddDays(14), Now, 10, null, me, OpenOnly: true), CancellationToken.None);
        }

        var history = await QueryAsync<string>(Sql("SELECT Type FROM CaseEvents WHERE CaseId = @Id ORDER BY Sequence", "SELECT Type FROM dbo.CaseEvents WHERE CaseId = @Id ORDER BY Sequence;"), new { others.Id });

        Assert.Multiple(() =>
        {
            Assert.That(assignees.Select(a => (a.Country, a.Subject, a.Issuer)), Is.EqualTo(new[] { ("LT", "officer-1-LT", Issuer), ("LV", "officer-1-LV", Issuer) }));
            // The status poll's one read (issue 20) gives the same assignees and otherwise the same status as the two reads.
            Assert.That(statusOfSoon!.Value.Status.Assignees, Is.EqualTo(assignees));
            Assert.That(statusOfSoon.Value.Status with { Assignees = null }, Is.EqualTo(plainStatusOfSoon!.Value.Status));
            Assert.That(statusOfSoon.Value.Head, Is.EqualTo(plainStatusOfSoon.Value.Head));
            Assert.That(statusOfOthers!.Value.Status.Assignees!.Select(a => (a.Country, a.Subject)), Is.EqualTo(new[] { ("LV", "officer-2-LV") }), "the reassignment replaced the first");
            Assert.That(statusOfUnassigned!.Value.Status.Assignees, Is.Empty);
            Assert.That(statusOfUnknown, Is.Null);
            Assert.That(all.Select(c => c.Id), Is.EqualTo(new[] { overdue.Id, soon.Id, later.Id, none.Id }), "running clocks only, soonest first; none last");
            Assert.That(first.Concat(second).Select(c => c.Id), Is.EqualTo(all.Select(c => c.Id)));
            Assert.That(overdueOnly.Select(c => c.Id), Is.EqualTo(new[] { overdue.Id }));
            Assert.That(lt.Select(c => c.Id), Is.EqualTo(new[] { soon.Id }));
            Assert.That(elsewhere, Is.Empty, "an officer is issuer + subject");
            Assert.That(clocks.Select(c => (c.CaseId, c.Ordinal)), Is.EqualTo(new[] { (overdue.Id, 1), (later.Id, 1), (soon.Id, 1), (later.Id, 2) }));
            Assert.That(running.Select(c => c.CaseId), Is.EqualTo(new[] { overdue.Id, soon.Id }), "running, due within 14 days, overdue included");
            Assert.That(history, Is.EqualTo(new[] { "CaseFiled", "AssigneeChanged", "AssigneeChanged" }));
        });
    }
}
