namespace ExtraditionCases.Domain.Workflow;

public enum CaseState
{
    Draft,
    UnderReview,
    Lodged,
    ProvisionalArrest,
    WarrantIssued,
    InitialHearing,
    ExtraditionHearing,
    HearingAdjourned,
    ExecutiveDecision,
    DecisionDeferred,
    ExtraditionOrdered,
    AppealPending,
    SurrenderPostponed,
    SurrenderArranged,
    Surrendered,
    Discharged,
    Refused,
    Withdrawn,
    Closed,
}

/// <summary>
/// The 26 triggers of the spec. Public (unlike the Stateless examples) because the transitions
/// endpoint names triggers generically; only <see cref="ExtraditionCase"/> decides what they do.
/// </summary>
public enum WorkflowTrigger
{
    Submit,
    ReturnForCorrection,
    Certify,
    RefuseCertification,
    ProvisionalArrest,
    IssueWarrant,
    Arrest,
    ReceiveFullRequest,
    OpenHearing,
    Adjourn,
    RecordConsent,
    SendToExecutive,
    DeferDecision,
    ResumeDecision,
    OrderExtradition,
    LodgeAppeal,
    DismissAppeal,
    AllowAppeal,
    RemitCase,
    ArrangeSurrender,
    PostponeSurrender,
    LiftPostponement,
    Surrender,
    Discharge,
    Withdraw,
    Close,
}

/// <summary>Which of the two states a caller acts for on a given case.</summary>
public enum CaseSide { Requesting, Requested }

public static class CaseStates
{
    public static bool IsEnded(this CaseState state) =>
        state is CaseState.Discharged or CaseState.Refused or CaseState.Withdrawn or CaseState.Closed;

    /// <summary>Open or paused states before Surrendered: where Discharge and Withdraw may be fired.</summary>
    public static readonly IReadOnlyList<CaseState> BeforeSurrender =
    [
        CaseState.Draft, CaseState.UnderReview, CaseState.Lodged, CaseState.ProvisionalArrest,
        CaseState.WarrantIssued, CaseState.InitialHearing, CaseState.ExtraditionHearing,
        CaseState.HearingAdjourned, CaseState.ExecutiveDecision, CaseState.DecisionDeferred,
        CaseState.ExtraditionOrdered, CaseState.AppealPending, CaseState.SurrenderPostponed,
        CaseState.SurrenderArranged,
    ];
}
