using System.Collections.ObjectModel;

namespace ExtraditionCases.Domain.Workflow;

public enum DataType { String, Bool, DateTime, Enum }

/// <summary>One member of a trigger's <c>data</c>, declared with the trigger (<see cref="TriggerDefinition"/>).</summary>
public sealed record DataField(string Name, DataType Type, bool Required, IReadOnlyList<string>? Values = null)
{
    public const int MaxStringLength = 500;

    public static DataField Str(string name, bool required = true) => new(name, DataType.String, required);
    public static DataField Flag(string name, bool required = true) => new(name, DataType.Bool, required);
    public static DataField Instant(string name, bool required = true) => new(name, DataType.DateTime, required);
    public static DataField OneOf(string name, params string[] values) => new(name, DataType.Enum, Required: true, values);
}

/// <summary>Trigger data already checked against its trigger's <see cref="TriggerDefinition.Data"/>: values are string, bool or DateTimeOffset.</summary>
public sealed class TriggerData(IDictionary<string, object> values)
{
    public static readonly TriggerData Empty = new(new Dictionary<string, object>());

    public IReadOnlyDictionary<string, object> Values { get; } = new ReadOnlyDictionary<string, object>(values);

    public string? Text(string name) => Values.TryGetValue(name, out var v) ? v as string : null;

    public bool Flag(string name) => Values.TryGetValue(name, out var v) && v is true;

    public bool Has(string name) => !string.IsNullOrWhiteSpace(Text(name));

    public DateTimeOffset? Instant(string name) => Values.TryGetValue(name, out var v) && v is DateTimeOffset at ? at : null;
}
