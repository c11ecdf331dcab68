using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using Stateless;
using Stateless.Reflection;

namespace ExtraditionCases.Domain.Workflow;

/// <summary>The spec's trigger table, configured in this one place.</summary>
public sealed partial class ExtraditionCase
{
    private const string CaseFileComplete =
        "the case file is complete: the person's full name, date of birth and nationality; an offence with description, statute and maximum penalty; the warrant (accusation) or conviction details";
    private const string FullRequestInTime = "the certified request reached the judge on or before the full-request deadline (s.74)";
    private const string ConsentValid = "consent is in writing, and the person is legally represented or a legal-aid exception is recorded (s.127)";
    private const string DeathPenaltyAssurance = "a death-penalty assurance is recorded where any offence carries the death penalty (s.94)";
    private const string SpecialityArranged = "speciality arrangements exist: basis Treaty or Convention, a speciality assurance, or consent (s.95)";
    private const string NoAppealAfterConsent = "the person has not consented to extradition (consent bars appeal, s.103(2))";
    private const string AppealInTime = "the appeal is within the 14-day appeal window, or a late ground is given (ss.103, 108)";
    private const string AppellantIsPerson = "the appellant of an order is the person";
    private const string DischargeAppealable = "the discharge was at the extradition hearing or by the executive (ss.105, 110)";
    private const string RequestingAppealInTime = "the requesting state's appeal is within 14 days of the discharge (ss.105, 110)";
    private const string AppellantIsRequestingState = "the appellant of a discharge is the requesting state";
    private const string SurrenderCleared =
        "no appeal is pending, and the appeal window closed unused, or an appeal was finally dismissed, or consent bars appeal";
    private const string SurrenderInTime = "the surrender is within the surrender period, or a reasonable cause is recorded (s.117)";
    private const string NoRequestingStateAppealPending = "no requesting-state appeal window is still open (ss.105, 110)";

    /// <summary>Triggers each state accepts at all, read once from the configured machine.</summary>
    private static readonly IReadOnlyDictionary<CaseState, IReadOnlyList<WorkflowTrigger>> TriggersByState = ReadTriggersByState();

