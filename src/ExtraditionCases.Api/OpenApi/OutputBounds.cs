using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Features.Workflow;
using ExtraditionCases.Domain.Workflow;
using Microsoft.OpenApi;

namespace ExtraditionCases.Api.OpenApi;

/// <summary>
/// Bounds on what the service writes, where the service's own rules give them (the OWASP lint asks every string
/// and array for one): a member that echoes an input member holds only what that member's validator accepted, so
/// it carries the input's maxLength/maxItems (Person from PersonInput, CaseView from CaseFileInput, ...); a page
/// holds at most its operation's largest limit; a nextCursor is a cursor the same operation accepts back, so it is
/// within the cursor parameter's maxLength; values the service makes in a fixed form (SHA-256 hex, the case
/// reference, a case's country codes, state names) say so; the workflow description, which is constant, is
/// measured. Members no such rule bounds keep no invented bound (and stay listed in
/// tools/apidocs/spectral-ignore.json) unless their record declares one with [MaxLength].
/// </summary>
internal static class OutputBounds
{
    /// <summary>Outputs whose input is not simply "&lt;Name&gt;Input".</summary>
    private static readonly Dictionary<string, string> InputOf = new(StringComparer.Ordinal)
    {
        ["CaseView"] = "CaseFileInput",
        ["SurrenderArrangements"] = "SurrenderInput",
        ["DocumentView"] = "DocumentInput",
        ["NoteView"] = "NoteInput",
        ["SubscriptionView"] = "SubscriptionInput",
    };

    /// <summary>A lower-case hex SHA-256 (CaseEvent's chain, the history head, a document's digest).</summary>
    private static readonly Action<OpenApiSchema> Sha256Hex = s =>
    {
        s.MinLength = 64;
        s.MaxLength = 64;
        s.Pattern = "^[0-9a-f]{64}$";
    };

    /// <summary>A base64 SHA-256 (32 bytes): Merkle roots and proof hashes of the transparency trees.</summary>
    private static readonly Action<OpenApiSchema> Sha256Base64 = s =>
    {
        s.MinLength = 44;
        s.MaxLength = 44;
        s.Pattern = "^[A-Za-z0-9+/]{43}=$";
    };

    /// <summary>
    /// An RFC 9162 proof: an inclusion path has at most ceil(log2 n) hashes and a consistency proof at most one more,
    /// for tree sizes below 2^63 (a long): at most 64 base64 hashes.
    /// </summary>
    private static readonly Action<OpenApiSchema> MerkleProof = s =>
    {
        s.MaxItems = 64;
        if (s.Items is OpenApiSchema item && Unbounded(item)) Sha256Base64(item);
    };

    /// <summary>FileCase's EXT-yyyy-nnnnnn: a four-digit year and a long sequence number of at least six digits (at most 28 characters).</summary>
    private static readonly Action<OpenApiSchema> CaseReference = s =>
    {
        s.MaxLength = 28;
        s.Pattern = "^EXT-[0-9]{4}-[0-9]{6,19}$";
    };

    /// <summary>A case's own states (validated as ISO 3166-1 alpha-2 when it was filed).</summary>
    private static readonly Action<OpenApiSchema> CaseCountry = s => HintSchemaTransformer.Apply(s, Application.Json.TextForm.CountryCode);

    private static readonly Action<OpenApiSchema> StateName = s => s.MaxLength = Enum.GetNames<CaseState>().Max(n => n.Length);

