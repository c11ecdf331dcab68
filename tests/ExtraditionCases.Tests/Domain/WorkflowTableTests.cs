using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Tests.Domain;

/// <summary>Every state x trigger pair against the spec's trigger table (shared/domain/extradition-workflow.md).</summary>
public sealed class WorkflowTableTests
{
    private static readonly CaseState[] BeforeSurrender =
    [
        CaseState.Draft, CaseState.UnderReview, CaseState.Lodged, CaseState.ProvisionalArrest, CaseState.WarrantIssued,
        CaseState.InitialHearing, CaseState.ExtraditionHearing, CaseState.HearingAdjourned, CaseState.ExecutiveDecision,
        CaseState.DecisionDeferred, CaseState.ExtraditionOrdered, CaseState.AppealPending, CaseState.SurrenderPostponed,
        CaseState.SurrenderArranged,
    ];

    /// <summary>The spec's table, written out independently of the machine's configuration.</summary>
    private static readonly Dictionary<WorkflowTrigger, (CaseState[] From, CaseState? To)> Spec = new()
    {
        [WorkflowTrigger.Submit] = ([CaseState.Draft], CaseState.UnderReview),
        [WorkflowTrigger.ReturnForCorrection] = ([CaseState.UnderReview], CaseState.Draft),
        [WorkflowTrigger.Certify] = ([CaseState.UnderReview], CaseState.Lodged),
        [WorkflowTrigger.RefuseCertification] = ([CaseState.UnderReview], CaseState.Refused),
        [WorkflowTrigger.ProvisionalArrest] = ([CaseState.Draft, CaseState.UnderReview], CaseState.ProvisionalArrest),
        [WorkflowTrigger.IssueWarrant] = ([CaseState.Lodged], CaseState.WarrantIssued),
        [WorkflowTrigger.Arrest] = ([CaseState.WarrantIssued], CaseState.InitialHearing),
        [WorkflowTrigger.ReceiveFullRequest] = ([CaseState.ProvisionalArrest], CaseState.InitialHearing),
        [WorkflowTrigger.OpenHearing] = ([CaseState.InitialHearing, CaseState.HearingAdjourned], CaseState.ExtraditionHearing),
        [WorkflowTrigger.Adjourn] = ([CaseState.InitialHearing, CaseState.ExtraditionHearing], CaseState.HearingAdjourned),
        [WorkflowTrigger.RecordConsent] = ([CaseState.ProvisionalArrest, CaseState.InitialHearing, CaseState.ExtraditionHearing,
            CaseState.HearingAdjourned, CaseState.ExecutiveDecision], CaseState.ExecutiveDecision),
        [WorkflowTrigger.SendToExecutive] = ([CaseState.ExtraditionHearing], CaseState.ExecutiveDecision),
        [WorkflowTrigger.DeferDecision] = ([CaseState.ExecutiveDecision], CaseState.DecisionDeferred),
        [WorkflowTrigger.ResumeDecision] = ([CaseState.DecisionDeferred], CaseState.ExecutiveDecision),
        [WorkflowTrigger.OrderExtradition] = ([CaseState.ExecutiveDecision], CaseState.ExtraditionOrdered),
        [WorkflowTrigger.LodgeAppeal] = ([CaseState.ExtraditionOrdered, CaseState.Discharged], CaseState.AppealPending),
        [WorkflowTrigger.DismissAppeal] = ([CaseState.AppealPending], null),
        [WorkflowTrigger.AllowAppeal] = ([CaseState.AppealPending], null),
        [WorkflowTrigger.RemitCase] = ([CaseState.AppealPending], CaseState.ExtraditionHearing),
        [WorkflowTrigger.ArrangeSurrender] = ([CaseState.ExtraditionOrdered], CaseState.SurrenderArranged),
        [WorkflowTrigger.PostponeSurrender] = ([CaseState.ExtraditionOrdered, CaseState.SurrenderArranged], CaseState.SurrenderPostponed),
        [WorkflowTrigger.LiftPostponement] = ([CaseState.SurrenderPostponed], CaseState.ExtraditionOrdered),
        [WorkflowTrigger.Surrender] = ([CaseState.SurrenderArranged], CaseState.Surrendered),
        [WorkflowTrigger.Discharge] = (BeforeSurrender, CaseState.Discharged),
        [WorkflowTrigger.Withdraw] = (BeforeSurrender, CaseState.Withdrawn),
        [WorkflowTrigger.Close] = ([CaseState.Surrendered, CaseState.Discharged, CaseState.Refused, CaseState.Withdrawn], CaseState.Closed),
    };

    private static IEnumerable<TestCaseData> EveryPair() =>
        from state in Enum.GetValues<CaseState>()
        from trigger in Enum.GetValues<WorkflowTrigger>()
        select new TestCaseData(state, trigger).SetName($"{state} x {trigger}");

