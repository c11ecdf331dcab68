using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Workflow;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Workflow;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using DataType = ExtraditionCases.Domain.Workflow.DataType;

namespace ExtraditionCases.Api.OpenApi;

/// <summary>
/// Makes every schema say what the service enforces, from what the types declare: the member hints of
/// <see cref="ExtraditionCases.Application.Json"/> (NamesOf, OneOf, OpenSet, Form) and DataAnnotations
/// ([Required], [MaxLength], [MinLength], [Range], [RegularExpression]) on input records, and the CLR type where that says
/// enough (instants, ids, whole numbers). A new endpoint's types get the same treatment by construction.
/// </summary>
internal sealed class HintSchemaTransformer : IOpenApiSchemaTransformer
{
    /// <summary>Marks a schema that the document transformer turns into a reference to this enum's component.</summary>
    public const string EnumMarker = "x-enum-of";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var clr = Nullable.GetUnderlyingType(type) ?? type;
        var member = context.JsonPropertyInfo?.AttributeProvider;

        if (clr == typeof(int) || clr == typeof(long))
        {
            schema.Format = clr == typeof(int) ? "int32" : "int64";
            schema.Minimum ??= (clr == typeof(int) ? int.MinValue : long.MinValue).ToString(CultureInfo.InvariantCulture);
            schema.Maximum ??= (clr == typeof(int) ? int.MaxValue : long.MaxValue).ToString(CultureInfo.InvariantCulture);
        }
        else if (clr == typeof(Guid))
        {
            schema.Format = "uuid";
            schema.MaxLength = 36;
        }
        else if (clr == typeof(DateTimeOffset))
        {
            Apply(schema, TextForm.Instant);
        }

        if (member is not null) ApplyMemberHints(schema, member);
        if (context.JsonPropertyInfo is null && context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
            ApplyRequired(schema, context.JsonTypeInfo);
        return Task.CompletedTask;
    }

    private static void ApplyMemberHints(OpenApiSchema schema, ICustomAttributeProvider member)
    {
        T? One<T>() where T : Attribute => member.GetCustomAttributes(typeof(T), true).OfType<T>().FirstOrDefault();
        var isArray = schema.Type?.HasFlag(JsonSchemaType.Array) == true;

        if (One<MaxLengthAttribute>() is { } max)
        {
            if (isArray) schema.MaxItems = max.Length;
            else schema.MaxLength = max.Length;
        }

        if (One<MinLengthAttribute>() is { } min)
        {
            if (isArray) schema.MinItems = min.Length;
            else schema.MinLength = min.Length;
        }

        // A code whose exact form the validator checks (script, language tag, document number).
        if (One<RegularExpressionAttribute>() is { } regex) schema.Pattern = regex.Pattern;

        if (One<RangeAttribute>() is { } range)
        {
            schema.Minimum = Convert.ToString(range.Minimum, CultureInfo.InvariantCulture);
            schema.Maximum = Convert.ToString(range.Maximum, CultureInfo.InvariantCulture);
        }

        if (One<FormAttribute>() is { } form)
        {
            if (form.Items && schema.Items is OpenApiSchema items)
            {
                Apply(items, form.Form);
                if (form.ItemMaxLength > 0) items.MaxLength = form.ItemMaxLength;
                items.MinLength ??= 1;
            }
            else
            {
                Apply(schema, form.Form);
            }
        }

        if (One<NamesOfAttribute>() is { } names)
        {
            schema.Metadata ??= new Dictionary<string, object>();
            schema.Metadata[EnumMarker] = names.EnumType;
        }

        if (One<OneOfAttribute>() is { } oneOf)
        {
            schema.Enum = [.. oneOf.Values.Select(v => (JsonNode)JsonValue.Create(v)!)];
            if (schema.Type?.HasFlag(JsonSchemaType.Null) == true) schema.Enum.Add(null!);
        }

        if (One<OpenSetAttribute>() is { } open)
        {
            var known = open.Known;
            schema.MaxLength = 64;
            schema.Pattern = "^[A-Za-z][A-Za-z0-9]*$";
            schema.Description = $"One of {string.Join(", ", known)}, or a type a later feature adds: clients must accept values they do not know.";
            schema.Extensions ??= new Dictionary<string, IOpenApiExtension>();
            schema.Extensions["x-extensible-enum"] = new JsonNodeExtension(new JsonArray([.. known.Select(k => (JsonNode)JsonValue.Create(k)!)]));
        }
    }

