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

    [Test]
    public void A_partner_reads_no_report() =>
        Assert.ThrowsAsync<ForbiddenException>(() => RunAsync((s, t) => new GetCaseload.Handler(s, t).Handle(
            new GetCaseload.Query(new Caller("partner-QA", Caller.Partner, "QA", null, "https://login.example/qa"), new ReportFilter()), CancellationToken.None)));
}
