using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Tests.Domain;

/// <summary>
/// One trigger table, clocks computed under the rules version a case (or a replayed event) is under: version 1
/// as first built (before issue 12's corrections), version 2 the corrected law. A replay switches versions only
/// as the start-up step did, and a RulesApplied event must record what that switch moved.
/// </summary>
public sealed class RulesVersionTests
{
    private static readonly DateTimeOffset Committal = new(2026, 8, 15, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T0 = CaseBuilder.Filed;

    private static TriggerData Data(params (string Name, object Value)[] values) => new(values.ToDictionary(v => v.Name, v => v.Value));

    private static ExtraditionCase NewCase(string requested, int version) =>
        ExtraditionCase.FileNew(Guid.NewGuid(), "EXT-TEST", CaseBuilder.CompleteFile(requested: requested), T0, T0,
            new DeadlineOptions().RulesFor("PK", requested, version));

    /// <summary>Steps with their data, so that the same history can be fired and replayed.</summary>
    private static readonly (WorkflowTrigger Trigger, TimeSpan After, TriggerData? Data)[] ToCommittal =
    [
        (WorkflowTrigger.ProvisionalArrest, TimeSpan.Zero, null),
        (WorkflowTrigger.ReceiveFullRequest, TimeSpan.FromDays(1), null),
        (WorkflowTrigger.OpenHearing, TimeSpan.FromDays(2), null),
    ];

    private static ExtraditionCase Committed(string requested, int version, List<(WorkflowTrigger, DateTimeOffset, TriggerData)> fired)
    {
        var c = NewCase(requested, version);
        foreach (var (trigger, after, data) in ToCommittal) Fire(c, trigger, T0.AddHours(1) + after, data, fired);
        Fire(c, WorkflowTrigger.SendToExecutive, Committal, null, fired);
        return c;
    }

    private static void Fire(ExtraditionCase c, WorkflowTrigger trigger, DateTimeOffset at, TriggerData? data, List<(WorkflowTrigger, DateTimeOffset, TriggerData)> fired)
    {
        var used = data ?? CaseBuilder.ValidData(trigger, c.State);
        c.Step(trigger, at, used, "as recorded");
        fired.Add((trigger, at, used));
    }

    private static Deadline Clock(ExtraditionCase c, DeadlineKind kind) => c.Deadlines.Last(d => d.Kind == kind);

    [Test]
    public void Version_1_counts_the_Pakistani_two_months_with_the_day_of_committal_version_2_after_it()
    {
        var v1 = Committed("PK", 1, []);
        var v2 = Committed("PK", 2, []);

        Assert.Multiple(() =>
        {
            Assert.That(v1.Rules.RulesVersion, Is.EqualTo(1));
            Assert.That(Clock(v1, DeadlineKind.Surrender).DueAt, Is.EqualTo(new DateTimeOffset(2026, 10, 14, 19, 0, 0, TimeSpan.Zero)), "end of 14 October, Karachi");
            Assert.That(Clock(v2, DeadlineKind.Surrender).DueAt, Is.EqualTo(new DateTimeOffset(2026, 10, 15, 19, 0, 0, TimeSpan.Zero)), "end of 15 October, Karachi");
        });
    }

    [Test]
    public void Version_1_starts_the_appeal_window_at_the_order_and_keeps_no_leave_window_after_a_dismissal()
    {
        var order = Committal.AddDays(10);
        var informed = order.AddDays(3);
        var dismissed = order.AddDays(40);
        ExtraditionCase Walk(int version)
        {
            var c = Committed("GB", version, []);
            // Recorded once the person was informed: informedAt is not in the future.
            c.Fire(WorkflowTrigger.OrderExtradition, new TransitionContext(order, "ordered", Data(("informedAt", informed))), CaseSide.Requested, informed);
            c.Step(WorkflowTrigger.LodgeAppeal, order.AddDays(5), CaseBuilder.ValidData(WorkflowTrigger.LodgeAppeal, c.State), "appealed");
            c.Step(WorkflowTrigger.DismissAppeal, dismissed, TriggerData.Empty, "dismissed");
            return c;
        }

        var v1 = Walk(1);
        var v2 = Walk(2);

        Assert.Multiple(() =>
        {
            Assert.That(Clock(v1, DeadlineKind.AppealWindow).StartedAt, Is.EqualTo(order), "version 1: from the order");
            Assert.That(Clock(v2, DeadlineKind.AppealWindow).StartedAt, Is.EqualTo(informed), "version 2: from when the person was informed (s.103(9))");
            Assert.That(v1.Deadlines.Any(d => d.Kind == DeadlineKind.LeaveToAppeal), Is.False);
            Assert.That(Clock(v1, DeadlineKind.SurrenderAfterAppeal).StartedAt, Is.EqualTo(dismissed), "version 1: 28 days from the dismissal");
            Assert.That(Clock(v2, DeadlineKind.SurrenderAfterAppeal).StartedAt, Is.EqualTo(Clock(v2, DeadlineKind.LeaveToAppeal).DueAt),
                "version 2: from when the dismissal became final (s.118(2))");
        });
    }

    [Test]
    public void A_step_at_the_due_instant_was_in_time_under_version_1_and_is_late_under_version_2()
    {
        ExtraditionCase FullRequestAtDue(int version)
        {
            var c = NewCase("GB", version);
            c.Step(WorkflowTrigger.ProvisionalArrest, T0.AddHours(1));
            // No time guard is asked of this step: it cancels FullRequest by consent at exactly its due instant.
            var due = Clock(c, DeadlineKind.FullRequest).DueAt;
            c.Step(WorkflowTrigger.RecordConsent, due, note: "consent");
            return c;
        }

        Assert.Multiple(() =>
        {
            Assert.That(Clock(FullRequestAtDue(1), DeadlineKind.FullRequest).Status, Is.EqualTo(DeadlineStatus.Cancelled));
            Assert.That(Clock(FullRequestAtDue(2), DeadlineKind.FullRequest).Status, Is.EqualTo(DeadlineStatus.Missed));
        });
    }

    [Test]
    public void Only_known_versions_exist()
    {
        var rules = new DeadlineOptions().RulesFor("PK", "GB");
        Assert.Multiple(() =>
        {
            Assert.That(rules.RulesVersion, Is.EqualTo(ClockRules.Version));
            Assert.Throws<ArgumentOutOfRangeException>(() => rules.AtVersion(0));
            Assert.Throws<ArgumentOutOfRangeException>(() => rules.AtVersion(ClockRules.Version + 1));
        });
    }

    // The replay: each step under its version, a switch only as the start-up step made it.

    private static (ExtraditionCase Recorded, List<ReplayStep> Steps) RecordedUnderVersion1()
    {
        var fired = new List<(WorkflowTrigger, DateTimeOffset, TriggerData)>();
        var c = Committed("PK", 1, fired);
        var steps = c.Changes.Skip(1).Zip(fired, (change, f) => new ReplayStep(change.Type, change.OccurredAt, T0.AddDays(200),
            change.Trigger, change.FromState, change.ToState, change.Note, f.Item3, RulesVersion: 1)).ToList();
        return (c, steps);
    }

    private static ExtraditionCase ReplayedFrom(ExtraditionCase recorded, int version) =>
        ExtraditionCase.Replayed(recorded.Id, recorded.Reference, CaseBuilder.CompleteFile(requested: "PK"), T0, T0,
            new DeadlineOptions().RulesFor("PK", "PK", version));

    private static readonly MovedDate SurrenderMoved = new(DeadlineKind.Surrender, "Extradition Act 1972 s.12",
        new DateTimeOffset(2026, 10, 14, 19, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 15, 19, 0, 0, TimeSpan.Zero), "");

    private static ReplayStep RulesApplied(params MovedDate[] moved) => new(ExtraditionCase.RulesApplied, T0.AddDays(201), T0.AddDays(201),
        UnconfirmedOffences: [0], RulesVersion: 2, Moved: moved);

    [Test]
    public void A_version_1_history_replays_to_version_1_clocks_and_through_the_RulesApplied_switch_to_version_2()
    {
        var (recorded, steps) = RecordedUnderVersion1();
        var replayed = ReplayedFrom(recorded, 1);
        var faults = steps.Select(replayed.Replay).ToList();
        var v1Due = Clock(replayed, DeadlineKind.Surrender).DueAt;
        var atSwitch = replayed.Replay(RulesApplied(SurrenderMoved));

        Assert.Multiple(() =>
        {
            Assert.That(faults, Is.All.Null);
            Assert.That(v1Due, Is.EqualTo(Clock(recorded, DeadlineKind.Surrender).DueAt));
            Assert.That(atSwitch, Is.Null);
            Assert.That(replayed.Rules.RulesVersion, Is.EqualTo(2));
            Assert.That(Clock(replayed, DeadlineKind.Surrender).DueAt, Is.EqualTo(SurrenderMoved.NewDueAt));
            Assert.That(replayed.File.Offences[0].DeathPenalty, Is.Null, "the defaulted value the switch cleared");
            Assert.That(replayed.ReplayRowRules(2), Is.Null);
        });
    }

    [Test]
    public void A_RulesApplied_event_that_records_other_dates_than_the_switch_moves_is_a_fault()
    {
        var (recorded, steps) = RecordedUnderVersion1();
        var replayed = ReplayedFrom(recorded, 1);
        steps.ForEach(s => replayed.Replay(s));

        var fault = replayed.Replay(RulesApplied(SurrenderMoved with { NewDueAt = SurrenderMoved.NewDueAt!.Value.AddDays(30) }));

        Assert.That(fault, Does.Contain("the RulesApplied event records Surrender 2026-10-14T19:00:00.000Z -> 2026-11-14T19:00:00.000Z")
            .And.Contain("move Surrender 2026-10-14T19:00:00.000Z -> 2026-10-15T19:00:00.000Z"));
    }

    [Test]
    public void A_switch_that_moves_dates_without_a_RulesApplied_event_and_a_version_going_back_are_faults()
    {
        var (recorded, steps) = RecordedUnderVersion1();
        var silent = ReplayedFrom(recorded, 1);
        // The committal, marked as made under version 2 although the case was under version 1.
        var faults = steps.Select(s => silent.Replay(s.Trigger == WorkflowTrigger.SendToExecutive ? s with { RulesVersion = 2 } : s)).ToList();

        var backwards = ReplayedFrom(recorded, 2);
        var back = steps.Select(s => backwards.Replay(s)).First(f => f is not null);

        var unrecordedRow = ReplayedFrom(recorded, 1);
        steps.ForEach(s => unrecordedRow.Replay(s));
        var stillVersion1 = ReplayedFrom(recorded, 1);
        steps.ForEach(s => stillVersion1.Replay(s));

        Assert.Multiple(() =>
        {
            Assert.That(faults[..^1], Is.All.Null);
            Assert.That(faults[^1], Does.Contain("rules version 2 replaces version 1 here").And.Contain("no RulesApplied event records it"),
                "the version column alone cannot switch the rules: the defaulted death-penalty value would change in silence");
            Assert.That(back, Does.Contain("a case's rules never go back"));
            Assert.That(unrecordedRow.ReplayRowRules(2), Does.Contain("no RulesApplied event records it"), "a row moved to version 2 in silence");
            Assert.That(stillVersion1.ReplayRowRules(1), Is.Null, "still under version 1: compared as it is");
        });
    }
}
