using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Tests.Domain;

/// <summary>The statutory clocks: started, met, missed or expired, extended and cancelled, by the requested state's law.</summary>
public sealed class DeadlineTests
{
    private static readonly DateTimeOffset T0 = CaseBuilder.Filed; // Monday 2 March 2026, 09:00 UTC (GMT in London)

    private static TriggerData Data(params (string Name, object Value)[] values) => new(values.ToDictionary(v => v.Name, v => v.Value));

    private static Deadline Clock(ExtraditionCase c, DeadlineKind kind) => c.Deadlines.Last(d => d.Kind == kind);

    private static ExtraditionCase AtHearing(string requested = "GB")
    {
        var c = CaseBuilder.NewCase(CaseBuilder.CompleteFile(requested: requested));
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        c.Step(WorkflowTrigger.ReceiveFullRequest, T0.AddDays(10));
        c.Step(WorkflowTrigger.OpenHearing, T0.AddDays(20));
        return c;
    }

    [Test]
    public void FullRequest_starts_at_provisional_arrest_and_is_met_by_the_full_request()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        var started = Clock(c, DeadlineKind.FullRequest);

        Assert.Multiple(() =>
        {
            Assert.That(started.StartedAt, Is.EqualTo(T0.AddHours(1)));
            Assert.That(started.DueAt, Is.EqualTo(new DateTimeOffset(2026, 4, 15, 23, 0, 0, TimeSpan.Zero)), "end of day 45, London summer time");
            Assert.That(started.Statute, Is.EqualTo("Extradition Act 2003 s.74"));
            Assert.That(started.Advisory, Is.False);
        });

