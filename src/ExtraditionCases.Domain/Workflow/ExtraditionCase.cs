using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;

namespace ExtraditionCases.Domain.Workflow;

/// <summary>
/// An extradition request from filing to surrender. The Stateless machine lives inside the case and
/// reads and writes <see cref="State"/> through accessor and mutator, so the persisted state is the
/// only state. Callers express intent (file, edit, fire, extend); the case decides what follows.
/// </summary>
public sealed partial class ExtraditionCase
{
    private readonly List<CaseChange> _changes = [];
    private readonly List<Deadline> _deadlines = [];
    /// <summary>The law and rules version the case's clocks are computed under; only a rules application changes it.</summary>
    private ClockRules _rules;

    private ExtraditionCase(Guid id, string reference, CaseFile file, CaseState state, ClockRules rules)
    {
        Id = id;
        Reference = reference;
        File = file;
        State = state;
        _rules = rules;
    }

    public Guid Id { get; }
    public string Reference { get; private set; }
    public CaseFile File { get; private set; }
    public CaseState State { get; private set; }
    public DateTimeOffset StateSince { get; private set; }
    /// <summary>When the requesting state's request was received: the CaseFiled event's occurredAt.</summary>
    public DateTimeOffset ReceivedAt { get; private init; }
    public int Version { get; private set; }
    public DateTimeOffset CreatedAt { get; private init; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public WorkflowFacts Facts { get; private set; } = new();

    /// <summary>The clock rules (law, zone, rules version) this case's clocks are computed under; its events record that version.</summary>
    public ClockRules Rules => _rules;

    /// <summary>The case's statutory clocks, in the order they started; changed only by the case's own steps.</summary>
    public IReadOnlyList<Deadline> Deadlines => _deadlines;

    /// <summary>Changes recorded since the case was loaded, in order; each one is one version.</summary>
    public IReadOnlyList<CaseChange> Changes => _changes;

    /// <param name="filedBy">The side of the officer filing it: the requesting state's may not record the requested state's facts (403).</param>
    public static ExtraditionCase FileNew(Guid id, string reference, CaseFile file, DateTimeOffset receivedAt, DateTimeOffset now, ClockRules rules,
        CaseSide filedBy = CaseSide.Requested)
    {
        if (filedBy != CaseSide.Requested && EmptyOfRequestedStateFacts(file).RequestedStateFactsChanged(file) is { Count: > 0 } facts)
            throw new WorkflowForbiddenException($"Only the requested state's officers record {string.Join(", ", facts)}.");

        var filed = new ExtraditionCase(id, reference, file, CaseState.Draft, rules)
        {
            CreatedAt = now,
            ReceivedAt = receivedAt,
            Facts = new WorkflowFacts { LastOccurredAt = receivedAt },
        };
        filed.StateSince = receivedAt;
        filed.Record(new CaseChange(CaseChange.CaseFiled, null, null, CaseState.Draft, receivedAt, null), now);
        return filed;
    }

    /// <summary>
    /// Gives a case just filed (<see cref="FileNew"/> with an empty reference) the reference allocated when it is
    /// stored: the allocation is the filing's first statement, so the case and its event are built before the
    /// writer waits for the database, not while other writers wait for it (issue 20). Nothing else reads the reference.
    /// </summary>
    public void AssignReference(string reference)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (Reference.Length != 0 || Version != 1) throw new InvalidOperationException("Only a case just filed without a reference gets one.");
        Reference = reference;
    }

    public static ExtraditionCase Restore(
        Guid id, string reference, CaseFile file, CaseState state, DateTimeOffset stateSince, int version,
        DateTimeOffset receivedAt, DateTimeOffset createdAt, DateTimeOffset updatedAt, WorkflowFacts facts, IEnumerable<Deadline> deadlines, ClockRules rules) =>
        new ExtraditionCase(id, reference, file, state, rules)
        {
            StateSince = stateSince,
            Version = version,
            ReceivedAt = receivedAt,
            CreatedAt = createdAt,
            UpdatedAt = updatedAt,
            Facts = facts,
        }.WithDeadlines(deadlines);

    private static CaseFile EmptyOfRequestedStateFacts(CaseFile file) => file with
    {
        Person = file.Person with { Custody = null },
        DomesticWarrants = [],
        Hearings = [],
        DomesticProceedings = [],
        Surrender = null,
    };

    private ExtraditionCase WithDeadlines(IEnumerable<Deadline> deadlines)
    {
        _deadlines.AddRange(deadlines.OrderBy(d => d.Ordinal));
        return this;
    }

    /// <summary>The side a caller of this country acts for, or null when not a party.</summary>
    public CaseSide? SideOf(string? country) =>
        string.Equals(country, File.RequestedState, StringComparison.Ordinal) ? CaseSide.Requested
        : string.Equals(country, File.RequestingState, StringComparison.Ordinal) ? CaseSide.Requesting
        : null;