    [Test]
    public void The_spec_table_names_all_26_triggers_and_the_machine_all_19_states()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Spec.Keys, Is.EquivalentTo(Enum.GetValues<WorkflowTrigger>()));
            Assert.That(Enum.GetValues<WorkflowTrigger>(), Has.Length.EqualTo(26));
            Assert.That(ExtraditionCase.Describe().States.Select(s => (CaseState)s.UnderlyingState), Is.EquivalentTo(Enum.GetValues<CaseState>()));
        });
    }

    [TestCaseSource(nameof(EveryPair))]
    public void Trigger_is_permitted_exactly_where_the_spec_table_says(CaseState state, WorkflowTrigger trigger)
    {
        var (from, to) = Spec[trigger];
        var facts = new WorkflowFacts
        {
            LastOccurredAt = CaseBuilder.Filed,
            // Appeals need an appellant; the requesting state's appeal needs an appealable discharge.
            PendingAppeal = state == CaseState.AppealPending ? ExtraditionCases.Domain.Deadlines.Appellant.Person : null,
            DischargedAt = state == CaseState.Discharged ? CaseBuilder.Filed : null,
        };
        var c = CaseBuilder.InState(state, facts,
            clocks: state == CaseState.Discharged ? [CaseBuilder.RequestingStateAppealWindow(CaseBuilder.Filed.AddDays(14))] : null);
        var at = trigger == WorkflowTrigger.Close && state == CaseState.Discharged ? CaseBuilder.Filed.AddDays(20) : CaseBuilder.Filed.AddDays(1);

        var fire = () => c.Step(trigger, at);

        if (!from.Contains(state))
        {
            var refused = Assert.Throws<TriggerNotPermittedException>(() => fire());
            Assert.That(refused!.AllowedActions, Does.Not.Contain(trigger));
            return;
        }

        Assert.DoesNotThrow(() => fire());
        if (to is not null) Assert.That(c.State, Is.EqualTo(to));
        Assert.That(c.Changes[^1].Trigger, Is.EqualTo(trigger));
    }

    [Test]
    public void Consent_in_executive_decision_is_an_internal_transition()
    {
        var c = CaseBuilder.InState(CaseState.ExecutiveDecision);

        c.Step(WorkflowTrigger.RecordConsent, CaseBuilder.Filed.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(c.State, Is.EqualTo(CaseState.ExecutiveDecision));
            Assert.That(c.StateSince, Is.EqualTo(CaseBuilder.Filed), "an internal transition does not re-enter the state");
            Assert.That(c.Facts.ConsentRecorded, Is.True);
        });
    }

    [TestCase(ExtraditionCases.Domain.Deadlines.Appellant.Person, CaseState.ExtraditionOrdered, CaseState.Discharged)]
    [TestCase(ExtraditionCases.Domain.Deadlines.Appellant.RequestingState, CaseState.Discharged, CaseState.ExecutiveDecision)]
    public void Appeal_outcomes_depend_on_who_appealed(ExtraditionCases.Domain.Deadlines.Appellant appellant, CaseState afterDismissal, CaseState afterAllowed)
    {
        var facts = new WorkflowFacts { LastOccurredAt = CaseBuilder.Filed, PendingAppeal = appellant, DischargingStage = CaseState.ExecutiveDecision };
        var dismissed = CaseBuilder.InState(CaseState.AppealPending, facts with { });
        var allowed = CaseBuilder.InState(CaseState.AppealPending, facts with { });

        dismissed.Step(WorkflowTrigger.DismissAppeal, CaseBuilder.Filed.AddDays(1));
        allowed.Step(WorkflowTrigger.AllowAppeal, CaseBuilder.Filed.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(dismissed.State, Is.EqualTo(afterDismissal));
            Assert.That(allowed.State, Is.EqualTo(afterAllowed));
        });
    }

    [Test]
    public void Closed_accepts_nothing()
    {
        var c = CaseBuilder.InState(CaseState.Closed);

        Assert.That(c.AllowedActions(CaseSide.Requested, CaseBuilder.Filed.AddDays(1)), Is.Empty);
        Assert.That(c.AllowedActions(CaseSide.Requesting, CaseBuilder.Filed.AddDays(1)), Is.Empty);
    }

    /// <summary>Who may fire what: every trigger fired by the other state's officer is refused.</summary>
    [TestCaseSource(nameof(EveryPermittedPair))]
    public void A_trigger_fired_by_the_wrong_states_officer_is_refused(CaseState state, WorkflowTrigger trigger)
    {
        var c = CaseBuilder.InState(state, new WorkflowFacts
        {
            LastOccurredAt = CaseBuilder.Filed,
            PendingAppeal = ExtraditionCases.Domain.Deadlines.Appellant.Person,
        }, clocks: [CaseBuilder.RequestingStateAppealWindow(CaseBuilder.Filed.AddDays(14))]);
        var wrongSide = CaseBuilder.SideFor(trigger, state) == CaseSide.Requested ? CaseSide.Requesting : CaseSide.Requested;

        var fire = () => c.Fire(trigger, new TransitionContext(CaseBuilder.Filed.AddDays(1), null, CaseBuilder.ValidData(trigger, state)),
            wrongSide, CaseBuilder.Filed.AddDays(1));

        Assert.Throws<TriggerNotYoursException>(() => fire());
    }

    private static IEnumerable<TestCaseData> EveryPermittedPair() =>
        from pair in Spec
        where pair.Key is not (WorkflowTrigger.ArrangeSurrender or WorkflowTrigger.Close) // either state's officers may fire these
        select new TestCaseData(pair.Value.From[0], pair.Key).SetName($"{pair.Key} from {pair.Value.From[0]} by the other state");
}