    /// <summary>[Required] members are listed in required (the document pass makes them not null).</summary>
    private static void ApplyRequired(OpenApiSchema schema, System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) != true) continue;
            schema.Required ??= new HashSet<string>();
            schema.Required.Add(property.Name);
        }
    }

    /// <summary>The string forms of <see cref="TextForm"/>: format or pattern, and the lengths the parsers accept.</summary>
    public static void Apply(OpenApiSchema schema, TextForm form)
    {
        switch (form)
        {
            case TextForm.Date:
                schema.Format = "date";
                schema.MinLength = 10;
                schema.MaxLength = 10;
                break;
            case TextForm.Instant:
                schema.Format = "date-time";
                // yyyy-MM-ddTHH:mm:ssZ to yyyy-MM-ddTHH:mm:ss.fffffff+hh:mm (Instants.TryParse).
                schema.MinLength = 20;
                schema.MaxLength = 33;
                schema.Description ??= "RFC 3339 instant with Z or a numeric offset, for example 2026-11-20T10:00:00.000Z.";
                break;
            case TextForm.CountryCode:
                schema.Pattern = "^[A-Z]{2}$";
                schema.MinLength = 2;
                schema.MaxLength = 2;
                schema.Description ??= "ISO 3166-1 alpha-2 code, upper case.";
                break;
            case TextForm.Text:
                schema.Pattern = Text.CleanPattern;
                break;
            case TextForm.Prose:
                schema.Pattern = Text.CleanProsePattern;
                break;
            case TextForm.Uuid:
                schema.Format = "uuid";
                schema.MaxLength = 36;
                break;
            case TextForm.Url:
                schema.Format = "uri";
                break;
            case TextForm.Identifier:
                schema.Pattern = "^[A-Za-z][A-Za-z0-9]*$";
                schema.MaxLength ??= 64;
                break;
        }
    }
}