        c.Step(WorkflowTrigger.ReceiveFullRequest, T0.AddDays(5));
        Assert.That(Clock(c, DeadlineKind.FullRequest).Status, Is.EqualTo(DeadlineStatus.Met));
    }

    [Test]
    public void Fire_reports_the_clocks_each_step_started_met_missed_and_cancelled()
    {
        var c = CaseBuilder.NewCase();
        var arrested = c.Fire(WorkflowTrigger.ProvisionalArrest, new TransitionContext(T0.AddHours(1), null, TriggerData.Empty), CaseSide.Requested, T0.AddHours(1));
        var received = c.Fire(WorkflowTrigger.ReceiveFullRequest,
            new TransitionContext(T0.AddDays(5), null, CaseBuilder.ValidData(WorkflowTrigger.ReceiveFullRequest)), CaseSide.Requested, T0.AddDays(5));
        var lateHearing = c.Fire(WorkflowTrigger.OpenHearing, new TransitionContext(T0.AddDays(80), "Listed late", TriggerData.Empty), CaseSide.Requested, T0.AddDays(80));
        var sent = c.Fire(WorkflowTrigger.SendToExecutive, new TransitionContext(T0.AddDays(81), "Sent", TriggerData.Empty), CaseSide.Requested, T0.AddDays(81));
        var discharged = c.Fire(WorkflowTrigger.Discharge,
            new TransitionContext(T0.AddDays(82), "Discharged", Data(("by", "Executive"), ("ground", "s.93 bar"))), CaseSide.Requested, T0.AddDays(82));

        Assert.Multiple(() =>
        {
            Assert.That(arrested.Started, Is.EqualTo(new[] { DeadlineKind.FullRequest }));
            Assert.That(received.Met, Is.EqualTo(new[] { DeadlineKind.FullRequest }));
            Assert.That(received.Started, Is.EqualTo(new[] { DeadlineKind.HearingStart }));
            Assert.That(lateHearing.Missed, Is.EqualTo(new[] { DeadlineKind.HearingStart }), "met after its due instant");
            Assert.That(lateHearing.Met, Is.Empty);
            Assert.That(sent.Started, Is.EqualTo(new[] { DeadlineKind.Representations, DeadlineKind.ExecutiveDecision }));
            Assert.That(discharged.Met, Is.EqualTo(new[] { DeadlineKind.ExecutiveDecision }), "the executive's discharge is its decision");
            Assert.That(discharged.Cancelled, Is.EqualTo(new[] { DeadlineKind.Representations }));
            Assert.That(discharged.Started, Is.EqualTo(new[] { DeadlineKind.RequestingStateAppealWindow }), "a discharge by the executive opens the requesting state's appeal");
            Assert.That(c.Changes[^1].Clocks, Is.EqualTo(discharged), "the recorded change carries the same report");
        });
    }

    [Test]
    public void A_clock_reads_Missed_purely_by_time_passing()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        var clock = Clock(c, DeadlineKind.FullRequest);

        Assert.Multiple(() =>
        {
            Assert.That(clock.StatusAt(clock.DueAt.AddTicks(-1)), Is.EqualTo(DeadlineStatus.Pending), "the last instant of the last day");
            Assert.That(clock.StatusAt(clock.DueAt), Is.EqualTo(DeadlineStatus.Missed), "dueAt, local midnight, is the first instant of the first day out");
            Assert.That(clock.Status, Is.EqualTo(DeadlineStatus.Pending), "nothing was written");
        });
    }

    [Test]
    public void A_clock_that_already_ran_out_stays_Missed_when_the_case_is_discharged()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));

        c.Step(WorkflowTrigger.Discharge, T0.AddDays(60), Data(("by", "Judge"), ("ground", "No full request within 45 days (s.74)")));

        Assert.That(Clock(c, DeadlineKind.FullRequest).Status, Is.EqualTo(DeadlineStatus.Missed));
    }

    [Test]
    public void FullRequest_is_cancelled_by_consent()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));

        c.Step(WorkflowTrigger.RecordConsent, T0.AddDays(3));

        Assert.That(Clock(c, DeadlineKind.FullRequest).Status, Is.EqualTo(DeadlineStatus.Cancelled));
    }

    [Test]
    public void HearingStart_runs_two_calendar_months_from_arrest_and_is_met_by_opening_the_hearing()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.Submit, T0.AddHours(1));
        c.Step(WorkflowTrigger.Certify, T0.AddHours(2));
        c.Step(WorkflowTrigger.IssueWarrant, T0.AddHours(3));
        c.Step(WorkflowTrigger.Arrest, T0.AddDays(1)); // 3 March: two months starting with it end on 2 May

        var clock = Clock(c, DeadlineKind.HearingStart);
        Assert.That(clock.DueAt, Is.EqualTo(new DateTimeOffset(2026, 5, 2, 23, 0, 0, TimeSpan.Zero)));

        c.Step(WorkflowTrigger.OpenHearing, T0.AddDays(30));
        Assert.That(Clock(c, DeadlineKind.HearingStart).Status, Is.EqualTo(DeadlineStatus.Met));
    }

    [Test]
    public void Opening_the_hearing_late_marks_the_clock_Missed()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        c.Step(WorkflowTrigger.ReceiveFullRequest, T0.AddDays(5));

        c.Step(WorkflowTrigger.OpenHearing, T0.AddDays(80), note: "Listed late");

        Assert.That(Clock(c, DeadlineKind.HearingStart).Status, Is.EqualTo(DeadlineStatus.Missed));
    }

    [Test]
    public void HearingStart_can_be_extended_by_the_judge()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        c.Step(WorkflowTrigger.ReceiveFullRequest, T0.AddDays(5));
        var newDue = Clock(c, DeadlineKind.HearingStart).DueAt.AddDays(30);

        c.ExtendDeadline(DeadlineKind.HearingStart, newDue, CaseSide.Requested, T0.AddDays(6));

        var clock = Clock(c, DeadlineKind.HearingStart);
        Assert.Multiple(() =>
        {
            Assert.That(clock.Status, Is.EqualTo(DeadlineStatus.Extended));
            Assert.That(clock.DueAt, Is.EqualTo(newDue));
            Assert.That(clock.StatusAt(newDue.AddDays(-1)), Is.EqualTo(DeadlineStatus.Extended));
            Assert.That(clock.StatusAt(newDue.AddDays(1)), Is.EqualTo(DeadlineStatus.Missed));
            Assert.That(c.Changes[^1].Type, Is.EqualTo(CaseChange.DeadlineExtended));
        });
    }

    [Test]
    public void Extension_by_the_requesting_state_is_refused_and_of_a_met_clock_is_a_conflict()
    {
        var c = AtHearing();

        Assert.Multiple(() =>
        {
            Assert.Throws<WorkflowForbiddenException>(() =>
                c.ExtendDeadline(DeadlineKind.HearingStart, T0.AddDays(200), CaseSide.Requesting, T0.AddDays(21)));
            Assert.Throws<WorkflowConflictException>(() =>
                c.ExtendDeadline(DeadlineKind.HearingStart, T0.AddDays(200), CaseSide.Requested, T0.AddDays(21)));
        });
    }

    [Test]
    public void Executive_clocks_start_at_sending_and_are_cancelled_by_deferral_and_restarted_by_resumption()
    {
        var c = AtHearing();
        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));
        var representations = Clock(c, DeadlineKind.Representations);
        var decision = Clock(c, DeadlineKind.ExecutiveDecision);

        Assert.Multiple(() =>
        {
            Assert.That(representations.DueAt - representations.StartedAt, Is.LessThan(TimeSpan.FromDays(28)));
            Assert.That(decision.Statute, Does.EndWith("s.99"));
        });

        c.Step(WorkflowTrigger.DeferDecision, T0.AddDays(31));
        Assert.Multiple(() =>
        {
            Assert.That(Clock(c, DeadlineKind.Representations).Status, Is.EqualTo(DeadlineStatus.Cancelled));
            Assert.That(Clock(c, DeadlineKind.ExecutiveDecision).Status, Is.EqualTo(DeadlineStatus.Cancelled));
        });

        c.Step(WorkflowTrigger.ResumeDecision, T0.AddDays(40));
        Assert.That(Clock(c, DeadlineKind.ExecutiveDecision).Status, Is.EqualTo(DeadlineStatus.Pending));
        Assert.That(c.Deadlines.Count(d => d.Kind == DeadlineKind.ExecutiveDecision), Is.EqualTo(2));
    }

    [Test]
    public void The_representations_window_expires_rather_than_being_missed()
    {
        var c = AtHearing();
        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));

        Assert.That(Clock(c, DeadlineKind.Representations).StatusAt(T0.AddDays(60)), Is.EqualTo(DeadlineStatus.Expired));
    }

    [Test]
    public void Order_meets_the_executive_clock_and_starts_the_appeal_window_and_surrender_clock()
    {
        var c = AtHearing();
        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));

        c.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(40));

        Assert.Multiple(() =>
        {
            Assert.That(Clock(c, DeadlineKind.ExecutiveDecision).Status, Is.EqualTo(DeadlineStatus.Met));
            Assert.That(Clock(c, DeadlineKind.AppealWindow).Status, Is.EqualTo(DeadlineStatus.Pending));
            Assert.That(Clock(c, DeadlineKind.AppealWindow).StatusAt(T0.AddDays(60)), Is.EqualTo(DeadlineStatus.Expired));
            Assert.That(Clock(c, DeadlineKind.Surrender).Statute, Is.EqualTo("Extradition Act 2003 s.117"));
        });
    }

    [Test]
    public void No_appeal_window_when_the_person_consented()
    {
        var c = CaseBuilder.NewCase();
        c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
        c.Step(WorkflowTrigger.RecordConsent, T0.AddDays(2));

        c.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(10));

        Assert.That(c.Deadlines.Any(d => d.Kind == DeadlineKind.AppealWindow), Is.False);
    }

    [Test]
    public void Appeal_meets_the_window_cancels_surrender_and_a_dismissal_starts_surrender_after_appeal()
    {
        var c = AtHearing();
        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));
        c.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(40));

        c.Step(WorkflowTrigger.LodgeAppeal, T0.AddDays(45));
        Assert.Multiple(() =>
        {
            Assert.That(Clock(c, DeadlineKind.AppealWindow).Status, Is.EqualTo(DeadlineStatus.Met));
            Assert.That(Clock(c, DeadlineKind.Surrender).Status, Is.EqualTo(DeadlineStatus.Cancelled));
        });

        c.Step(WorkflowTrigger.DismissAppeal, T0.AddDays(90));
        Assert.Multiple(() =>
        {
            Assert.That(c.State, Is.EqualTo(CaseState.ExtraditionOrdered));
            Assert.That(Clock(c, DeadlineKind.SurrenderAfterAppeal).Statute, Does.EndWith("s.118"));
        });

        // The decision becomes final once the 14 days for leave to appeal (s.114) end unused.
        c.Step(WorkflowTrigger.ArrangeSurrender, T0.AddDays(105));
        c.Step(WorkflowTrigger.Surrender, T0.AddDays(110));
        Assert.That(Clock(c, DeadlineKind.SurrenderAfterAppeal).Status, Is.EqualTo(DeadlineStatus.Met));
    }

    [Test]
    public void Postponement_cancels_the_surrender_clock_and_lifting_it_starts_a_new_one()
    {
        var c = AtHearing();
        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));
        c.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(40));

        c.Step(WorkflowTrigger.PostponeSurrender, T0.AddDays(42));
        Assert.That(Clock(c, DeadlineKind.Surrender).Status, Is.EqualTo(DeadlineStatus.Cancelled));

        c.Step(WorkflowTrigger.LiftPostponement, T0.AddDays(70));
        Assert.Multiple(() =>
        {
            Assert.That(Clock(c, DeadlineKind.Surrender).Status, Is.EqualTo(DeadlineStatus.Pending));
            Assert.That(Clock(c, DeadlineKind.Surrender).StartedAt, Is.EqualTo(T0.AddDays(70)));
        });
    }

    [Test]
    public void Withdrawal_cancels_every_pending_clock()
    {
        var c = AtHearing();
        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));

        c.Step(WorkflowTrigger.Withdraw, T0.AddDays(31));

        Assert.That(c.Deadlines.Where(d => d.Kind is DeadlineKind.Representations or DeadlineKind.ExecutiveDecision).Select(d => d.Status),
            Is.All.EqualTo(DeadlineStatus.Cancelled));
    }

    [Test]
    public void Executive_discharge_meets_the_decision_clock_and_opens_the_requesting_states_window()
    {
        var c = AtHearing();
        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));

        c.Step(WorkflowTrigger.Discharge, T0.AddDays(35), Data(("by", "Executive"), ("ground", "Death penalty not assured")));

        Assert.Multiple(() =>
        {
            Assert.That(Clock(c, DeadlineKind.ExecutiveDecision).Status, Is.EqualTo(DeadlineStatus.Met));
            Assert.That(Clock(c, DeadlineKind.Representations).Status, Is.EqualTo(DeadlineStatus.Cancelled));
            Assert.That(Clock(c, DeadlineKind.RequestingStateAppealWindow).Status, Is.EqualTo(DeadlineStatus.Pending));
        });
    }

    [Test]
    public void Pakistan_runs_one_surrender_clock_of_two_months_from_committal()
    {
        var c = AtHearing(requested: "PK");
        Assert.That(c.Deadlines, Is.Empty, "no GB clocks under Pakistani law");

        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30)); // 1 April: two months after it (its day excluded) end on 1 June, Karachi time
        var clock = Clock(c, DeadlineKind.Surrender);

        Assert.Multiple(() =>
        {
            Assert.That(clock.Statute, Is.EqualTo("Extradition Act 1972 s.12"));
            Assert.That(clock.DueAt, Is.EqualTo(new DateTimeOffset(2026, 6, 1, 19, 0, 0, TimeSpan.Zero)));
            Assert.That(c.Deadlines, Has.Count.EqualTo(1));
        });

        c.Step(WorkflowTrigger.OrderExtradition, T0.AddDays(31));
        c.Step(WorkflowTrigger.ArrangeSurrender, T0.AddDays(32));
        c.Step(WorkflowTrigger.Surrender, T0.AddDays(33));
        Assert.That(Clock(c, DeadlineKind.Surrender).Status, Is.EqualTo(DeadlineStatus.Met));
    }

    [Test]
    public void United_States_runs_18_USC_3188_from_commitment()
    {
        var c = AtHearing(requested: "US");

        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));

        var clock = Clock(c, DeadlineKind.Surrender);
        Assert.Multiple(() =>
        {
            Assert.That(clock.Statute, Is.EqualTo("18 U.S.C. 3188"));
            Assert.That(clock.DueAt, Is.EqualTo(new DateTimeOffset(2026, 6, 2, 4, 0, 0, TimeSpan.Zero)),
                "two calendar months after 1 April, its day excluded: end of 1 June, New York summer time");
        });
    }

    [Test]
    public void Other_requested_states_get_advisory_GB_clocks_until_configured()
    {
        var c = AtHearing(requested: "FR");
        c.Step(WorkflowTrigger.SendToExecutive, T0.AddDays(30));

        Assert.That(c.Deadlines.Select(d => d.Advisory), Is.All.True);
        Assert.That(c.Deadlines.Select(d => d.Kind), Does.Contain(DeadlineKind.ExecutiveDecision));
    }

    [Test]
    public void A_configured_rule_set_is_binding()
    {
        var options = new DeadlineOptions { RuleSets = { ["IE"] = "GB" }, TimeZones = { ["IE"] = "Europe/Dublin" } };

        var rules = options.RulesFor("PK", "IE");

        Assert.Multiple(() =>
        {
            Assert.That(rules.Code, Is.EqualTo("GB"));
            Assert.That(rules.Advisory, Is.False);
            Assert.That(rules.Zone.Id, Is.EqualTo("Europe/Dublin"));
        });
    }

    [Test]
    public void A_14_day_window_across_the_clocks_going_forward_ends_at_local_midnight()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        // Ordered on Friday 20 March 2026 (GMT); clocks go forward on 29 March; day 14 is Thursday 2 April (BST).
        var due = StatutoryPeriod.OfDays(14).DueAt(new DateTimeOffset(2026, 3, 20, 15, 0, 0, TimeSpan.Zero), london);

        var lastMinuteOfDay14 = new DateTimeOffset(2026, 4, 2, 23, 59, 0, TimeSpan.FromHours(1));
        var firstMinuteOfDay15 = new DateTimeOffset(2026, 4, 3, 0, 0, 0, TimeSpan.FromHours(1)).AddMinutes(1);

        Assert.Multiple(() =>
        {
            Assert.That(due, Is.EqualTo(new DateTimeOffset(2026, 4, 2, 23, 0, 0, TimeSpan.Zero)));
            Assert.That(lastMinuteOfDay14 <= due, Is.True);
            Assert.That(firstMinuteOfDay15 > due, Is.True);
        });
    }

    [Test]
    public void A_14_day_window_across_the_clocks_going_back_ends_at_local_midnight()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        // Day 1 Tuesday 20 October 2026 (BST); clocks go back on 25 October; day 14 is Monday 2 November (GMT).
        var due = StatutoryPeriod.OfDays(14).DueAt(new DateTimeOffset(2026, 10, 20, 8, 0, 0, TimeSpan.Zero), london);

        Assert.That(due, Is.EqualTo(new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero)));
    }

    [Test]
    public void A_month_with_no_corresponding_day_ends_at_the_end_of_that_month()
    {
        var due = StatutoryPeriod.OfMonths(1).DueAt(new DateTimeOffset(2026, 1, 31, 10, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);

        Assert.That(due, Is.EqualTo(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)), "period ends at the end of 28 February");
    }
}