    private void Configure(StateMachine<CaseState, WorkflowTrigger> machine)
    {
        foreach (var trigger in Enum.GetValues<WorkflowTrigger>())
            _triggers[trigger] = machine.SetTriggerParameters<TransitionContext>(trigger);

        var t = _triggers;

        machine.Configure(CaseState.Draft)
            .PermitIf(t[WorkflowTrigger.Submit], CaseState.UnderReview, _ => File.MissingForSubmission().Count == 0, CaseFileComplete)
            .Permit(WorkflowTrigger.ProvisionalArrest, CaseState.ProvisionalArrest);

        machine.Configure(CaseState.UnderReview)
            .Permit(WorkflowTrigger.ReturnForCorrection, CaseState.Draft)
            .Permit(WorkflowTrigger.Certify, CaseState.Lodged)
            .Permit(WorkflowTrigger.RefuseCertification, CaseState.Refused)
            .Permit(WorkflowTrigger.ProvisionalArrest, CaseState.ProvisionalArrest);

        machine.Configure(CaseState.Lodged)
            .Permit(WorkflowTrigger.IssueWarrant, CaseState.WarrantIssued);

        machine.Configure(CaseState.ProvisionalArrest)
            .PermitIf(t[WorkflowTrigger.ReceiveFullRequest], CaseState.InitialHearing, c => WithinClock(DeadlineKind.FullRequest, c.OccurredAt), FullRequestInTime)
            .PermitIf(t[WorkflowTrigger.RecordConsent], CaseState.ExecutiveDecision, ConsentIsValid, ConsentValid);

        machine.Configure(CaseState.WarrantIssued)
            .Permit(WorkflowTrigger.Arrest, CaseState.InitialHearing);

        machine.Configure(CaseState.InitialHearing)
            .Permit(WorkflowTrigger.OpenHearing, CaseState.ExtraditionHearing)
            .Permit(WorkflowTrigger.Adjourn, CaseState.HearingAdjourned)
            .PermitIf(t[WorkflowTrigger.RecordConsent], CaseState.ExecutiveDecision, ConsentIsValid, ConsentValid);

        machine.Configure(CaseState.ExtraditionHearing)
            .Permit(WorkflowTrigger.Adjourn, CaseState.HearingAdjourned)
            .PermitIf(t[WorkflowTrigger.RecordConsent], CaseState.ExecutiveDecision, ConsentIsValid, ConsentValid)
            .Permit(WorkflowTrigger.SendToExecutive, CaseState.ExecutiveDecision);

        machine.Configure(CaseState.HearingAdjourned)
            .Permit(WorkflowTrigger.OpenHearing, CaseState.ExtraditionHearing)
            .PermitIf(t[WorkflowTrigger.RecordConsent], CaseState.ExecutiveDecision, ConsentIsValid, ConsentValid);

        machine.Configure(CaseState.ExecutiveDecision)
            // Consent given to the Secretary of State after the case was sent (s.127): no change of state.
            .InternalTransitionIf(t[WorkflowTrigger.RecordConsent], ConsentIsValid, (_, _) => { }, ConsentValid)
            .Permit(WorkflowTrigger.DeferDecision, CaseState.DecisionDeferred)
            .PermitIf(t[WorkflowTrigger.OrderExtradition], CaseState.ExtraditionOrdered,
                Guard(c => WithData(c, () => !File.AnyOffenceCarriesDeathPenalty || c.Data.Has("deathPenaltyAssuranceReference")), DeathPenaltyAssurance),
                Guard(c => WithData(c, () => File.Basis is LegalBasis.Treaty or LegalBasis.Convention
                    || c.Data.Has("specialityAssuranceReference") || Facts.ConsentRecorded), SpecialityArranged));

        machine.Configure(CaseState.DecisionDeferred)
            .Permit(WorkflowTrigger.ResumeDecision, CaseState.ExecutiveDecision);

        machine.Configure(CaseState.ExtraditionOrdered)
            .PermitIf(t[WorkflowTrigger.LodgeAppeal], CaseState.AppealPending,
                Guard(_ => !Facts.ConsentRecorded, NoAppealAfterConsent),
                Guard(c => WithData(c, () => WithinClock(DeadlineKind.AppealWindow, c.OccurredAt) || c.Data.Has("lateGround")), AppealInTime),
                Guard(c => WithData(c, () => c.Data.Text("appellant") == nameof(Appellant.Person)), AppellantIsPerson))
            .PermitIf(t[WorkflowTrigger.ArrangeSurrender], CaseState.SurrenderArranged, c => SurrenderIsCleared(c.OccurredAt), SurrenderCleared)
            .Permit(WorkflowTrigger.PostponeSurrender, CaseState.SurrenderPostponed);

        machine.Configure(CaseState.AppealPending)
            .PermitDynamicIf(t[WorkflowTrigger.DismissAppeal],
                _ => Facts.PendingAppeal == Appellant.RequestingState ? CaseState.Discharged : CaseState.ExtraditionOrdered,
                new DynamicStateInfos
                {
                    { nameof(CaseState.ExtraditionOrdered), "the person appealed" },
                    { nameof(CaseState.Discharged), "the requesting state appealed" },
                },
                Array.Empty<Tuple<Func<TransitionContext, bool>, string>>())
            .PermitDynamicIf(t[WorkflowTrigger.AllowAppeal],
                _ => Facts.PendingAppeal == Appellant.RequestingState ? Facts.DischargingStage ?? CaseState.ExtraditionHearing : CaseState.Discharged,
                new DynamicStateInfos
                {
                    { nameof(CaseState.Discharged), "the person appealed" },
                    { nameof(CaseState.ExtraditionHearing), "the requesting state appealed a discharge at the hearing (s.106)" },
                    { nameof(CaseState.ExecutiveDecision), "the requesting state appealed a discharge by the executive (s.111)" },
                },
                Array.Empty<Tuple<Func<TransitionContext, bool>, string>>())
            .Permit(WorkflowTrigger.RemitCase, CaseState.ExtraditionHearing);

        machine.Configure(CaseState.SurrenderPostponed)
            .Permit(WorkflowTrigger.LiftPostponement, CaseState.ExtraditionOrdered);

        machine.Configure(CaseState.SurrenderArranged)
            .PermitIf(t[WorkflowTrigger.Surrender], CaseState.Surrendered, c => WithData(c, () => SurrenderIsInTime(c)), SurrenderInTime)
            .Permit(WorkflowTrigger.PostponeSurrender, CaseState.SurrenderPostponed);

        foreach (var state in CaseStates.BeforeSurrender)
        {
            machine.Configure(state)
                .Permit(WorkflowTrigger.Discharge, CaseState.Discharged)
                .Permit(WorkflowTrigger.Withdraw, CaseState.Withdrawn);
        }

        machine.Configure(CaseState.Surrendered)
            .Permit(WorkflowTrigger.Close, CaseState.Closed);

        machine.Configure(CaseState.Discharged)
            .PermitIf(t[WorkflowTrigger.LodgeAppeal], CaseState.AppealPending,
                Guard(_ => Facts.RequestingStateMayAppealUntil is not null || Facts.DischargedAt is null, DischargeAppealable),
                Guard(c => Facts.RequestingStateMayAppealUntil is not { } until || c.OccurredAt <= until, RequestingAppealInTime),
                Guard(c => WithData(c, () => c.Data.Text("appellant") == nameof(Appellant.RequestingState)), AppellantIsRequestingState))
            .PermitIf(t[WorkflowTrigger.Close], CaseState.Closed,
                c => Facts.RequestingStateMayAppealUntil is not { } until || c.OccurredAt > until, NoRequestingStateAppealPending);

        machine.Configure(CaseState.Refused).Permit(WorkflowTrigger.Close, CaseState.Closed);
        machine.Configure(CaseState.Withdrawn).Permit(WorkflowTrigger.Close, CaseState.Closed);
        machine.Configure(CaseState.Closed);
    }

