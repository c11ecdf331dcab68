using System.Collections.ObjectModel;

namespace ExtraditionCases.Domain.Workflow;

public enum DataType { String, Bool, DateTime, Enum }

public sealed record DataField(string Name, DataType Type, bool Required, IReadOnlyList<string>? Values = null);

/// <summary>The spec's data table: which members each trigger takes, their types and enums.</summary>
public static class TriggerDataSchema
{
    public const int MaxStringLength = 500;

    private static DataField Str(string name, bool required = true) => new(name, DataType.String, required);
    private static DataField Flag(string name) => new(name, DataType.Bool, Required: true);
    private static DataField OneOf(string name, params string[] values) => new(name, DataType.Enum, Required: true, values);

    private static readonly IReadOnlyDictionary<WorkflowTrigger, IReadOnlyList<DataField>> Fields =
        new Dictionary<WorkflowTrigger, IReadOnlyList<DataField>>
        {
            [WorkflowTrigger.Submit] = [],
            [WorkflowTrigger.ReturnForCorrection] = [Str("reason")],
            [WorkflowTrigger.Certify] = [Str("certificateReference")],
            [WorkflowTrigger.RefuseCertification] = [Str("reason")],
            [WorkflowTrigger.ProvisionalArrest] = [Str("warrantReference", false), Str("court", false)],
            [WorkflowTrigger.IssueWarrant] = [Str("warrantReference"), Str("court")],
            [WorkflowTrigger.Arrest] = [],
            [WorkflowTrigger.ReceiveFullRequest] = [Str("certificateReference")],
            [WorkflowTrigger.OpenHearing] = [],
            [WorkflowTrigger.Adjourn] = [OneOf("ground", "UkCharge", "UkSentence", "CompetingClaim", "PhysicalOrMentalCondition")],
            [WorkflowTrigger.RecordConsent] = [Flag("written"), Flag("legallyRepresented"), Str("legalAidException", false)],
            [WorkflowTrigger.SendToExecutive] = [],
            [WorkflowTrigger.DeferDecision] = [OneOf("ground", "UkCharge", "UkSentence", "CompetingRequest")],
            [WorkflowTrigger.ResumeDecision] = [],
            [WorkflowTrigger.OrderExtradition] = [Str("deathPenaltyAssuranceReference", false), Str("specialityAssuranceReference", false)],
            [WorkflowTrigger.LodgeAppeal] = [OneOf("appellant", "Person", "RequestingState"), Str("court", false), Str("lateGround", false)],
            [WorkflowTrigger.DismissAppeal] = [Str("court", false)],
            [WorkflowTrigger.AllowAppeal] = [Str("court", false)],
            [WorkflowTrigger.RemitCase] = [Str("court", false)],
            [WorkflowTrigger.ArrangeSurrender] = [new("scheduledFor", DataType.DateTime, true), Str("escort", false), Str("place", false)],
            [WorkflowTrigger.PostponeSurrender] = [OneOf("ground", "AsylumClaim", "UkCharge", "UkSentence", "Health")],
            [WorkflowTrigger.LiftPostponement] = [],
            [WorkflowTrigger.Surrender] = [Str("reasonableCause", false)],
            [WorkflowTrigger.Discharge] = [OneOf("by", "Judge", "HighCourt", "SupremeCourt", "Executive"), Str("ground"), Str("section", false)],
            [WorkflowTrigger.Withdraw] = [Str("reason")],
            [WorkflowTrigger.Close] = [OneOf("ground", "Completed", "Deceased", "Superseded", "Lapsed")],
        };

    public static IReadOnlyList<DataField> For(WorkflowTrigger trigger) => Fields[trigger];
}

/// <summary>Trigger data already checked against <see cref="TriggerDataSchema"/>: values are string, bool or DateTimeOffset.</summary>
public sealed class TriggerData(IDictionary<string, object> values)
{
    public static readonly TriggerData Empty = new(new Dictionary<string, object>());

    public IReadOnlyDictionary<string, object> Values { get; } = new ReadOnlyDictionary<string, object>(values);

    public string? Text(string name) => Values.TryGetValue(name, out var v) ? v as string : null;

    public bool Flag(string name) => Values.TryGetValue(name, out var v) && v is true;

    public bool Has(string name) => !string.IsNullOrWhiteSpace(Text(name));
}
