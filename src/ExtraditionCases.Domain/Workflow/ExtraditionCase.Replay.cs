using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;

namespace ExtraditionCases.Domain.Workflow;

/// <summary>
/// One stored event as a replay reads it: its type, the trigger and states it names, when it happened and
/// was recorded, and what it carried (trigger data; the case file after an edit; an extension; the offences a
/// rules application left unconfirmed and the clocks it moved), and the rules version it was made under.
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
    IReadOnlyList<int>? UnconfirmedOffences = null,
    int RulesVersion = ClockRules.Version,
    IReadOnlyList<MovedDate>? Moved = null);

public sealed partial class ExtraditionCase
{
    /// <summary>The steps replayed so far, for a rules application met on the way (it recomputes the clocks from them).</summary>
    private List<RecordedStep>? _replayed;

    /// <summary>
    /// A case rebuilt from its CaseFiled event alone, to replay the rest of its history into; <paramref name="rules"/>
    /// at the version the CaseFiled event was made under.
    /// </summary>
    public static ExtraditionCase Replayed(Guid id, string reference, CaseFile filed, DateTimeOffset receivedAt, DateTimeOffset recordedAt, ClockRules rules)
    {
        var replayed = FileNew(id, reference, filed, receivedAt, recordedAt, rules);
        replayed._replayed = [];
        return replayed;
    }

    /// <summary>
    /// The end of a replay, against the row's rules version: a row under later rules than its last event was
    /// brought there by a rules application that recorded no event, which is right only when it moved nothing
    /// (the start-up step records a RulesApplied event otherwise). Returns why not, or null.
    /// </summary>
    public string? ReplayRowRules(int rowVersion)
    {
        if (rowVersion == _rules.RulesVersion) return null;
        if (rowVersion < _rules.RulesVersion) return $"the case row is at rules version {rowVersion}, older than its events' {_rules.RulesVersion}";
        return SwitchRules(rowVersion, recorded: null);
    }

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
        // Each event is replayed under the rules version it records. Versions never go back; a later one is
        // reached by a rules application (the start-up step), recorded by the RulesApplied event when it moved anything.
        if (step.RulesVersion < _rules.RulesVersion)
            return $"made under rules version {step.RulesVersion} after events under version {_rules.RulesVersion}: a case's rules never go back";
        if (step.Type == RulesApplied && step.RulesVersion == _rules.RulesVersion)
            return $"a RulesApplied event that changes no rules version (the case is already under version {_rules.RulesVersion})";
        if (step.RulesVersion > _rules.RulesVersion && SwitchRules(step.RulesVersion, step.Type == RulesApplied ? step : null) is { } switchFault)
            return switchFault;

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
                _replayed?.Add(new RecordedStep(step.Type, trigger, to, step.OccurredAt, fired.Data));
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
                _replayed?.Add(new RecordedStep(step.Type, null, null, step.OccurredAt, TriggerData.Empty, kind, dueAt));
                break;
            }

            case RulesApplied:
                // Its clocks and cleared values were recomputed and compared with what it records (SwitchRules).
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

    /// <summary>
    /// Brings the replayed case to rules version <paramref name="version"/> as the start-up step did: its
    /// history so far recomputed under those rules. With the RulesApplied event that recorded the switch, what
    /// it records must be what the recomputation moves (each clock's kind, old and new dueAt and status; the
    /// offences it left unconfirmed); without one, the recomputation must move nothing. Returns why not, or null.
    /// </summary>
    private string? SwitchRules(int version, ReplayStep? recorded)
    {
        if (version > ClockRules.Version) return $"rules version {version} is not one this code knows (up to {ClockRules.Version})";
        var from = _rules.RulesVersion;
        var applied = Recompute(_replayed ?? [], _rules.AtVersion(version));
        static string Clock(MovedDate m) =>
            $"{m.Kind} {Text(m.OldDueAt)} -> {Text(m.NewDueAt)}" + (m.OldStatus is null && m.NewStatus is null ? "" : $" ({m.OldStatus} -> {m.NewStatus})");
        static string Text(DateTimeOffset? t) => t is { } at ? Instant.ToText(at) : "none";
        var computed = applied.Moved.Select(Clock).ToList();
        var unconfirmed = applied.Unconfirmed;
        if (recorded is null)
        {
            return applied.IsRecorded
                ? $"rules version {version} replaces version {from} here, changing {string.Join(", ", [.. computed, .. unconfirmed])}, but no RulesApplied event records it"
                : null;
        }

        var recordedClocks = (recorded.Moved ?? []).Select(Clock).ToList();
        if (!recordedClocks.SequenceEqual(computed))
        {
            return $"the RulesApplied event records {Describe(recordedClocks)}, but rules version {from} to {version} over this history move {Describe(computed)}";
        }

        var recordedUnconfirmed = (recorded.UnconfirmedOffences ?? []).Select(i => $"/offences/{i}/deathPenalty").ToList();
        return recordedUnconfirmed.SequenceEqual(unconfirmed)
            ? null
            : $"the RulesApplied event leaves {Describe(recordedUnconfirmed)} unconfirmed, but the case file's defaulted values are {Describe(unconfirmed)}";
    }

    private static string Describe(IReadOnlyList<string> items) => items.Count == 0 ? "nothing" : string.Join(", ", items);
}
