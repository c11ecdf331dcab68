using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;

namespace ExtraditionCases.Domain.Workflow;

/// <summary>A step as the case's history holds it, for a replay of the case under the rules in force now.</summary>
public sealed record RecordedStep(
    string Type,
    WorkflowTrigger? Trigger,
    CaseState? To,
    DateTimeOffset OccurredAt,
    TriggerData Data,
    DeadlineKind? ExtendedKind = null,
    DateTimeOffset? ExtendedDueAt = null);

/// <summary>
/// A clock whose due date (or, for a stopped clock, status) the corrected rules changed (null dates: the clock
/// no longer runs, or did not run before). The statuses are named only for a stopped clock whose status changed.
/// </summary>
public sealed record MovedDate(DeadlineKind Kind, string Statute, DateTimeOffset? OldDueAt, DateTimeOffset? NewDueAt, string Rule,
    DeadlineStatus? OldStatus = null, DeadlineStatus? NewStatus = null);

/// <summary>What applying the current rules to a case recorded under older ones changed.</summary>
public sealed record RulesApplication(IReadOnlyList<MovedDate> Moved, IReadOnlyList<string> Unconfirmed)
{
    public bool IsRecorded => Moved.Count > 0 || Unconfirmed.Count > 0;
}

public sealed partial class ExtraditionCase
{
    public const string RulesApplied = nameof(RulesApplied);

    /// <summary>
    /// Recomputes the facts and clocks of a case recorded under older rules by replaying its history
    /// through the trigger definitions under the current rules version (guards are not asked again: the steps
    /// happened). Death-penalty values stored before the rule were a default, not a statement: false
    /// becomes unconfirmed (null). When a clock's due date moves (pending or stopped), a stopped clock's status
    /// changes, or a value is cleared, the case records a RulesApplied change; otherwise it only keeps the
    /// recomputed facts and clocks.
    /// </summary>
    public RulesApplication ApplyRules(IEnumerable<RecordedStep> history, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(history);
        var result = Recompute(history, _rules.AtVersion(ClockRules.Version));
        if (result.IsRecorded) Record(new CaseChange(RulesApplied, null, null, null, now, null), now);
        return result;
    }

    /// <summary>
    /// The case's facts and clocks as <paramref name="history"/> makes them under <paramref name="rules"/>, which
    /// the case then keeps, with what that moved against the clocks it had; defaulted death-penalty values cleared.
    /// </summary>
    private RulesApplication Recompute(IEnumerable<RecordedStep> history, ClockRules rules)
    {
        var facts = new WorkflowFacts { LastOccurredAt = ReceivedAt };
        var clocks = new List<Deadline>();
        var state = CaseState.Draft;
        foreach (var step in history)
        {
            if (step is { Type: CaseChange.Transitioned, Trigger: { } trigger, To: { } to })
            {
                var definition = Definitions[trigger];
                var fired = new FiredStep(state, to, new TransitionContext(step.OccurredAt, null, step.Data), facts, rules);
                facts = definition.Records(facts, fired) with { LastOccurredAt = step.OccurredAt };
                definition.Clocks(new ClockBook(rules, clocks, step.OccurredAt), fired);
                state = to;
            }
            else if (step is { Type: CaseChange.DeadlineExtended, ExtendedKind: { } kind, ExtendedDueAt: { } dueAt })
            {
                var index = clocks.FindLastIndex(d => d.Kind == kind && d.IsOpen);
                if (index >= 0) clocks[index] = clocks[index] with { DueAt = dueAt, Status = DeadlineStatus.Extended };
            }
        }

        _rules = rules;
        var moved = new List<MovedDate>();
        foreach (var kind in _deadlines.Concat(clocks).Where(d => d.IsOpen).Select(d => d.Kind).Distinct())
        {
            var before = _deadlines.LastOrDefault(d => d.Kind == kind && d.IsOpen);
            var after = clocks.LastOrDefault(d => d.Kind == kind && d.IsOpen);
            if (before?.DueAt == after?.DueAt) continue;
            moved.Add(new MovedDate(kind, (after ?? before)!.Statute, before?.DueAt, after?.DueAt, RuleCited(kind)));
        }

        // Stopped clocks are recomputed as well (a surrender on the last day under the corrected count reads
        // Met, no longer Missed): a due date or status that changes there is recorded too, never rewritten silently.
        foreach (var kind in Enum.GetValues<DeadlineKind>())
        {
            var before = _deadlines.Where(d => d.Kind == kind && !d.IsOpen).ToList();
            var after = clocks.Where(d => d.Kind == kind && !d.IsOpen).ToList();
            for (var i = 0; i < Math.Min(before.Count, after.Count); i++)
            {
                if (before[i].DueAt == after[i].DueAt && before[i].Status == after[i].Status) continue;
                var statusChanged = before[i].Status != after[i].Status;
                moved.Add(new MovedDate(kind, after[i].Statute, before[i].DueAt, after[i].DueAt, RuleCited(kind),
                    statusChanged ? before[i].Status : null, statusChanged ? after[i].Status : null));
            }
        }

        var unconfirmed = File.Offences.Select((o, i) => (o, i)).Where(x => x.o.DeathPenalty == false)
            .Select(x => $"/offences/{x.i}/deathPenalty").ToList();
        if (unconfirmed.Count > 0)
            File = File with { Offences = [.. File.Offences.Select(o => o.DeathPenalty == false ? o with { DeathPenalty = null } : o)] };

        // A competing request is recorded by its own event, not by a transition: it carries over.
        Facts = facts with { LastOccurredAt = Facts.LastOccurredAt, CompetingRequest = Facts.CompetingRequest };
        _deadlines.Clear();
        _deadlines.AddRange(clocks);
        return new RulesApplication(moved, unconfirmed);
    }

    /// <summary>Why a clock of this kind reads differently under the corrected rules.</summary>
    private string RuleCited(DeadlineKind kind) => (_rules.Code, kind) switch
    {
        ("PK", DeadlineKind.Surrender) =>
            "Extradition Act 1972 s.12 read with General Clauses Act 1897 s.9: two months after committal, the day of committal excluded",
        ("US", DeadlineKind.Surrender) => "18 U.S.C. 3188: two calendar months after commitment, the day of commitment excluded",
        (_, DeadlineKind.HearingStart) => "Extradition Act 2003 s.75(2): two months starting with the first appearance before the judge",
        (_, DeadlineKind.AppealWindow) => "Extradition Act 2003 ss.103(9), 108(4): 14 days from when the person was informed of the order",
        (_, DeadlineKind.LeaveToAppeal) => "Extradition Act 2003 s.114: 14 days to apply for leave to appeal after a dismissed appeal",
        (_, DeadlineKind.SurrenderAfterAppeal) =>
            "Extradition Act 2003 s.118(2): 28 days starting with the day the appeal decision becomes final, after the LeaveToAppeal window (s.114)",
        (_, DeadlineKind.RequestingStateAppealWindow) =>
            "Extradition Act 2003 ss.105, 110: under GB rules only, from the order (s.105(5)) or when the requesting state was informed (s.110(5))",
        _ => "the corrected rules (rules version " + ClockRules.Version + ")",
    };
}
