using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Reports;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// The report statements (<see cref="GetCaseload.Sql"/>, <see cref="GetStageTimes.Sql"/>, <see cref="GetClockCompliance.Sql"/>,
/// <see cref="GetCountryPairs.Sql"/>) on every provider at hand, with the same exact figures: durations are whole
/// milliseconds on both databases and the nearest-rank percentiles pick the same row. The fixture keeps to the
/// countries QA (requesting) and QB (requested), which no other test uses; instants carry milliseconds.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class ReportsContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static readonly Caller Reporter = new("reporter-QA", Caller.Reporter, "QA", "MINISTER", "https://login.example/qa");

    private async Task FireAsync(Guid id, WorkflowTrigger trigger, CaseSide side, DateTimeOffset at, JsonObject? data = null)
    {
        var values = data?.ToDictionary(m => m.Key, m => (object)(string)m.Value!) ?? [];
        await SaveAsync(id, c => c.Fire(trigger, new TransitionContext(at, "Recorded from the case file", new TriggerData(values)), side, at.AddMinutes(1)),
            Now, data: data ?? []);
    }

    private async Task<T> RunAsync<T>(Func<IDatabaseSession, TimeProvider, Task<T>> read)
    {
        await using var session = Open();
        return await read(session.Get<IDatabaseSession>(), new FakeTimeProvider(Now));
    }

    [Test]
    public async Task Every_report_gives_the_same_exact_figures()
    {
        // ReceivedAt is 2026-08-01T09:30:00.250Z for every case filed here.
        var withdrawn = await FileAsync(CaseFileFor("Withdrawn", "QA", "QB"), Now);
        await FireAsync(withdrawn.Case.Id, WorkflowTrigger.Submit, CaseSide.Requesting, new DateTimeOffset(2026, 8, 2, 10, 0, 0, TimeSpan.Zero));
        await FireAsync(withdrawn.Case.Id, WorkflowTrigger.Withdraw, CaseSide.Requesting, new DateTimeOffset(2026, 8, 5, 10, 0, 0, 125, TimeSpan.Zero),
            new JsonObject { ["reason"] = "The requesting state withdrew" });
        var arrested = await FileAsync(CaseFileFor("Arrested", "QA", "QB"), Now);
        await FireAsync(arrested.Case.Id, WorkflowTrigger.ProvisionalArrest, CaseSide.Requested, new DateTimeOffset(2026, 8, 3, 9, 30, 0, 250, TimeSpan.Zero));
        var discharged = await FileAsync(CaseFileFor("Discharged", "QA", "QB"), Now);
        await FireAsync(discharged.Case.Id, WorkflowTrigger.Discharge, CaseSide.Requested, new DateTimeOffset(2026, 8, 4, 21, 30, 0, 250, TimeSpan.Zero),
            new JsonObject { ["by"] = "Judge", ["ground"] = "Not an extradition offence" });

        var filter = new ReportFilter();
        var caseload = await RunAsync((s, t) => new GetCaseload.Handler(s, t).Handle(new GetCaseload.Query(Reporter, filter), CancellationToken.None));
        var stages = await RunAsync((s, t) => new GetStageTimes.Handler(s, t).Handle(new GetStageTimes.Query(Reporter, filter), CancellationToken.None));
        var clocks = await RunAsync((s, t) => new GetClockCompliance.Handler(s, t).Handle(new GetClockCompliance.Query(Reporter, filter), CancellationToken.None));
        var pairs = await RunAsync((s, t) => new GetCountryPairs.Handler(s, t).Handle(new GetCountryPairs.Query(Reporter, filter), CancellationToken.None));
        var none = await RunAsync((s, t) => new GetCaseload.Handler(s, t).Handle(
            new GetCaseload.Query(Reporter, new ReportFilter(OffenceCategory: OffenceCategory.Homicide, Basis: LegalBasis.Treaty)), CancellationToken.None));
        var byEvent = await RunAsync((s, t) => new GetStageTimes.Handler(s, t).Handle(new GetStageTimes.Query(Reporter,
            new ReportFilter(From: new DateTimeOffset(2026, 8, 4, 0, 0, 0, TimeSpan.Zero), Period: ReportPeriod.Event)), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(caseload.Open, Is.EqualTo(new[] { new GetCaseload.StateCount(CaseState.ProvisionalArrest, 1) }));
            Assert.That(caseload.Months, Is.EqualTo(new[] { new GetCaseload.Month("2026-08", 3, 2) }));
            Assert.That(caseload.Outcomes, Is.EqualTo(new[]
            {
                new GetCaseload.OutcomeCount(CaseState.Discharged, "Judge", 1), new GetCaseload.OutcomeCount(CaseState.Withdrawn, null, 1),
            }));
            // Draft: 1 d 00:29:59.750 (88,199,750 ms), 2 d, 3.5 d; UnderReview: 3 d 0.125 s.
            Assert.That(stages.Stages, Is.EqualTo(new[]
            {
                new GetStageTimes.Stage("Draft", 3, 2m, 3.5m, 3.5m),
                new GetStageTimes.Stage("UnderReview", 1, 3m, 3m, 3m),
            }));
            Assert.That(byEvent.Stages.Select(s => (s.Name, s.Stays, s.MedianDays)), Is.EqualTo(new[] { ("Draft", 1, 3.5m), ("UnderReview", 1, 3m) }));
            Assert.That(clocks.Clocks, Is.EqualTo(new[] { new GetClockCompliance.KindCount(DeadlineKind.FullRequest, "QB", 0, 1, 0, 0, 0, 0, 0m) }));
            Assert.That(clocks.Backlog, Is.EqualTo(new[] { new GetClockCompliance.BacklogCount(DeadlineKind.FullRequest, "30To90Days", 1) }));
            Assert.That(pairs.Pairs, Is.EqualTo(new[]
            {
                new GetCountryPairs.Pair("QA", "QB", OffenceCategory.TerrorismFinancing, 3, 1, 0, 1, 0, 1),
                new GetCountryPairs.Pair("QA", "QB", OffenceCategory.MoneyLaundering, 3, 1, 0, 1, 0, 1),
            }));
            Assert.That(none.Open, Is.Empty);
            Assert.That(none.Months, Is.Empty);
        });
    }

    /// <summary>
    /// The stays the store writes with each event (migration 0014) are the ones the backfill derives from the history,
    /// a surrender's filing-to-surrender included, and the figures read from either are the same. Countries QE and QF.
    /// </summary>
    [Test]
    public async Task The_backfill_rebuilds_from_the_history_the_stays_the_store_wrote_with_the_same_figures()
    {
        var auditor = new Caller("auditor-1", Caller.Auditor, null, "AUDIT", "https://login.example/audit");
        var surrendered = (await FileAsync(CaseFileFor("Surrendered", "QE", "QF"), Now)).Case.Id;
        var at = new DateTimeOffset(2026, 8, 2, 10, 0, 0, 500, TimeSpan.Zero);
        await FireAsync(surrendered, WorkflowTrigger.Submit, CaseSide.Requesting, at);
        await FireAsync(surrendered, WorkflowTrigger.Certify, CaseSide.Requested, at.AddDays(2), new JsonObject { ["certificateReference"] = "S70-QE" });
        await FireAsync(surrendered, WorkflowTrigger.IssueWarrant, CaseSide.Requested, at.AddDays(3),
            new JsonObject { ["warrantReference"] = "S71-QE", ["court"] = "Westminster" });
        await FireAsync(surrendered, WorkflowTrigger.Arrest, CaseSide.Requested, at.AddDays(5));
        await FireAsync(surrendered, WorkflowTrigger.OpenHearing, CaseSide.Requested, at.AddDays(8));
        await FireAsync(surrendered, WorkflowTrigger.SendToExecutive, CaseSide.Requested, at.AddDays(18).AddMilliseconds(250));
        await FireAsync(surrendered, WorkflowTrigger.OrderExtradition, CaseSide.Requested, at.AddDays(30));
        await FireAsync(surrendered, WorkflowTrigger.ArrangeSurrender, CaseSide.Requested, at.AddDays(49),
            new JsonObject { ["scheduledFor"] = "2026-09-25T10:00:00Z" });
        await FireAsync(surrendered, WorkflowTrigger.Surrender, CaseSide.Requested, at.AddDays(54));
        var withdrawn = (await FileAsync(CaseFileFor("Withdrawn", "QE", "QF"), Now)).Case.Id;
        await FireAsync(withdrawn, WorkflowTrigger.Submit, CaseSide.Requesting, at.AddDays(1));
        await FireAsync(withdrawn, WorkflowTrigger.Withdraw, CaseSide.Requesting, at.AddDays(4).AddMilliseconds(125), new JsonObject { ["reason"] = "Withdrawn" });
        await FileAsync(CaseFileFor("Draft", "QE", "QF"), Now);

        var filter = new ReportFilter(RequestingState: "QE");
        var stays = Sql("SELECT * FROM CaseStays WHERE RequestingState = 'QE' ORDER BY CaseId, Sequence, Stage",
            "SELECT * FROM dbo.CaseStays WHERE RequestingState = 'QE' ORDER BY CaseId, Sequence, Stage");
        var live = (await QueryAsync<StayRow>(stays)).Select(r => r.ToString()).ToList();
        var liveStages = await RunAsync((s, t) => new GetStageTimes.Handler(s, t).Handle(new GetStageTimes.Query(auditor, filter), CancellationToken.None));
        var livePairs = await RunAsync((s, t) => new GetCountryPairs.Handler(s, t).Handle(new GetCountryPairs.Query(auditor, filter), CancellationToken.None));
        await QueryAsync<int>(Sql("DELETE FROM CaseStays WHERE RequestingState = 'QE'", "DELETE FROM dbo.CaseStays WHERE RequestingState = 'QE'"));
        await QueryAsync<int>(Sql("DELETE FROM CaseOffenceCategories WHERE CaseId IN (SELECT Id FROM Cases WHERE RequestingState = 'QE')",
            "DELETE FROM dbo.CaseOffenceCategories WHERE CaseId IN (SELECT Id FROM dbo.Cases WHERE RequestingState = 'QE')"));
        await using (var session = Open())
        {
            await session.Get<IDatabaseSession>().ExecuteAsync(CaseStays.Sql.BackfillStays, null, CancellationToken.None);
            await session.Get<IDatabaseSession>().ExecuteAsync(CaseStays.Sql.BackfillCategories, null, CancellationToken.None);
        }

        var backfilled = (await QueryAsync<StayRow>(stays)).Select(r => r.ToString()).ToList();
        var stages = await RunAsync((s, t) => new GetStageTimes.Handler(s, t).Handle(new GetStageTimes.Query(auditor, filter), CancellationToken.None));
        var pairs = await RunAsync((s, t) => new GetCountryPairs.Handler(s, t).Handle(new GetCountryPairs.Query(auditor, filter), CancellationToken.None));

        Assert.Multiple(() =>
        {
            Assert.That(live, Has.Count.EqualTo(10 + 1 + 3 + 1), "the stays of three cases and one filing to surrender");
            Assert.That(backfilled, Is.EqualTo(live));
            Assert.That(stages.Stages, Is.EqualTo(liveStages.Stages));
            Assert.That(pairs.Pairs, Is.EqualTo(livePairs.Pairs));
            // Received 2026-08-01T09:30:00.250Z; surrendered 2026-09-25T10:00:00.500Z.
            Assert.That(stages.Stages.Single(s => s.Name == GetStageTimes.FilingToSurrender),
                Is.EqualTo(new GetStageTimes.Stage(GetStageTimes.FilingToSurrender, 1, 55.02m, 55.02m, 55.02m)));
            Assert.That(stages.Stages.Single(s => s.Name == "Draft"), Is.EqualTo(new GetStageTimes.Stage("Draft", 2, 1.02m, 2.02m, 2.02m)));
            Assert.That(stages.Stages.Select(s => s.Name), Does.Not.Contain("Surrendered").And.Not.Contain("Withdrawn"), "open stays are not counted");
        });
    }

    private sealed class StayRow
    {
        public Guid CaseId { get; init; }
        public int Sequence { get; init; }
        public string Stage { get; init; } = "";
        public DateTimeOffset EnteredAt { get; init; }
        public DateTimeOffset? LeftAt { get; init; }
        public long? Ms { get; init; }
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public DateTimeOffset ReceivedAt { get; init; }
        public string? Basis { get; init; }
        public string? Categories { get; init; }

        public override string ToString() =>
            $"{CaseId} {Sequence} {Stage} {EnteredAt:O} {LeftAt:O} {Ms} {RequestingState.Trim()} {RequestedState.Trim()} {ReceivedAt:O} {Basis} {Categories}";
    }

    [Test]
    public void A_partner_reads_no_report() =>
        Assert.ThrowsAsync<ForbiddenException>(() => RunAsync((s, t) => new GetCaseload.Handler(s, t).Handle(
            new GetCaseload.Query(new Caller("partner-QA", Caller.Partner, "QA", null, "https://login.example/qa"), new ReportFilter()), CancellationToken.None)));
}
