using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using Stateless;
using Stateless.Reflection;
using static ExtraditionCases.Domain.Workflow.DataField;

namespace ExtraditionCases.Domain.Workflow;

/// <summary>
/// The spec's trigger table, one definition per trigger: its data, who fires it, where it leads under
/// which guards, what it records and what it does to the clocks. <see cref="Configure"/> builds the
/// Stateless machine from these definitions and nothing else.
/// </summary>
public sealed partial class ExtraditionCase
{
    private static readonly TriggerGuard CaseFileComplete = new(nameof(CaseFileComplete),
        "the case file is complete: the person's full name, date of birth and nationality; an offence with description, statute and maximum penalty; every offence states whether it carries the death penalty (s.94); the warrant (accusation) or conviction details",
        (c, _) => c.File.MissingForSubmission().Count == 0);
    private static readonly TriggerGuard FullRequestInTime = new(nameof(FullRequestInTime),
        "the certified request reached the judge on or before the full-request deadline (s.74)",
        (c, x) => c.WithinClock(DeadlineKind.FullRequest, x.OccurredAt));
    private static readonly TriggerGuard ConsentBeforeJudgeValid = new(nameof(ConsentBeforeJudgeValid),
        "consent before the judge is in writing (s.127(3)), and the person is legally represented or a legal-aid exception is recorded (s.127(6)-(7))",
        (_, x) => WithData(x, () => x.Data.Flag("written") && (x.Data.Flag("legallyRepresented") || x.Data.Has("legalAidException"))));
    private static readonly TriggerGuard ConsentToSecretaryOfStateValid = new(nameof(ConsentToSecretaryOfStateValid),
        "consent to the Secretary of State after the case was sent is in writing (s.127(3), (5)); representation is not required",
        (_, x) => WithData(x, () => x.Data.Flag("written")));
    private static readonly TriggerGuard DeathPenaltyAssurance = new(nameof(DeathPenaltyAssurance),
        "a death-penalty assurance is recorded where any offence carries the death penalty (s.94)",
        (c, x) => WithData(x, () => !c.File.AnyOffenceCarriesDeathPenalty || x.Data.Has("deathPenaltyAssuranceReference")));
    private static readonly TriggerGuard SpecialityArranged = new(nameof(SpecialityArranged),
        "speciality arrangements exist: basis Treaty or Convention, a speciality assurance, or consent given before the case was sent to the Secretary of State (s.95(1)-(2))",
        (c, x) => WithData(x, () => c.File.Basis is LegalBasis.Treaty or LegalBasis.Convention
            || x.Data.Has("specialityAssuranceReference") || c.Facts.ConsentBeforeSending));
    private static readonly TriggerGuard NoAppealAfterConsent = new(nameof(NoAppealAfterConsent),
        "the person has not consented to extradition (consent bars appeal, s.103(2))",
        (c, _) => !c.Facts.ConsentRecorded);
    private static readonly TriggerGuard AppealInTime = new(nameof(AppealInTime),
        "the appeal is within the 14-day appeal window (ss.103, 108), or after a dismissed appeal an onward appeal within the 14-day LeaveToAppeal window (s.114), or a late ground is given (ss.103(10), 108(5)-(7A))",
        (c, x) => WithData(x, () => x.Data.Has("lateGround") || (c.Facts.AppealDismissed
            ? c.WithinClock(DeadlineKind.LeaveToAppeal, x.OccurredAt)
            : c.WithinClock(DeadlineKind.AppealWindow, x.OccurredAt))));
    private static readonly TriggerGuard AppellantIsPerson = new(nameof(AppellantIsPerson),
        "the appellant of an order is the person",
        (_, x) => WithData(x, () => x.Data.Text("appellant") == nameof(Appellant.Person)));
    private static readonly TriggerGuard DischargeAppealable = new(nameof(DischargeAppealable),
        "the requesting state may appeal this discharge: GB rules, a discharge at the extradition hearing or by the executive, whose RequestingStateAppealWindow is pending (ss.105, 110)",
        (c, _) => c.OpenClock(DeadlineKind.RequestingStateAppealWindow) is not null);
    private static readonly TriggerGuard RequestingAppealInTime = new(nameof(RequestingAppealInTime),
        "the requesting state's appeal is within 14 days, while its RequestingStateAppealWindow runs (ss.105(5), 110(5))",
        (c, x) => c.OpenClock(DeadlineKind.RequestingStateAppealWindow) is not { } window || window.Advisory || window.IsBeforeEnd(x.OccurredAt));
    private static readonly TriggerGuard NoLateGroundForRequestingState = new(nameof(NoLateGroundForRequestingState),
        "the requesting state's appeal gives no late ground: only the person's appeal may be brought late (ss.103(10), 108(5)-(7A)); ss.105(5) and 110(5) allow none",
        (_, x) => WithData(x, () => !x.Data.Has("lateGround")));
    private static readonly TriggerGuard AppellantIsRequestingState = new(nameof(AppellantIsRequestingState),
        "the appellant of a discharge is the requesting state",
        (_, x) => WithData(x, () => x.Data.Text("appellant") == nameof(Appellant.RequestingState)));
    private static readonly TriggerGuard SurrenderCleared = new(nameof(SurrenderCleared),
        "no appeal is pending, and the appeal window closed unused, or an appeal was finally dismissed (its LeaveToAppeal window closed unused, s.114), or consent bars appeal",
        (c, x) => c.SurrenderIsCleared(x.OccurredAt));
    private static readonly TriggerGuard SurrenderInTime = new(nameof(SurrenderInTime),
        "the surrender is within the surrender period, or a reasonable cause is recorded (s.117)",
        (c, x) => WithData(x, () => c.SurrenderIsInTime(x)));
    private static readonly TriggerGuard NoRequestingStateAppealPending = new(nameof(NoRequestingStateAppealPending),
        "the requesting state's appeal window (RequestingStateAppealWindow) is not pending (GB rules only, ss.105, 110)",
        (c, x) => c.OpenClock(DeadlineKind.RequestingStateAppealWindow) is not { } window || window.Advisory || !window.IsBeforeEnd(x.OccurredAt));

