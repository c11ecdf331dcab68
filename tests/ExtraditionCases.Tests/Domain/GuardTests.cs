using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Tests.Domain;

/// <summary>Each guard of the spec, passing and failing.</summary>
public sealed class GuardTests
{
    private static readonly DateTimeOffset T0 = CaseBuilder.Filed;

    private static TriggerData Data(params (string Name, object Value)[] values) => new(values.ToDictionary(v => v.Name, v => v.Value));

    private static ExtraditionCase ProvisionallyArrested(DeadlineOptions? options = null, string requesting = "PK")
    {
        var c = CaseBuilder.NewCase(CaseBuilder.CompleteFile(requesting), options);
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        return c;
    }

    private static ExtraditionCase Ordered(bool consent = false, CaseFile? file = null)
    {
        var c = CaseBuilder.NewCase(file);
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        if (consent)
        {
            c.Step(WorkflowTrigger.RecordConsent, T0.AddDays(2));
        }
        else
        {
            c.Step(WorkflowTrigger.ReceiveFullRequest, T0.AddDays(10));
            c.Step(WorkflowTrigger.OpenHearing, T0.AddDays(20));
            c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));
        }

        c.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(40), Data(("specialityAssuranceReference", "SA-1")));
        return c;
    }

    private static GuardsUnmetException Refused(Action fire) => Assert.Throws<GuardsUnmetException>(() => fire())!;

    [Test]
    public void Submit_needs_a_complete_case_file()
    {
        var incomplete = CaseBuilder.NewCase(CaseBuilder.CompleteFile() with { Warrant = null });
        var complete = CaseBuilder.NewCase();

        var refusal = Refused(() => incomplete.Step(WorkflowTrigger.Submit, T0.AddHours(1)));
        complete.Step(WorkflowTrigger.Submit, T0.AddHours(1));

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards.Single(), Does.StartWith("the case file is complete"));
            Assert.That(complete.State, Is.EqualTo(CaseState.UnderReview));
        });
    }

    [Test]
    public void Consent_without_representation_or_a_legal_aid_exception_fails()
    {
        var c = ProvisionallyArrested();

        var refusal = Refused(() => c.Step(WorkflowTrigger.RecordConsent, T0.AddDays(1), Data(("written", true), ("legallyRepresented", false))));
        c.Step(WorkflowTrigger.RecordConsent, T0.AddDays(1),
            Data(("written", true), ("legallyRepresented", false), ("legalAidException", "Refused legal aid (s.45)")));

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards, Has.Some.Contains("s.127"));
            Assert.That(c.State, Is.EqualTo(CaseState.ExecutiveDecision));
        });
    }

    [Test]
    public void Unwritten_consent_fails()
    {
        var c = ProvisionallyArrested();

        Refused(() => c.Step(WorkflowTrigger.RecordConsent, T0.AddDays(1), Data(("written", false), ("legallyRepresented", true))));

        Assert.That(c.State, Is.EqualTo(CaseState.ProvisionalArrest));
    }

    [Test]
    public void Full_request_after_the_45_day_limit_fails_and_on_day_45_passes()
    {
        var late = ProvisionallyArrested();
        var onTime = ProvisionallyArrested();
        // Arrested 2 March (day 1) in London: day 45 is 15 April, which ends at 23:00 UTC (BST).
        var day45 = new DateTimeOffset(2026, 4, 15, 22, 59, 0, TimeSpan.Zero);

        var refusal = Refused(() => late.Step(WorkflowTrigger.ReceiveFullRequest, day45.AddMinutes(2)));
        onTime.Step(WorkflowTrigger.ReceiveFullRequest, day45);

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards.Single(), Does.Contain("s.74"));
            Assert.That(onTime.State, Is.EqualTo(CaseState.InitialHearing));
            Assert.That(onTime.Deadlines.Single(d => d.Kind == DeadlineKind.FullRequest).Status, Is.EqualTo(DeadlineStatus.Met));
        });
    }

    [Test]
    public void Full_request_for_a_65_day_territory_passes_on_day_50_and_fails_after_day_65()
    {
        var options = new DeadlineOptions { SixtyFiveDayTerritories = ["PK"] };
        var day50 = ProvisionallyArrested(options);
        var day66 = ProvisionallyArrested(options);

        day50.Step(WorkflowTrigger.ReceiveFullRequest, T0.AddDays(49));
        Refused(() => day66.Step(WorkflowTrigger.ReceiveFullRequest, T0.AddDays(65)));

        Assert.That(day50.State, Is.EqualTo(CaseState.InitialHearing));
    }

    [Test]
    public void Appeal_on_day_15_without_a_late_ground_fails_and_with_one_passes()
    {
        var withoutGround = Ordered();
        var withGround = Ordered();
        var day15 = T0.AddDays(40 + 14).AddHours(2);

        var refusal = Refused(() => withoutGround.Step(WorkflowTrigger.LodgeAppeal, day15));
        withGround.Step(WorkflowTrigger.LodgeAppeal, day15, Data(("appellant", "Person"), ("lateGround", "Notice served late")));

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards, Has.Some.Contains("appeal window"));
            Assert.That(withGround.State, Is.EqualTo(CaseState.AppealPending));
        });
    }

    [Test]
    public void Appeal_on_day_14_passes()
    {
        var c = Ordered();

        c.Step(WorkflowTrigger.LodgeAppeal, T0.AddDays(40 + 13));

        Assert.That(c.State, Is.EqualTo(CaseState.AppealPending));
    }

    [Test]
    public void Appeal_after_consent_fails()
    {
        var c = Ordered(consent: true);

        var refusal = Refused(() => c.Step(WorkflowTrigger.LodgeAppeal, T0.AddDays(41)));

        Assert.That(refusal.UnmetGuards, Has.Some.Contains("s.103(2)"));
    }

    [Test]
    public void Order_without_a_death_penalty_assurance_fails_when_an_offence_carries_it()
    {
        var c = CaseBuilder.InState(CaseState.ExecutiveDecision, file: CaseBuilder.CompleteFile(deathPenalty: true));

        var refusal = Refused(() => c.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(1)));
        c.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(1), Data(("deathPenaltyAssuranceReference", "DPA-1")));

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards, Has.Some.Contains("s.94"));
            Assert.That(c.State, Is.EqualTo(CaseState.ExtraditionOrdered));
        });
    }

    [Test]
    public void Order_under_a_special_arrangement_needs_a_speciality_assurance_or_consent()
    {
        var file = CaseBuilder.CompleteFile(basis: LegalBasis.SpecialArrangement);
        var bare = CaseBuilder.InState(CaseState.ExecutiveDecision, file: file);
        var consented = CaseBuilder.InState(CaseState.ExecutiveDecision,
            new WorkflowFacts { LastOccurredAt = T0, ConsentRecorded = true, ConsentBeforeSending = true }, file);

        var refusal = Refused(() => bare.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(1)));
        consented.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(1));

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards, Has.Some.Contains("s.95"));
            Assert.That(consented.State, Is.EqualTo(CaseState.ExtraditionOrdered));
        });
    }

    [Test]
    public void Arranging_surrender_waits_for_the_appeal_window_to_close_unused()
    {
        var c = Ordered();

        var refusal = Refused(() => c.Step(WorkflowTrigger.ArrangeSurrender, T0.AddDays(45)));
        c.Step(WorkflowTrigger.ArrangeSurrender, T0.AddDays(55));

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards.Single(), Does.StartWith("no appeal is pending"));
            Assert.That(c.State, Is.EqualTo(CaseState.SurrenderArranged));
        });
    }

    [Test]
    public void Surrender_after_day_28_needs_a_reasonable_cause()
    {
        var late = Ordered(consent: true);
        var excused = Ordered(consent: true);
        late.Step(WorkflowTrigger.ArrangeSurrender, T0.AddDays(41));
        excused.Step(WorkflowTrigger.ArrangeSurrender, T0.AddDays(41));
        var day29 = T0.AddDays(40 + 28).AddHours(2);

        var refusal = Refused(() => late.Step(WorkflowTrigger.Surrender, day29));
        excused.Step(WorkflowTrigger.Surrender, day29, Data(("reasonableCause", "Flight cancelled by the carrier")));

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards, Has.Some.Contains("s.117"));
            Assert.That(excused.State, Is.EqualTo(CaseState.Surrendered));
            Assert.That(excused.Deadlines.Single(d => d.Kind == DeadlineKind.Surrender).Status, Is.EqualTo(DeadlineStatus.Missed),
                "met late reads Missed");
        });
    }

    [Test]
    public void A_surrender_recorded_late_but_dated_in_time_passes()
    {
        var c = Ordered(consent: true);
        c.Step(WorkflowTrigger.ArrangeSurrender, T0.AddDays(41));

        // Day 15 of the 28, recorded on day 40 with a note: the guard reads occurredAt, not the clock's status now.
        c.Fire(WorkflowTrigger.Surrender, new TransitionContext(T0.AddDays(54), "Recorded late", TriggerData.Empty), CaseSide.Requested, T0.AddDays(80));

        Assert.That(c.State, Is.EqualTo(CaseState.Surrendered));
    }

    private static ExtraditionCase DischargedAtHearing()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        c.Step(WorkflowTrigger.ReceiveFullRequest, T0.AddDays(10));
        c.Step(WorkflowTrigger.OpenHearing, T0.AddDays(20));
        c.Step(WorkflowTrigger.Discharge, T0.AddDays(30), Data(("by", "Judge"), ("ground", "Passage of time (s.82)")));
        return c;
    }

    [Test]
    public void Requesting_state_appeal_within_14_days_of_a_hearing_discharge_passes_and_after_fails()
    {
        var inTime = DischargedAtHearing();
        var late = DischargedAtHearing();

        inTime.Step(WorkflowTrigger.LodgeAppeal, T0.AddDays(30 + 13));
        var refusal = Refused(() => late.Step(WorkflowTrigger.LodgeAppeal, T0.AddDays(30 + 14).AddHours(2)));

        Assert.Multiple(() =>
        {
            Assert.That(inTime.State, Is.EqualTo(CaseState.AppealPending));
            Assert.That(inTime.Deadlines.Single(d => d.Kind == DeadlineKind.RequestingStateAppealWindow).Status, Is.EqualTo(DeadlineStatus.Met));
            Assert.That(refusal.UnmetGuards, Has.Some.Contains("within 14 days"));
        });
    }

    [Test]
    public void Requesting_state_may_not_appeal_a_discharge_before_the_hearing()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.Discharge, T0.AddDays(1), Data(("by", "Judge"), ("ground", "Warrant defective")));

        var refusal = Refused(() => c.Step(WorkflowTrigger.LodgeAppeal, T0.AddDays(2)));

        Assert.That(refusal.UnmetGuards, Has.Some.Contains("at the extradition hearing or by the executive"));
    }

    [Test]
    public void A_discharged_case_closes_only_once_the_requesting_states_appeal_window_is_over()
    {
        var c = DischargedAtHearing();

        var refusal = Refused(() => c.Step(WorkflowTrigger.Close, T0.AddDays(35)));
        c.Step(WorkflowTrigger.Close, T0.AddDays(50));

        Assert.Multiple(() =>
        {
            Assert.That(refusal.UnmetGuards.Single(), Does.Contain("appeal window"));
            Assert.That(c.State, Is.EqualTo(CaseState.Closed));
        });
    }

    [Test]
    public void Allowed_requesting_state_appeal_returns_the_case_to_the_hearing()
    {
        var c = DischargedAtHearing();
        c.Step(WorkflowTrigger.LodgeAppeal, T0.AddDays(35));

        c.Step(WorkflowTrigger.AllowAppeal, T0.AddDays(60));

        Assert.That(c.State, Is.EqualTo(CaseState.ExtraditionHearing));
    }

    [Test]
    public void Time_order_rules_refuse_future_and_backdated_steps_and_old_steps_without_a_note()
    {
        var c = CaseBuilder.NewCase();
        var now = T0.AddDays(10);

        var future = Refused(() => c.Fire(WorkflowTrigger.ProvisionalArrest, new TransitionContext(now.AddMinutes(1), null, TriggerData.Empty), CaseSide.Requested, now));
        var beforeFiling = Refused(() => c.Fire(WorkflowTrigger.ProvisionalArrest, new TransitionContext(T0.AddMinutes(-1), "n", TriggerData.Empty), CaseSide.Requested, now));
        var oldWithoutNote = Refused(() => c.Fire(WorkflowTrigger.ProvisionalArrest, new TransitionContext(now.AddHours(-25), null, TriggerData.Empty), CaseSide.Requested, now));
        c.Fire(WorkflowTrigger.ProvisionalArrest, new TransitionContext(now.AddHours(-25), "Arrest reported late by the police", TriggerData.Empty), CaseSide.Requested, now);

        Assert.Multiple(() =>
        {
            Assert.That(future.UnmetGuards, Has.Some.Contains("future"));
            Assert.That(beforeFiling.UnmetGuards, Has.Some.Contains("latest step"));
            Assert.That(oldWithoutNote.UnmetGuards, Has.Some.Contains("24 hours"));
            Assert.That(c.State, Is.EqualTo(CaseState.ProvisionalArrest));
        });
    }

    [Test]
    public void Allowed_actions_leave_out_triggers_whose_data_free_guards_fail()
    {
        var incomplete = CaseBuilder.NewCase(CaseBuilder.CompleteFile() with { Warrant = null });
        var consented = Ordered(consent: true);

        Assert.Multiple(() =>
        {
            Assert.That(incomplete.AllowedActions(CaseSide.Requesting, T0.AddHours(1)), Is.EqualTo(new[] { WorkflowTrigger.Withdraw }));
            Assert.That(consented.AllowedActions(CaseSide.Requested, T0.AddDays(41)), Does.Not.Contain(WorkflowTrigger.LodgeAppeal));
            Assert.That(consented.AllowedActions(CaseSide.Requested, T0.AddDays(41)), Does.Contain(WorkflowTrigger.ArrangeSurrender));
        });
    }
}