    private static Tuple<Func<TransitionContext, bool>, string> Guard(Func<TransitionContext, bool> check, string description) =>
        Tuple.Create(check, description);

    /// <summary>A guard that reads trigger data passes in a probe: allowedActions cannot know the data.</summary>
    private static bool WithData(TransitionContext context, Func<bool> check) => context.IsProbe || check();

    private static bool ConsentIsValid(TransitionContext c) =>
        WithData(c, () => c.Data.Flag("written") && (c.Data.Flag("legallyRepresented") || c.Data.Has("legalAidException")));

    /// <summary>
    /// Time guards compare occurredAt with the clock's dueAt, never its status as read now. A case with no
    /// such clock, or only an advisory one, is not held back.
    /// </summary>
    private bool WithinClock(DeadlineKind kind, DateTimeOffset occurredAt)
    {
        var clock = Deadlines.LastOrDefault(d => d.Kind == kind && d.Status != DeadlineStatus.Cancelled);
        return clock is null || clock.Advisory || occurredAt <= clock.DueAt;
    }

    private bool SurrenderIsCleared(DateTimeOffset occurredAt)
    {
        if (Facts.PendingAppeal is not null) return false;
        if (Facts.ConsentRecorded || Facts.AppealDismissed) return true;
        var window = Deadlines.LastOrDefault(d => d.Kind == DeadlineKind.AppealWindow);
        return window is null || window.Advisory || window.Status == DeadlineStatus.Cancelled
            || (window.IsOpen && occurredAt > window.DueAt);
    }

    private bool SurrenderIsInTime(TransitionContext c)
    {
        if (c.Data.Has("reasonableCause") || _rules.Code != "GB") return true;
        var clock = Deadlines.LastOrDefault(d => d.Kind is DeadlineKind.Surrender or DeadlineKind.SurrenderAfterAppeal && d.IsOpen);
        return clock is null || clock.Advisory || c.OccurredAt <= clock.DueAt;
    }

    private static IReadOnlyDictionary<CaseState, IReadOnlyList<WorkflowTrigger>> ReadTriggersByState()
    {
        var info = Describe();
        return info.States.ToDictionary(
            s => (CaseState)s.UnderlyingState,
            s => (IReadOnlyList<WorkflowTrigger>)
            [
                .. s.FixedTransitions.Select(x => (WorkflowTrigger)x.Trigger.UnderlyingTrigger)
                    .Concat(s.DynamicTransitions.Select(x => (WorkflowTrigger)x.Trigger.UnderlyingTrigger))
                    .Distinct()
                    .OrderBy(x => x),
            ]);
    }

    /// <summary>The configured machine, for the workflow endpoint and the diagrams.</summary>
    public static StateMachineInfo Describe()
    {
        var template = new ExtraditionCase(Guid.Empty, string.Empty,
            new CaseFile { RequestingState = "", RequestedState = "", Person = new Person() },
            CaseState.Draft, new DeadlineOptions().RulesFor("", ""));
        return template._machine.GetInfo();
    }
}
