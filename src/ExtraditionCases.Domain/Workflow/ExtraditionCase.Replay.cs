using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;

namespace ExtraditionCases.Domain.Workflow;

/// <summary>
/// One stored event as a replay reads it: its type, the trigger and states it names, when it happened and
/// was recorded, and what it carried (trigger data; the case file after an edit; an extension; the offences a
/// rules application left unconfirmed).
/// </summary>
public sealed record ReplayStep(
    string Type,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    WorkflowTrigger? Trigger = null,
    CaseState? From = null,
    CaseState? To = null,
    string? Note = null,
    TriggerData? Data = null,
    CaseFile? File = null,
    DeadlineKind? ExtendedKind = null,
    DateTimeOffset? ExtendedDueAt = null,
    IReadOnlyList<int>? UnconfirmedOffences = null);

public sealed partial class ExtraditionCase
{
    /// <summary>A case rebuilt from its CaseFiled event alone, to replay the rest of its history into.</summary>
    public static ExtraditionCase Replayed(Guid id, string reference, CaseFile filed, DateTimeOffset receivedAt, DateTimeOffset recordedAt, ClockRules rules) =>
        FileNew(id, reference, filed, receivedAt, recordedAt, rules);

    /// <summary>
    /// Applies one recorded event through the trigger definitions, as it was applied when recorded: the
    /// trigger must be one the state permits and lead where the event says; its facts and clocks follow from
    /// the definition. Guards are not asked again (the step happened, under the rules of its time; an edit of
    /// the event itself is the hash chain's and the signed tree's to catch). Event types this replay does not
    /// know (those later features add) only count as a version. Returns why the event cannot be replayed, or null.
    /// </summary>
    public string? Replay(ReplayStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        switch (step.Type)
        {
            case CaseChange.Transitioned:
            {
                if (step.Trigger is not { } trigger || step.To is not { } to) return "a transition without a known trigger or destination";
                if (step.From != State) return $"fromState {step.From} but the replayed case is in {State}";
                if (!TriggersByState[State].Contains(trigger)) return $"{trigger} is not permitted in {State}";
                var definition = Definitions[trigger];
                if (!definition.Transitions.Any(t => t.From.Contains(State)
                        && (t.To == to || (t.IsInternal && to == State) || t.Destination is not null || t.Possible?.Any(p => p.State == to) == true)))
                    return $"{trigger} does not lead from {State} to {to}";
                var from = State;
                State = to;
                if (State != from) StateSince = step.OccurredAt;
                var fired = new FiredStep(from, State, new TransitionContext(step.OccurredAt, step.Note, step.Data ?? TriggerData.Empty), Facts, _rules);
                Facts = definition.Records(Facts, fired) with { LastOccurredAt = step.OccurredAt };
                definition.Clocks(new ClockBook(_rules, _deadlines, step.OccurredAt), fired);
                Record(new CaseChange(CaseChange.Transitioned, trigger, from, State, step.OccurredAt, step.Note), step.RecordedAt);
                return null;
            }

            case CaseChange.CaseUpdated:
                if (step.File is null) return "an edit whose changes do not apply to the case file";
                File = step.File with { RequestingState = File.RequestingState, RequestedState = File.RequestedState };
                break;

            case CaseChange.DeadlineExtended:
            {
                if (step.ExtendedKind is not { } kind || step.ExtendedDueAt is not { } dueAt) return "an extension without its kind and dueAt";
                var index = _deadlines.FindLastIndex(d => d.Kind == kind && d.IsOpen);
                if (index < 0) return $"no {kind} clock is pending to extend";
                _deadlines[index] = _deadlines[index] with { DueAt = dueAt, Status = DeadlineStatus.Extended };
                break;
            }

            case RulesApplied:
                foreach (var i in step.UnconfirmedOffences ?? [])
                {
                    if (i < 0 || i >= File.Offences.Count) return $"offence {i} does not exist";
                }

                File = File with { Offences = [.. File.Offences.Select((o, i) => step.UnconfirmedOffences?.Contains(i) == true ? o with { DeathPenalty = null } : o)] };
                break;

            case CaseChange.CompetingRequestDetected:
                Facts = Facts with { CompetingRequest = true };
                break;

            case CaseChange.CaseFiled:
                return "a second CaseFiled event";
        }

        Record(new CaseChange(step.Type, null, null, null, step.OccurredAt, step.Note), step.RecordedAt);
        return null;
    }
}