    private static readonly TriggerGuard CompetingRequestDetected = new(nameof(CompetingRequestDetected),
        "a decision is deferred for a competing request only when one was detected: a confirmed link to another open case of the person, requested of the same state by another state (s.126; 1972 Act s.14)",
        (c, x) => WithData(x, () => x.Data.Text("ground") != "CompetingRequest" || c.Facts.CompetingRequest));

    private static readonly Func<CaseState, CaseSide?> Requesting = _ => CaseSide.Requesting;
    private static readonly Func<CaseState, CaseSide?> EitherSide = _ => null;

    private static TriggerTransition Move(CaseState from, CaseState to, params TriggerGuard[] guards) => new([from], to, guards);

    private static TriggerTransition Move(IReadOnlyList<CaseState> from, CaseState to, params TriggerGuard[] guards) => new(from, to, guards);

    private static readonly IReadOnlyList<CaseState> ConsentStates =
        [CaseState.ProvisionalArrest, CaseState.InitialHearing, CaseState.ExtraditionHearing, CaseState.HearingAdjourned];

    private static void StartExecutiveClocks(ClockBook clocks)
    {
        clocks.Start(DeadlineKind.Representations);
        clocks.Start(DeadlineKind.ExecutiveDecision);
    }

    /// <summary>The trigger table. Clocks a law does not have are not started (see <see cref="ClockRules.For"/>).</summary>
    private static readonly IReadOnlyDictionary<WorkflowTrigger, TriggerDefinition> Definitions = new TriggerDefinition[]
    {
        new(WorkflowTrigger.Submit)
        {
            FiredBy = Requesting,
            Transitions = [Move(CaseState.Draft, CaseState.UnderReview, CaseFileComplete)],
        },
        new(WorkflowTrigger.ReturnForCorrection)
        {
            Data = [Str("reason")],
            Transitions = [Move(CaseState.UnderReview, CaseState.Draft)],
        },
        new(WorkflowTrigger.Certify)
        {
            Data = [Str("certificateReference")],
            Transitions = [Move(CaseState.UnderReview, CaseState.Lodged, CaseFileComplete)],
            Records = (facts, _) => facts with { Certified = true },
        },
        new(WorkflowTrigger.RefuseCertification)
        {
            Data = [Str("reason")],
            Transitions = [Move(CaseState.UnderReview, CaseState.Refused)],
        },
        new(WorkflowTrigger.ProvisionalArrest)
        {
            Data = [Str("warrantReference", false), Str("court", false)],
            Transitions = [Move([CaseState.Draft, CaseState.UnderReview], CaseState.ProvisionalArrest)],
            Clocks = (clocks, _) => clocks.Start(DeadlineKind.FullRequest),
        },
        new(WorkflowTrigger.IssueWarrant)
        {
            Data = [Str("warrantReference"), Str("court")],
            Transitions = [Move(CaseState.Lodged, CaseState.WarrantIssued)],
        },
        new(WorkflowTrigger.Arrest)
        {
            Data = [Instant("firstAppearanceAt", false)],
            Transitions = [Move(CaseState.WarrantIssued, CaseState.InitialHearing)],
            // s.75(2): two months starting with the day the person first appears before the judge.
            Clocks = (clocks, step) => clocks.Start(DeadlineKind.HearingStart, step.Data.Instant("firstAppearanceAt")),
        },
        new(WorkflowTrigger.ReceiveFullRequest)
        {
            Data = [Str("certificateReference")],
            Transitions = [Move(CaseState.ProvisionalArrest, CaseState.InitialHearing, CaseFileComplete, FullRequestInTime)],
            Records = (facts, _) => facts with { Certified = true },
            Clocks = (clocks, _) =>
            {
                clocks.Meet(DeadlineKind.FullRequest);
                clocks.Start(DeadlineKind.HearingStart);
            },
        },
        new(WorkflowTrigger.OpenHearing)
        {
            Transitions = [Move([CaseState.InitialHearing, CaseState.HearingAdjourned], CaseState.ExtraditionHearing)],
            Clocks = (clocks, _) => clocks.Meet(DeadlineKind.HearingStart),
        },
        new(WorkflowTrigger.Adjourn)
        {
            Data = [OneOf("ground", "UkCharge", "UkSentence", "CompetingClaim", "PhysicalOrMentalCondition")],
            Transitions = [Move([CaseState.InitialHearing, CaseState.ExtraditionHearing], CaseState.HearingAdjourned)],
        },
        new(WorkflowTrigger.RecordConsent)
        {
            // legallyRepresented is optional in the data: consent to the Secretary of State does not need it.
            Data = [Flag("written"), Flag("legallyRepresented", false), Str("legalAidException", false)],
            Transitions =
            [
                Move(ConsentStates, CaseState.ExecutiveDecision, ConsentBeforeJudgeValid),
                // Consent given to the Secretary of State after the case was sent (s.127(5)): no change of state.
                new([CaseState.ExecutiveDecision], null, [ConsentToSecretaryOfStateValid]),
            ],
            Records = (facts, step) => facts with
            {
                ConsentRecorded = true,
                ConsentBeforeSending = facts.ConsentBeforeSending || step.From != CaseState.ExecutiveDecision,
            },
            Clocks = (clocks, step) =>
            {
                var committal = step.From != CaseState.ExecutiveDecision;
                clocks.Cancel(DeadlineKind.FullRequest);
                clocks.Meet(DeadlineKind.HearingStart);
                if (committal && clocks.Rules.IsGreatBritain) StartExecutiveClocks(clocks);
                // Extradition Act 1972 s.12: the two months run from committal, which consent before the magistrate is.
                if (committal && clocks.Rules.Code == "PK") clocks.Start(DeadlineKind.Surrender);
            },
        },
        new(WorkflowTrigger.SendToExecutive)
        {
            Transitions = [Move(CaseState.ExtraditionHearing, CaseState.ExecutiveDecision)],
            Clocks = (clocks, _) =>
            {
                if (clocks.Rules.IsGreatBritain) StartExecutiveClocks(clocks);
                else clocks.Start(DeadlineKind.Surrender); // committal: PK s.12, US 18 U.S.C. 3188
            },
        },
        new(WorkflowTrigger.DeferDecision)
        {
            Data = [OneOf("ground", "UkCharge", "UkSentence", "CompetingRequest")],
            Transitions = [Move(CaseState.ExecutiveDecision, CaseState.DecisionDeferred, CompetingRequestDetected)],
            Clocks = (clocks, _) =>
            {
                clocks.Cancel(DeadlineKind.Representations);
                clocks.Cancel(DeadlineKind.ExecutiveDecision);
            },
        },
        new(WorkflowTrigger.ResumeDecision)
        {
            Transitions = [Move(CaseState.DecisionDeferred, CaseState.ExecutiveDecision)],
            Clocks = (clocks, _) => StartExecutiveClocks(clocks),
        },
        new(WorkflowTrigger.OrderExtradition)
        {
            Data = [Str("deathPenaltyAssuranceReference", false), Str("specialityAssuranceReference", false), Instant("informedAt", false)],
            Transitions = [Move(CaseState.ExecutiveDecision, CaseState.ExtraditionOrdered, CaseFileComplete, DeathPenaltyAssurance, SpecialityArranged)],
            Records = (facts, _) => facts with { AppealDismissed = false },
            Clocks = (clocks, step) =>
            {
                if (!clocks.Rules.IsGreatBritain) return;
                clocks.Meet(DeadlineKind.ExecutiveDecision);
                // The appeal window runs from when the person was informed of the order (ss.100, 103(9));
                // consent bars the appeal (s.103(2)). The surrender period starts with the day of the order (s.117).
                if (!step.Before.ConsentRecorded) clocks.Start(DeadlineKind.AppealWindow, step.Data.Instant("informedAt"));
                clocks.Start(DeadlineKind.Surrender);
            },
        },
        new(WorkflowTrigger.LodgeAppeal)
        {
            Data = [OneOf("appellant", "Person", "RequestingState"), Str("court", false), Str("lateGround", false)],
            // The person appeals an order (recorded by the requested state); the requesting state appeals a discharge.
            FiredBy = state => state == CaseState.Discharged ? CaseSide.Requesting : CaseSide.Requested,
            Transitions =
            [
                Move(CaseState.ExtraditionOrdered, CaseState.AppealPending, NoAppealAfterConsent, AppealInTime, AppellantIsPerson),
                Move(CaseState.Discharged, CaseState.AppealPending, DischargeAppealable, RequestingAppealInTime, AppellantIsRequestingState,
                    NoLateGroundForRequestingState),
            ],
            Records = (facts, step) => facts with
            {
                PendingAppeal = step.From == CaseState.Discharged ? Appellant.RequestingState : Appellant.Person,
            },
            Clocks = (clocks, step) =>
            {
                if (!clocks.Rules.IsGreatBritain) return;
                if (step.From == CaseState.Discharged)
                {
                    clocks.Meet(DeadlineKind.RequestingStateAppealWindow);
                    return;
                }

                clocks.Meet(DeadlineKind.AppealWindow);
                clocks.Cancel(DeadlineKind.Surrender);
                // An onward appeal (s.114) within the leave window: the decision never became final.
                // (Rules version 1 had no leave window and let the surrender clock run.)
                if (clocks.Rules.For(DeadlineKind.LeaveToAppeal) is null) return;
                clocks.Meet(DeadlineKind.LeaveToAppeal);
                clocks.Cancel(DeadlineKind.SurrenderAfterAppeal);
            },
        },
        new(WorkflowTrigger.DismissAppeal)
        {
            Data = [Str("court", false)],
            Transitions =
            [
                new([CaseState.AppealPending], null, [],
                    c => c.Facts.PendingAppeal == Appellant.RequestingState ? CaseState.Discharged : CaseState.ExtraditionOrdered,
                    [(CaseState.ExtraditionOrdered, "PersonAppealed", "the person appealed"), (CaseState.Discharged, "RequestingStateAppealed", "the requesting state appealed")]),
            ],
            Records = (facts, _) => facts with
            {
                AppealDismissed = facts.PendingAppeal == Appellant.Person,
                PendingAppeal = null,
            },
            // s.118(2): the 28 days start with the day the decision becomes final, the day after the
            // LeaveToAppeal window (s.114) ends unused. That clock is started now with startedAt at the
            // window's dueAt (local midnight, the start of that day); an onward appeal cancels it.
            // Rules version 1 kept no leave window: the 28 days started with the dismissal.
            Clocks = (clocks, step) =>
            {
                if (!clocks.Rules.IsGreatBritain || step.Before.PendingAppeal != Appellant.Person) return;
                var leave = clocks.Start(DeadlineKind.LeaveToAppeal);
                clocks.Start(DeadlineKind.SurrenderAfterAppeal, leave?.DueAt);
            },
        },
        new(WorkflowTrigger.AllowAppeal)
        {
            Data = [Str("court", false)],
            Transitions =
            [
                new([CaseState.AppealPending], null, [],
                    c => c.Facts.PendingAppeal == Appellant.RequestingState ? c.Facts.DischargingStage ?? CaseState.ExtraditionHearing : CaseState.Discharged,
                    [
                        (CaseState.Discharged, "PersonAppealed", "the person appealed"),
                        (CaseState.ExtraditionHearing, "DischargedAtHearing", "the requesting state appealed a discharge at the hearing (s.106)"),
                        (CaseState.ExecutiveDecision, "DischargedByExecutive", "the requesting state appealed a discharge by the executive (s.111)"),
                    ]),
            ],
            Records = AppealDecided,
        },
        new(WorkflowTrigger.RemitCase)
        {
            Data = [Str("court", false)],
            Transitions = [Move(CaseState.AppealPending, CaseState.ExtraditionHearing)],
            Records = AppealDecided,
        },
        new(WorkflowTrigger.ArrangeSurrender)
        {
            Data = [Instant("scheduledFor"), Str("escort", false), Str("place", false)],
            FiredBy = EitherSide,
            Transitions = [Move(CaseState.ExtraditionOrdered, CaseState.SurrenderArranged, SurrenderCleared)],
        },
        new(WorkflowTrigger.PostponeSurrender)
        {
            Data = [OneOf("ground", "AsylumClaim", "UkCharge", "UkSentence", "Health")],
            Transitions = [Move([CaseState.ExtraditionOrdered, CaseState.SurrenderArranged], CaseState.SurrenderPostponed)],
            Clocks = (clocks, _) =>
            {
                if (!clocks.Rules.IsGreatBritain) return;
                clocks.Cancel(DeadlineKind.Surrender);
                clocks.Cancel(DeadlineKind.SurrenderAfterAppeal);
            },
        },
        new(WorkflowTrigger.LiftPostponement)
        {
            Transitions = [Move(CaseState.SurrenderPostponed, CaseState.ExtraditionOrdered)],
            Clocks = (clocks, _) =>
            {
                if (clocks.Rules.IsGreatBritain) clocks.Start(DeadlineKind.Surrender);
            },
        },
        new(WorkflowTrigger.Surrender)
        {
            Data = [Str("reasonableCause", false)],
            Transitions = [Move(CaseState.SurrenderArranged, CaseState.Surrendered, SurrenderInTime)],
            Clocks = (clocks, _) =>
            {
                clocks.Meet(DeadlineKind.Surrender);
                clocks.Meet(DeadlineKind.SurrenderAfterAppeal);
            },
        },
        new(WorkflowTrigger.Discharge)
        {
            Transitions = [Move(CaseStates.BeforeSurrender, CaseState.Discharged)],
            Data =
            [
                OneOf("by", "Judge", "HighCourt", "SupremeCourt", "Executive"), Str("ground"), Str("section", false), Instant("informedAt", false),
            ],
            Records = (facts, step) => facts with
            {
                DischargedAt = step.Context.OccurredAt,
                DischargingStage = step.Data.Text("by") == "Executive" ? CaseState.ExecutiveDecision : CaseState.ExtraditionHearing,
            },
            // Every clock still running ends, except the one a discharge itself meets (ExecutiveDecision)
            // or starts: the requesting state's appeal window, under GB rules only (the 1972 Act and US law
            // give no such appeal). It runs from the day of the order at the hearing (s.105(5)), from when
            // the requesting state was informed of the executive's discharge (s.110(5)).
            Clocks = (clocks, step) =>
            {
                if (step.Data.Text("by") == "Executive") clocks.Meet(DeadlineKind.ExecutiveDecision);
                clocks.CancelAll();
                if (ClockRules.DischargeIsAppealableByRequestingState(step.From, step.Data))
                {
                    clocks.Start(DeadlineKind.RequestingStateAppealWindow,
                        step.Data.Text("by") == "Executive" ? step.Data.Instant("informedAt") : null);
                }
            },
        },
        new(WorkflowTrigger.Withdraw)
        {
            Data = [Str("reason")],
            FiredBy = Requesting,
            Transitions = [Move(CaseStates.BeforeSurrender, CaseState.Withdrawn)],
            Clocks = (clocks, _) => clocks.CancelAll(),
        },
        new(WorkflowTrigger.Close)
        {
            Data = [OneOf("ground", "Completed", "Deceased", "Superseded", "Lapsed")],
            FiredBy = EitherSide,
            Transitions =
            [
                Move(CaseState.Surrendered, CaseState.Closed),
                Move(CaseState.Discharged, CaseState.Closed, NoRequestingStateAppealPending),
                Move([CaseState.Refused, CaseState.Withdrawn], CaseState.Closed),
            ],
            Clocks = (clocks, _) => clocks.CancelAll(),
        },
    }.ToDictionary(d => d.Trigger);

