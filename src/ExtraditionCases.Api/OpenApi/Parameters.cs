using System.Text.Json.Nodes;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Json;
using Microsoft.OpenApi;

namespace ExtraditionCases.Api.OpenApi;

/// <summary>
/// How a query or path parameter is documented: its description and typed schema. Endpoints bind query
/// parameters as strings so that <see cref="Http.QueryValues"/> reports every fault in one 400; each
/// declares here what it reads (the same rule <see cref="Http.QueryValues"/> applies), with
/// <see cref="HttpContract.Documents"/>. A few names mean the same everywhere and need no declaration
/// (<see cref="Conventional"/>). The ApiDocs tests fail on a parameter documented as a bare string.
/// </summary>
public sealed record Parameter(string Name, string Description, Func<OpenApiDocument, IOpenApiSchema> Schema)
{
    /// <summary>An enum member, by its exact name (QueryValues.Enum).</summary>
    public static Parameter Enum<T>(string name, string description) where T : struct, System.Enum =>
        new(name, description, document => StrictDocument.EnumReference(document, typeof(T)));

    /// <summary>One of a few fixed words.</summary>
    public static Parameter OneOf(string name, string description, params string[] values) =>
        new(name, description, _ => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. values.Select(v => (JsonNode)JsonValue.Create(v)!)] });

    /// <summary>An RFC 3339 instant (QueryValues.Instant).</summary>
    public static Parameter Instant(string name, string description) => new(name, description, _ => Text(TextForm.Instant));

    /// <summary>An ISO 8601 duration of weeks, or days and a time part (QueryValues.Duration).</summary>
    public static Parameter Duration(string name, string description) =>
        new(name, description, _ => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MaxLength = 32,
            Pattern = @"^P(?=\d|T\d)(?:\d{1,4}W|(?:\d{1,4}D)?(?:T(?=\d)(?:\d{1,5}H)?(?:\d{1,6}M)?(?:\d{1,7}S)?)?)$",
        });

    /// <summary>A case id (QueryValues.CaseId).</summary>
    public static Parameter CaseId(string name, string description) =>
        new(name, description, _ => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", MaxLength = 36 });

    /// <summary>An ISO 3166-1 alpha-2 code (QueryValues.Country).</summary>
    public static Parameter Country(string name, string description) => new(name, description, _ => Text(TextForm.CountryCode));

    /// <summary>true or false; false when absent (QueryValues.Flag).</summary>
    public static Parameter Flag(string name, string description) =>
        new(name, description, _ => new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = JsonValue.Create(false) });

    /// <summary>Clean text up to <paramref name="maxLength"/> characters (QueryValues.Text).</summary>
    public static Parameter Text(string name, int maxLength, string description) =>
        new(name, description, _ => new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = maxLength, Pattern = Application.Features.Cases.Text.CleanPattern });

    /// <summary>An id in the path or query (a UUID).</summary>
    public static Parameter Id(string name, string description) =>
        new(name, description, _ => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", MaxLength = 36 });

    /// <summary>A whole number from <paramref name="min"/> (QueryValues.Count).</summary>
    public static Parameter Count(string name, long min, string description) =>
        new(name, description, _ => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int64",
            Minimum = min.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = Http.QueryValues.MaxCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>A transparency tree (QueryValues.Tree).</summary>
    public static Parameter Tree(string description) =>
        new("tree", description, _ => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MaxLength = Application.Transparency.Trees.MaxNameLength,
            Pattern = Application.Transparency.Trees.NamePattern,
        });

    /// <summary>The report filters every report endpoint reads (ReportsArea.Filter).</summary>
    public static Parameter[] ReportFilters() =>
    [
        Instant("from", "Only what is dated at or after this instant (inclusive)."),
        Instant("to", "Only what is dated before this instant (exclusive)."),
        Enum<Application.Features.Reports.ReportPeriod>("period", "Filed (default): select cases by their filing; Event: bound each figure by the dated event it counts."),
        Country("requestingState", "Only cases this state requests."),
        Country("requestedState", "Only cases requested of this state."),
        Enum<Application.Features.Reports.ReportDirection>("direction", "Relative to the caller's country (needs a country claim)."),
        Enum<Domain.Cases.OffenceCategory>("offenceCategory", "Only cases with an offence of this category."),
        Enum<Domain.Cases.LegalBasis>("basis", "Only cases on this legal basis."),
    ];

    /// <summary>The page size, 1 to <paramref name="max"/> (QueryValues.Limit).</summary>
    public static Parameter Limit(int max, int defaultLimit) =>
        new("limit", $"Items per page, 1-{max}; {defaultLimit} when absent.", _ => new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = "1",
            Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Default = JsonValue.Create(defaultLimit),
        });

    /// <summary>Names that mean the same on every endpoint.</summary>
    public static readonly IReadOnlyDictionary<string, Parameter> Conventional = new Dictionary<string, Parameter>(StringComparer.Ordinal)
    {
        ["id"] = CaseId("id", "The case's id."),
        ["cursor"] = new("cursor", "Where the next page starts: a previous page's nextCursor, as it was. Absent: the first page.", _ => new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            MaxLength = 200,
            Pattern = "^[A-Za-z0-9_-]+$",
        }),
    };

    private static OpenApiSchema Text(TextForm form)
    {
        var schema = new OpenApiSchema { Type = JsonSchemaType.String };
        HintSchemaTransformer.Apply(schema, form);
        return schema;
    }
}
