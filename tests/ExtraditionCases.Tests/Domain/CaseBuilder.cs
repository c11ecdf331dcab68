using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Tests.Domain;

/// <summary>Cases for domain tests, and the data each trigger needs to pass its guards.</summary>
public static class CaseBuilder
{
    public static readonly DateTimeOffset Filed = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static CaseFile CompleteFile(string requesting = "PK", string requested = "GB", bool deathPenalty = false,
        LegalBasis basis = LegalBasis.Treaty) => new()
    {
        RequestingState = requesting,
        RequestedState = requested,
        Basis = basis,
        Category = CaseCategory.Accusation,
        Person = new Person { FullName = "محسن علی", DateOfBirth = new DateOnly(1980, 2, 29), Nationality = requesting },
        Offences = [new Offence { Description = "Money laundering", Statute = "AMLA 2010 s.3", MaxPenaltyMonths = 120, DeathPenalty = deathPenalty }],
        Warrant = new Warrant { Reference = "W-1", IssuedBy = "ATC Islamabad", IssuedOn = new DateOnly(2026, 1, 15) },
    };

    public static ExtraditionCase NewCase(CaseFile? file = null, DeadlineOptions? options = null, DateTimeOffset? filedAt = null)
    {
        file ??= CompleteFile();
        var at = filedAt ?? Filed;
        return ExtraditionCase.FileNew(Guid.NewGuid(), "EXT-TEST", file, at, at,
            (options ?? new DeadlineOptions()).RulesFor(file.RequestingState, file.RequestedState));
    }

    /// <summary>A case sitting in <paramref name="state"/>, as if restored from storage.</summary>
    public static ExtraditionCase InState(CaseState state, WorkflowFacts? facts = null, CaseFile? file = null, IEnumerable<Deadline>? clocks = null) =>
        ExtraditionCase.Restore(Guid.NewGuid(), "EXT-TEST", file ?? CompleteFile(), state, Filed, 5, Filed, Filed, Filed,
            facts ?? new WorkflowFacts { LastOccurredAt = Filed }, clocks ?? [], new DeadlineOptions().RulesFor("PK", "GB"));

    /// <summary>The requesting state's appeal window a discharge at the hearing opened (GB rules, ss.105, 110).</summary>
    public static Deadline RequestingStateAppealWindow(DateTimeOffset dueAt) => new()
    {
        Ordinal = 1, Kind = DeadlineKind.RequestingStateAppealWindow, StartedAt = Filed, DueAt = dueAt,
        Status = DeadlineStatus.Pending, Statute = "Extradition Act 2003 ss.105, 110", Advisory = false,
    };

    public static TriggerData ValidData(WorkflowTrigger trigger, CaseState from = CaseState.Draft) => new(trigger switch
    {
        WorkflowTrigger.ReturnForCorrection or WorkflowTrigger.RefuseCertification or WorkflowTrigger.Withdraw =>
            new Dictionary<string, object> { ["reason"] = "Reason given" },
        WorkflowTrigger.Certify or WorkflowTrigger.ReceiveFullRequest => new Dictionary<string, object> { ["certificateReference"] = "CERT-1" },
        WorkflowTrigger.IssueWarrant => new Dictionary<string, object> { ["warrantReference"] = "S71-1", ["court"] = "Westminster" },
        WorkflowTrigger.Adjourn => new Dictionary<string, object> { ["ground"] = "UkCharge" },
        WorkflowTrigger.RecordConsent => new Dictionary<string, object> { ["written"] = true, ["legallyRepresented"] = true },
        WorkflowTrigger.DeferDecision => new Dictionary<string, object> { ["ground"] = "UkSentence" },
        WorkflowTrigger.LodgeAppeal => new Dictionary<string, object>
            { ["appellant"] = from == CaseState.Discharged ? "RequestingState" : "Person" },
        WorkflowTrigger.ArrangeSurrender => new Dictionary<string, object> { ["scheduledFor"] = Filed.AddDays(200) },
        WorkflowTrigger.PostponeSurrender => new Dictionary<string, object> { ["ground"] = "Health" },
        WorkflowTrigger.Discharge => new Dictionary<string, object> { ["by"] = "Judge", ["ground"] = "Bar to extradition" },
        WorkflowTrigger.Close => new Dictionary<string, object> { ["ground"] = "Completed" },
        _ => new Dictionary<string, object>(),
    });

    public static CaseSide SideFor(WorkflowTrigger trigger, CaseState state) =>
        trigger is WorkflowTrigger.Submit or WorkflowTrigger.Withdraw || (trigger == WorkflowTrigger.LodgeAppeal && state == CaseState.Discharged)
            ? CaseSide.Requesting
            : CaseSide.Requested;

    /// <summary>Fires as the state whose trigger it is, with valid data, at <paramref name="at"/>.</summary>
    public static void Step(this ExtraditionCase c, WorkflowTrigger trigger, DateTimeOffset at, TriggerData? data = null, string? note = null) =>
        c.Fire(trigger, new TransitionContext(at, note, data ?? ValidData(trigger, c.State)), SideFor(trigger, c.State), at);
}