    /// <summary>An appeal allowed or remitted ends the pending appeal; a case it discharges is discharged then.</summary>
    private static WorkflowFacts AppealDecided(WorkflowFacts facts, FiredStep step) => facts with
    {
        DischargedAt = step.To == CaseState.Discharged ? step.Context.OccurredAt : facts.DischargedAt,
        PendingAppeal = null,
    };

    /// <summary>Every trigger's definition, in trigger order: the workflow description and its diagrams are drawn from them.</summary>
    public static IEnumerable<TriggerDefinition> TriggerDefinitions => Definitions.Values.OrderBy(d => d.Trigger);

    /// <summary>The data a trigger takes, as its definition declares it.</summary>
    public static IReadOnlyList<DataField> DataOf(WorkflowTrigger trigger) => Definitions[trigger].Data;

    /// <summary>Triggers each state accepts at all, read once from the definitions.</summary>
    private static readonly IReadOnlyDictionary<CaseState, IReadOnlyList<WorkflowTrigger>> TriggersByState =
        Enum.GetValues<CaseState>().ToDictionary(
            s => s,
            s => (IReadOnlyList<WorkflowTrigger>)[.. Definitions.Values.Where(d => d.Transitions.Any(t => t.From.Contains(s))).Select(d => d.Trigger).Order()]);