    /// <summary>An ended case's file cannot be edited (409), whatever the edit would change.</summary>
    public void EnsureEditable()
    {
        if (State.IsEnded()) throw new WorkflowConflictException($"The case is {State}; an ended case cannot be edited.");
    }

    /// <summary>
    /// Edits the case file; the states of a case are fixed once filed. Once submitted, an edit may not
    /// make the file incomplete (422 naming what would be missing), and once certified only the requested
    /// state's officers may change an offence (403): the certified request is what the court holds.
    /// </summary>
    public void UpdateFile(CaseFile merged, CaseSide side, DateTimeOffset now)
    {
        EnsureEditable();
        merged = merged with { RequestingState = File.RequestingState, RequestedState = File.RequestedState };
        if (side != CaseSide.Requested && Facts.Certified && !File.Offences.SequenceEqual(merged.Offences))
            throw new WorkflowForbiddenException("After Certify only the requested state's officers may change an offence.");
        if (side != CaseSide.Requested && File.RequestedStateFactsChanged(merged) is { Count: > 0 } facts)
            throw new WorkflowForbiddenException($"Only the requested state's officers record {string.Join(", ", facts)}.");
        if (State != CaseState.Draft)
        {
            var before = File.MissingForSubmission();
            var wouldMiss = merged.MissingForSubmission().Except(before).ToList();
            if (wouldMiss.Count > 0)
                throw new GuardsUnmetException("The edit would make the submitted case file incomplete.", [.. wouldMiss.Select(m => $"the case file keeps {m}")]);
        }

        File = merged;
        Record(new CaseChange(CaseChange.CaseUpdated, null, null, null, now, null), now);
    }

    /// <summary>
    /// Records that a document was added to the case's register (a DocumentAdded event). Documents and notes
    /// are what was received and said, not edits of the file: they may be recorded in any state, an ended
    /// case included (correspondence about a closed case still arrives).
    /// </summary>
    public void RecordDocumentAdded(DateTimeOffset now) =>
        Record(new CaseChange(CaseChange.DocumentAdded, null, null, null, now, null), now);

    /// <summary>Records a note or a piece of correspondence (a NoteRecorded event) dated when it happened.</summary>
    public void RecordNote(DateTimeOffset occurredAt, DateTimeOffset now)
    {
        if (occurredAt > now) throw new GuardsUnmetException("A note records what happened.", ["occurredAt is not in the future"]);
        Record(new CaseChange(CaseChange.NoteRecorded, null, null, null, occurredAt, null), now);
    }

    /// <summary>
    /// Records that a party state gave the case to one of its officers (an AssigneeChanged event). Ownership
    /// is not a step of the proceedings: it may change in any state.
    /// </summary>
    public void RecordAssigneeChanged(DateTimeOffset now) =>
        Record(new CaseChange(CaseChange.AssigneeChanged, null, null, null, now, null), now);

    /// <summary>Records a confirmed link to another case of the same person (a CaseLinked event), in any state.</summary>
    public void RecordLink(DateTimeOffset now) =>
        Record(new CaseChange(CaseChange.CaseLinked, null, null, null, now, null), now);

    /// <summary>
    /// Competing requests (s.126 of the 2003 Act; s.14 of the 1972 Act): two open cases of one person,
    /// requested of the same state by different requesting states.
    /// </summary>
    public bool CompetesWith(ExtraditionCase other) =>
        other.Id != Id && !State.IsEnded() && !other.State.IsEnded()
        && File.RequestedState == other.File.RequestedState && File.RequestingState != other.File.RequestingState;

    /// <summary>Records a competing request (a CompetingRequestDetected event): the decision may then be deferred on that ground.</summary>
    public void RecordCompetingRequest(DateTimeOffset now)
    {
        Facts = Facts with { CompetingRequest = true };
        Record(new CaseChange(CaseChange.CompetingRequestDetected, null, null, null, now, null), now);
    }

    /// <summary>Records a court's extension of a running clock (a DeadlineExtended event).</summary>
    public Deadline ExtendDeadline(DeadlineKind kind, DateTimeOffset newDueAt, CaseSide side, DateTimeOffset now, bool agencyMay = true)
    {
        if (side != CaseSide.Requested)
            throw new WorkflowForbiddenException("Extensions are ordered by the requested state's courts and recorded by its officers.");
        var index = _deadlines.FindLastIndex(d => d.Kind == kind && d.IsOpen);
        if (index < 0) throw new WorkflowConflictException($"No {kind} clock is pending on this case.");
        if (!agencyMay) throw new WorkflowForbiddenException($"Extend:{kind} is recorded by another agency of this state (configuration Agencies).");
        if (!ClockRules.IsExtendable(kind))
        {
            throw new GuardsUnmetException($"No statute gives a power to extend the {kind} clock.",
                ["extensions only where the statute gives the power: HearingStart (the judge, ss.75(3), 76(4)) and ExecutiveDecision (the High Court, s.99); a late appeal goes through lateGround (ss.103(10), 108(5)-(7A))"]);
        }

        var clock = _deadlines[index];
        if (newDueAt <= clock.DueAt)
            throw new GuardsUnmetException("The extension does not extend the clock.", [$"the new dueAt is later than the current one ({Instant.ToText(clock.DueAt)})"]);

        _deadlines[index] = clock with { DueAt = newDueAt, Status = DeadlineStatus.Extended };
        Record(new CaseChange(CaseChange.DeadlineExtended, null, null, null, now, null), now);
        return _deadlines[index];
    }