    /// <summary>Members the service writes in a fixed form, by schema and member.</summary>
    private static readonly Dictionary<(string Schema, string Member), Action<OpenApiSchema>> Fixed = new()
    {
        [("HistoryEvent", "hash")] = Sha256Hex,
        [("HistoryEvent", "prevHash")] = Sha256Hex,
        [("AuditEvent", "hash")] = Sha256Hex,
        [("AuditEvent", "prevHash")] = Sha256Hex,
        [("CaseHistory", "head")] = Sha256Hex,
        [("VerifyHistoryVerification", "head")] = Sha256Hex,
        [("DocumentView", "sha256")] = Sha256Hex,
        [("GetInclusionProofView", "entryHash")] = Sha256Hex,
        [("GetCheckpointView", "rootHash")] = Sha256Base64,
        [("GetInclusionProofView", "rootHash")] = Sha256Base64,
        [("HistoryTransparency", "rootHash")] = Sha256Base64,
        [("EventLeaf", "proof")] = MerkleProof,
        [("GetInclusionProofView", "proof")] = MerkleProof,
        [("GetConsistencyProofView", "proof")] = MerkleProof,
        [("CaseView", "reference")] = CaseReference,
        [("CaseStatus", "reference")] = CaseReference,
        [("GetChangesItem", "reference")] = CaseReference,
        [("ListDeadlinesItem", "reference")] = CaseReference,
        [("SearchCasesResult", "reference")] = CaseReference,
        [("SearchCasesResult", "requestingState")] = CaseCountry,
        [("SearchCasesResult", "requestedState")] = CaseCountry,
        [("GetCountryPairsPair", "requestingState")] = CaseCountry,
        [("GetCountryPairsPair", "requestedState")] = CaseCountry,
        [("GetClockComplianceKindCount", "requestedState")] = CaseCountry,
        [("GetChecklistView", "requestedState")] = CaseCountry,
        [("ReportFilter", "requestingState")] = CaseCountry,
        [("ReportFilter", "requestedState")] = CaseCountry,
        [("SearchCasesResult", "state")] = StateName,
        [("GetStageTimesStage", "name")] = StateName,
    };

    public static void Apply(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null) return;
        foreach (var (name, schema) in schemas)
        {
            var input = InputOf.TryGetValue(name, out var mapped) ? mapped : name + "Input";
            if (name.EndsWith("Input", StringComparison.Ordinal) || !schemas.TryGetValue(input, out var source)) continue;
            if (schema is OpenApiSchema { Properties: { } outputs } && source is OpenApiSchema { Properties: { } inputs })
            {
                foreach (var (member, output) in outputs)
                {
                    if (inputs.TryGetValue(member, out var accepted)) Mirror(Concrete(output), Resolved(accepted, schemas));
                }
            }
        }

        foreach (var operation in (document.Paths ?? []).Values.SelectMany(p => p.Operations ?? []).Select(o => o.Value))
            BoundPage(operation);

        foreach (var ((schemaName, member), bound) in Fixed)
        {
            if (schemas.TryGetValue(schemaName, out var schema) && schema is OpenApiSchema { Properties: { } members }
                && members.TryGetValue(member, out var value) && Concrete(value) is { } target && (Unbounded(target) || (Is(target, JsonSchemaType.Array) && target.MaxItems is null)))
                bound(target);
        }

        // allowedActions: distinct triggers.
        if (schemas.TryGetValue("CaseView", out var view) && view is OpenApiSchema { Properties: { } viewMembers }
            && viewMembers.TryGetValue("allowedActions", out var actions) && Concrete(actions) is { } list && list.MaxItems is null)
            list.MaxItems = Enum.GetValues<WorkflowTrigger>().Length;