/// <summary>
/// The document-wide steps a schema transformer cannot take: members marked with an enum become
/// references to that enum's one component; the transition body becomes one schema per trigger,
/// discriminated by <c>trigger</c>, with the data its definition declares; the merge patch gets its own
/// schema (nothing required, fixed members absent).
/// </summary>
internal static class StrictDocument
{
    public static void Apply(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var schema in document.Components.Schemas.Values) NotNullWhenRequired(schema);
        AddTransitions(document);
        AddPatch(document);
        foreach (var schema in document.Components.Schemas.Values.ToList()) ReplaceMarkedEnums(document, schema);
    }

    /// <summary>A required member is never null: the service refuses null for it as it refuses its absence.</summary>
    private static void NotNullWhenRequired(IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema { Required.Count: > 0, Properties: { } properties } concrete) return;
        foreach (var name in concrete.Required)
        {
            if (!properties.TryGetValue(name, out var member) || member is not OpenApiSchema memberSchema) continue;
            if (memberSchema.OneOf is { Count: 2 } choices && choices.Count(c => c is OpenApiSchema { Type: JsonSchemaType.Null }) == 1)
                properties[name] = choices.Single(c => c is not OpenApiSchema { Type: JsonSchemaType.Null });
            else if (memberSchema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
                memberSchema.Type = type & ~JsonSchemaType.Null;
        }
    }

    public static IOpenApiSchema EnumReference(OpenApiDocument document, Type enumType)
    {
        var schemas = document.Components!.Schemas!;
        if (!schemas.ContainsKey(enumType.Name))
        {
            schemas[enumType.Name] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. Enum.GetNames(enumType).Select(n => (JsonNode)JsonValue.Create(n)!)],
            };
        }

        return new OpenApiSchemaReference(enumType.Name, document);
    }

    private static void ReplaceMarkedEnums(OpenApiDocument document, IOpenApiSchema schema)
    {
        if (schema is not OpenApiSchema concrete) return;
        foreach (var (name, member) in concrete.Properties?.ToList() ?? [])
        {
            if (Marked(member) is { } enumType) concrete.Properties![name] = Reference(document, (OpenApiSchema)member, enumType);
            else ReplaceMarkedEnums(document, member);
        }

        if (concrete.Items is { } items)
        {
            if (Marked(items) is { } enumType) concrete.Items = Reference(document, (OpenApiSchema)items, enumType);
            else ReplaceMarkedEnums(document, items);
        }

        foreach (var part in (concrete.OneOf ?? []).Concat(concrete.AnyOf ?? []).Concat(concrete.AllOf ?? [])) ReplaceMarkedEnums(document, part);
    }

    private static Type? Marked(IOpenApiSchema schema) =>
        schema is OpenApiSchema { Metadata: { } metadata } && metadata.TryGetValue(HintSchemaTransformer.EnumMarker, out var type) ? (Type)type : null;

    private static IOpenApiSchema Reference(OpenApiDocument document, OpenApiSchema member, Type enumType)
    {
        var reference = EnumReference(document, enumType);
        if (member.Type?.HasFlag(JsonSchemaType.Null) != true) return reference;
        return new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] };
    }

    /// <summary><c>&lt;Trigger&gt;Data</c> and <c>&lt;Trigger&gt;Transition</c> per trigger; TransitionInput is one of them.</summary>
    private static void AddTransitions(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        if (!schemas.TryGetValue("TransitionInput", out var input) || input is not OpenApiSchema generic) return;
        var mapping = new Dictionary<string, OpenApiSchemaReference>();
        var variants = new List<IOpenApiSchema>();
        foreach (var definition in ExtraditionCase.TriggerDefinitions)
        {
            var trigger = definition.Trigger.ToString();
            var data = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"The data {trigger} takes (GET /api/v1/workflow, triggerData). Members it does not declare are refused.",
                Properties = new Dictionary<string, IOpenApiSchema>(),
                Required = new HashSet<string>(),
                AdditionalPropertiesAllowed = false,
            };
            foreach (var field in definition.Data)
            {
                data.Properties[field.Name] = DataSchema(field);
                if (field.Required) data.Required.Add(field.Name);
            }

            schemas[$"{trigger}Data"] = data;
            var name = DescribeWorkflow.TransitionSchemaName(definition.Trigger);
            var variant = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"Records {trigger}.",
                Required = new HashSet<string> { "trigger" },
                AdditionalPropertiesAllowed = false,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["trigger"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(trigger)!] },
                    ["occurredAt"] = generic.Properties!["occurredAt"],
                    ["note"] = generic.Properties["note"],
                    ["data"] = new OpenApiSchemaReference($"{trigger}Data", document),
                },
            };
            if (data.Required.Count > 0) variant.Required.Add("data");
            schemas[name] = variant;
            mapping[trigger] = new OpenApiSchemaReference(name, document);
            variants.Add(new OpenApiSchemaReference(name, document));
        }

        schemas["TransitionInput"] = new OpenApiSchema
        {
            Description = "A step of the workflow: trigger names it, data carries what that trigger takes.",
            OneOf = variants,
            Discriminator = new OpenApiDiscriminator { PropertyName = "trigger", Mapping = mapping },
        };
    }

    private static OpenApiSchema DataSchema(DataField field) => field.Type switch
    {
        DataType.Bool => new OpenApiSchema { Type = JsonSchemaType.Boolean },
        DataType.DateTime => Form(TextForm.Instant),
        DataType.Enum => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. field.Values!.Select(v => (JsonNode)JsonValue.Create(v)!)] },
        _ => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MinLength = 1,
            MaxLength = DataField.MaxStringLength,
            Pattern = Text.CleanPattern,
            Description = "Not blank.",
        },
    };

    private static OpenApiSchema Form(TextForm form)
    {
        var schema = new OpenApiSchema { Type = JsonSchemaType.String };
        HintSchemaTransformer.Apply(schema, form);
        return schema;
    }

    /// <summary>
    /// CaseFilePatch: CaseFileInput's members but the fixed ones, none required; objects merge (RFC 7396),
    /// so person, warrant and conviction get patch schemas of their own; arrays replace whole.
    /// </summary>
    private static void AddPatch(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        if (!schemas.TryGetValue("CaseFileInput", out var input) || input is not OpenApiSchema file) return;
        var nested = new Dictionary<string, string> { ["person"] = "PersonInput", ["warrant"] = "WarrantInput", ["conviction"] = "ConvictionInput" };
        var patch = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A JSON merge patch (RFC 7396) of a case file: members present replace (objects merge, arrays replace whole, null removes an optional member).",
            AdditionalPropertiesAllowed = false,
            Properties = new Dictionary<string, IOpenApiSchema>(),
        };
        foreach (var (name, member) in file.Properties ?? new Dictionary<string, IOpenApiSchema>())
        {
            if (name is "requestingState" or "requestedState" or "receivedAt") continue;
            if (nested.TryGetValue(name, out var component) && schemas.TryGetValue(component, out var target) && target is OpenApiSchema whole)
            {
                var patchName = component.Replace("Input", "Patch", StringComparison.Ordinal);
                var copy = (OpenApiSchema)whole.CreateShallowCopy();
                copy.Required = new HashSet<string>();
                schemas[patchName] = copy;
                IOpenApiSchema reference = new OpenApiSchemaReference(patchName, document);
                patch.Properties[name] = file.Required?.Contains(name) == true ? reference
                    : new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, reference] };
            }
            else
            {
                patch.Properties[name] = member;
            }
        }

        schemas["CaseFilePatch"] = patch;
    }
}