    /// <summary>
    /// Builds the machine from the definitions: state by state, in trigger order, so the diagram reads in workflow order.
    /// Guards and destinations read the case the machine is bound to (<see cref="BoundMachine"/>), never a captured one.
    /// </summary>
    private static void Configure(BoundMachine bound)
    {
        var machine = bound.Machine;
        foreach (var trigger in Enum.GetValues<WorkflowTrigger>())
            bound.Triggers[trigger] = machine.SetTriggerParameters<TransitionContext>(trigger);

        foreach (var state in Enum.GetValues<CaseState>())
        {
            var configuration = machine.Configure(state);
            foreach (var definition in Definitions.Values.OrderBy(d => d.Trigger))
            {
                foreach (var transition in definition.Transitions.Where(t => t.From.Contains(state)))
                    Add(bound, configuration, bound.Triggers[definition.Trigger], transition);
            }
        }
    }

    private static void Add(BoundMachine bound, StateMachine<CaseState, WorkflowTrigger>.StateConfiguration configuration,
        StateMachine<CaseState, WorkflowTrigger>.TriggerWithParameters<TransitionContext> trigger, TriggerTransition transition)
    {
        var guards = transition.Guards.Select(g => Tuple.Create<Func<TransitionContext, bool>, string>(x => g.Check(bound.Case, x), g.Description)).ToArray();
        if (transition.Destination is { } destination)
        {
            var infos = new DynamicStateInfos();
            foreach (var (state, _, criterion) in transition.Possible ?? []) infos.Add(state.ToString(), criterion);
            configuration.PermitDynamicIf(trigger, _ => destination(bound.Case), infos, guards);
        }
        else if (transition.To is { } to)
        {
            configuration.PermitIf(trigger, to, guards);
        }
        else
        {
            configuration.InternalTransitionIf(trigger, x => guards.All(g => g.Item1(x)), (_, _) => { },
                string.Join("; ", guards.Select(g => g.Item2)));
        }
    }