    /// <summary>
    /// Fires a trigger, in the contract's order of refusals: not permitted in this state (409), not this
    /// officer's state's to fire (403), time order or a guard fails (422). Then the trigger's definition
    /// records its facts and moves the clocks; the report says which clocks it started, met, missed or cancelled.
    /// </summary>
    /// <param name="missingDocuments">
    /// Where a deployment makes the document checklist a guard (Documents:EnforceChecklist), what the
    /// trigger's stage still lacks: unmet guards like any other (422).
    /// </param>
    public ClockReport Fire(WorkflowTrigger trigger, TransitionContext context, CaseSide side, DateTimeOffset now,
        Func<WorkflowTrigger, bool>? agencyMay = null, IReadOnlyList<string>? missingDocuments = null)
    {
        if (!TriggersByState[State].Contains(trigger))
            throw new TriggerNotPermittedException(trigger, State, AllowedActions(side, now, agencyMay));
        if (!MayFire(trigger, side))
            throw new TriggerNotYoursException(trigger, side);
        if (agencyMay?.Invoke(trigger) == false)
            throw new WorkflowForbiddenException($"{trigger} is recorded by another agency of this state (configuration Agencies).");

        var unmet = TimeOrderViolations(context, now).ToList();
        using var machine = MachineFor(this);
        if (machine.CanFire(trigger, context, out var unmetGuards) is false) unmet.AddRange(unmetGuards);
        if (missingDocuments is not null) unmet.AddRange(missingDocuments.Select(m => $"the case file holds {m}"));
        if (unmet.Count > 0) throw new GuardsUnmetException($"{trigger} cannot be recorded: a guard or rule is not met.", unmet);

        var from = State;
        machine.Fire(trigger, context);
        if (State != from) StateSince = context.OccurredAt;

        var definition = Definitions[trigger];
        var step = new FiredStep(from, State, context, Facts, _rules);
        Facts = definition.Records(Facts, step) with { LastOccurredAt = context.OccurredAt };
        var clocks = new ClockBook(_rules, _deadlines, context.OccurredAt);
        definition.Clocks(clocks, step);
        var report = clocks.Report();
        Record(new CaseChange(CaseChange.Transitioned, trigger, from, State, context.OccurredAt, context.Note, report), now);
        return report;
    }

    /// <summary>
    /// The spec's allowedActions: permitted in the state, guards that need no trigger data pass, and
    /// this caller's state (and, where configured, agency) may fire it. Partners, auditors and
    /// non-parties (side null) get none.
    /// </summary>
    public IReadOnlyList<WorkflowTrigger> AllowedActions(CaseSide? side, DateTimeOffset now, Func<WorkflowTrigger, bool>? agencyMay = null)
    {
        if (side is null) return [];
        var probe = TransitionContext.Probe(now);
        using var machine = MachineFor(this);
        return [.. TriggersByState[State].Where(t => MayFire(t, side.Value) && agencyMay?.Invoke(t) != false && machine.CanFire(t, probe))];
    }

    /// <summary>The triggers the current state permits, whoever fires them.</summary>
    public IReadOnlyList<WorkflowTrigger> PermittedTriggers => TriggersByState[State];

    /// <summary>Who may fire what: an officer records what their own state does (the trigger's definition says which).</summary>
    public bool MayFire(WorkflowTrigger trigger, CaseSide side) => Definitions[trigger].FiredBy(State) is not { } only || only == side;

    private IEnumerable<string> TimeOrderViolations(TransitionContext context, DateTimeOffset now)
    {
        if (context.OccurredAt > now) yield return "occurredAt is not in the future";
        if (context.OccurredAt < Facts.LastOccurredAt)
            yield return $"occurredAt is not before the case's latest step ({Instant.ToText(Facts.LastOccurredAt)})";
        if (now - context.OccurredAt > TimeSpan.FromHours(24) && string.IsNullOrWhiteSpace(context.Note))
            yield return "a transition dated more than 24 hours before it is recorded has a note";
        // When the person was informed (s.100) or first appeared (s.75(2)) follows the step and has happened.
        foreach (var (name, value) in context.Data.Values)
        {
            if (value is not DateTimeOffset at || name == "scheduledFor") continue;
            if (at > now) yield return $"{name} is not in the future";
            if (at < context.OccurredAt) yield return $"{name} is not before occurredAt";
        }
    }

    private void Record(CaseChange change, DateTimeOffset now)
    {
        Version++;
        UpdatedAt = now;
        _changes.Add(change);
    }
}

/// <summary>The caller's state may not do this on this case at all (403).</summary>
public sealed class WorkflowForbiddenException(string message) : WorkflowException(message);