        // GET /api/v1/workflow answers a constant: its bounds are measured from it.
        if (schemas.TryGetValue("DescribeWorkflowDescription", out var description))
        {
            var measured = new Measure();
            measured.Visit(description, JsonSerializer.SerializeToNode(DescribeWorkflow.Describe(), JsonSerializerOptions.Web));
            measured.Apply();
        }
    }

    /// <summary>The longest string and the longest array seen at each unbounded schema across a value.</summary>
    private sealed class Measure
    {
        private readonly Dictionary<OpenApiSchema, int> _lengths = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<OpenApiSchema, int> _items = new(ReferenceEqualityComparer.Instance);

        public void Visit(IOpenApiSchema schema, JsonNode? value)
        {
            var target = schema is OpenApiSchemaReference { Target: OpenApiSchema referenced } ? referenced : Concrete(schema);
            if (target is null || value is null) return;
            switch (value)
            {
                case JsonValue text when text.TryGetValue<string>(out var s) && Unbounded(target):
                    _lengths[target] = Math.Max(_lengths.GetValueOrDefault(target), s.EnumerateRunes().Count());
                    break;
                case JsonArray array when Is(target, JsonSchemaType.Array):
                    if (target.MaxItems is null) _items[target] = Math.Max(_items.GetValueOrDefault(target), array.Count);
                    foreach (var item in array) if (target.Items is { } items) Visit(items, item);
                    break;
                case JsonObject obj when target.Properties is { } properties:
                    foreach (var (name, member) in obj) if (properties.TryGetValue(name, out var memberSchema)) Visit(memberSchema, member);
                    break;
            }
        }

        public void Apply()
        {
            foreach (var (schema, length) in _lengths) schema.MaxLength = Math.Max(length, 1);
            foreach (var (schema, count) in _items) schema.MaxItems = count;
        }
    }

    /// <summary>The schema a member's value has: itself, or the non-null side of a nullable one-of.</summary>
    private static OpenApiSchema? Concrete(IOpenApiSchema schema) => schema switch
    {
        OpenApiSchema { OneOf: { Count: 2 } choices } => choices.OfType<OpenApiSchema>().FirstOrDefault(c => c.Type != JsonSchemaType.Null),
        OpenApiSchema concrete => concrete,
        _ => null,
    };

    /// <summary>As <see cref="Concrete"/>, following a reference (an input member that is one of an enum's names).</summary>
    private static OpenApiSchema? Resolved(IOpenApiSchema schema, IDictionary<string, IOpenApiSchema> schemas)
    {
        if (Concrete(schema) is { } concrete) return concrete;
        var reference = schema as OpenApiSchemaReference
            ?? (schema as OpenApiSchema)?.OneOf?.OfType<OpenApiSchemaReference>().FirstOrDefault();
        return reference?.Reference.Id is { } id && schemas.TryGetValue(id, out var target) ? target as OpenApiSchema : null;
    }

    private static bool Is(OpenApiSchema schema, JsonSchemaType type) => schema.Type?.HasFlag(type) == true;

    private static bool Unbounded(OpenApiSchema schema) => Is(schema, JsonSchemaType.String) && schema.MaxLength is null && schema.Enum is not { Count: > 0 } && schema.Const is null;

    private static void Mirror(OpenApiSchema? output, OpenApiSchema? input)
    {
        if (output is null || input is null) return;
        if (Unbounded(output) && input.MaxLength is { } length) output.MaxLength = length;
        // A member the input takes as one of an enum's names holds one of them.
        else if (Unbounded(output) && input.Enum is { Count: > 0 } names)
            output.MaxLength = names.OfType<JsonValue>().Select(n => n.GetValue<string>().Length).DefaultIfEmpty(1).Max();
        if (Is(output, JsonSchemaType.Array) && output.MaxItems is null && input.MaxItems is { } items) output.MaxItems = items;
        if (Is(output, JsonSchemaType.Array) && output.Items is OpenApiSchema outputItem && input.Items is OpenApiSchema inputItem) Mirror(outputItem, inputItem);
    }

    /// <summary>A page's items and nextCursor, from the operation's limit and cursor parameters.</summary>
    private static void BoundPage(OpenApiOperation operation)
    {
        var parameters = (operation.Parameters ?? []).Where(p => p.In == ParameterLocation.Query).ToList();
        var limit = parameters.FirstOrDefault(p => p.Name == "limit")?.Schema?.Maximum;
        var cursor = parameters.FirstOrDefault(p => p.Name == "cursor")?.Schema?.MaxLength;
        if (limit is null && cursor is null) return;
        if (operation.Responses?.TryGetValue("200", out var ok) != true) return;
        foreach (var media in ok!.Content?.Values ?? [])
        {
            if (media.Schema is not OpenApiSchemaReference { Target: OpenApiSchema { Properties: { } page } }) continue;
            if (limit is not null && page.TryGetValue("items", out var items) && Concrete(items) is { } list && Is(list, JsonSchemaType.Array) && list.MaxItems is null)
                list.MaxItems = int.Parse(limit, System.Globalization.CultureInfo.InvariantCulture);
            if (cursor is not null && page.TryGetValue("nextCursor", out var next) && Concrete(next) is { } text && Unbounded(text))
                text.MaxLength = cursor;
        }
    }
}