    /// <summary>A guard that reads trigger data passes in a probe: allowedActions cannot know the data.</summary>
    private static bool WithData(TransitionContext context, Func<bool> check) => context.IsProbe || check();

    /// <summary>
    /// Time guards compare occurredAt with the clock's dueAt, never its status as read now. A case with no
    /// such clock, or only an advisory one, is not held back.
    /// </summary>
    private bool WithinClock(DeadlineKind kind, DateTimeOffset occurredAt)
    {
        var clock = _deadlines.LastOrDefault(d => d.Kind == kind && d.Status != DeadlineStatus.Cancelled);
        return clock is null || clock.Advisory || clock.IsBeforeEnd(occurredAt);
    }

    /// <summary>The latest clock of this kind still open in storage (Pending or Extended), if any.</summary>
    private Deadline? OpenClock(DeadlineKind kind) => _deadlines.LastOrDefault(d => d.Kind == kind && d.IsOpen);

    private bool SurrenderIsCleared(DateTimeOffset occurredAt)
    {
        if (Facts.PendingAppeal is not null) return false;
        if (Facts.ConsentRecorded) return true;
        // After a dismissed appeal the decision is final once the LeaveToAppeal window closed unused (s.114, s.118(2)).
        var kind = Facts.AppealDismissed ? DeadlineKind.LeaveToAppeal : DeadlineKind.AppealWindow;
        var window = _deadlines.LastOrDefault(d => d.Kind == kind);
        if (Facts.AppealDismissed && window is null) return true; // dismissed under rules that keep no such window
        return window is null || window.Advisory || window.Status == DeadlineStatus.Cancelled
            || (window.IsOpen && !window.IsBeforeEnd(occurredAt));
    }

    private bool SurrenderIsInTime(TransitionContext c)
    {
        if (c.Data.Has("reasonableCause") || _rules.Code != "GB") return true;
        var clock = _deadlines.LastOrDefault(d => d.Kind is DeadlineKind.Surrender or DeadlineKind.SurrenderAfterAppeal && d.IsOpen);
        return clock is null || clock.Advisory || clock.IsBeforeEnd(c.OccurredAt);
    }

    /// <summary>The configured machine, for the workflow endpoint and the diagrams.</summary>
    public static StateMachineInfo Describe()
    {
        var template = new ExtraditionCase(Guid.Empty, string.Empty,
            new CaseFile { RequestingState = "", RequestedState = "", Person = new Person() },
            CaseState.Draft, new DeadlineOptions().RulesFor("", ""));
        using var machine = MachineFor(template);
        return machine.Machine.GetInfo();
    }
}
