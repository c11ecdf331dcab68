using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>Checks a trigger's <c>data</c> against the data its definition declares and turns it into typed values.</summary>
public static class TriggerDataReader
{
    public static TriggerData Read(WorkflowTrigger trigger, JsonObject? data, IDictionary<string, string[]> errors)
    {
        var fields = ExtraditionCase.DataOf(trigger);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        data ??= [];

        foreach (var (name, _) in data)
        {
            if (!fields.Any(f => f.Name == name)) errors[$"data.{name}"] = [$"{trigger} takes no member '{name}'."];
        }

        foreach (var field in fields)
        {
            var member = $"data.{field.Name}";
            if (!data.TryGetPropertyValue(field.Name, out var node) || node is null)
            {
                if (field.Required) errors[member] = [$"{trigger} requires '{field.Name}'."];
                continue;
            }

            var kind = node.GetValueKind();
            switch (field.Type)
            {
                case DataType.Bool when kind is JsonValueKind.True or JsonValueKind.False:
                    values[field.Name] = kind == JsonValueKind.True;
                    break;
                case DataType.String when kind == JsonValueKind.String:
                    var text = node.GetValue<string>();
                    if (string.IsNullOrWhiteSpace(text) || text.Length > DataField.MaxStringLength || !Text.IsClean(text))
                        errors[member] = [$"Must be non-empty text of at most {DataField.MaxStringLength} characters, without control characters."];
                    else values[field.Name] = text;
                    break;
                case DataType.Enum when kind == JsonValueKind.String && field.Values!.Contains(node.GetValue<string>()):
                    values[field.Name] = node.GetValue<string>();
                    break;
                case DataType.Enum:
                    errors[member] = [$"Must be one of: {string.Join(", ", field.Values!)}."];
                    break;
                case DataType.DateTime when kind == JsonValueKind.String && Instants.TryParse(node.GetValue<string>(), out var instant):
                    values[field.Name] = instant;
                    break;
                case DataType.DateTime:
                    errors[member] = ["Must be an RFC 3339 instant."];
                    break;
                default:
                    errors[member] = [$"Must be a {field.Type.ToString().ToLowerInvariant()}."];
                    break;
            }
        }

        return new TriggerData(values);
    }

    /// <summary>The data as recorded in the event: validated values, instants in the contract's form.</summary>
    public static JsonObject ToJson(TriggerData data)
    {
        var json = new JsonObject();
        foreach (var (name, value) in data.Values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            json[name] = value switch
            {
                bool flag => flag,
                DateTimeOffset instant => Domain.Instant.ToText(instant),
                _ => (string)value,
            };
        }

        return json;
    }
}
