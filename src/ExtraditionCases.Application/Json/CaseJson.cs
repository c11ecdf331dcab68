using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExtraditionCases.Domain;

namespace ExtraditionCases.Application.Json;

/// <summary>One set of JSON rules for everything we read, write, store and hash.</summary>
public static class CaseJson
{
    public const int MaxDepth = 32;

    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Unknown and duplicate members are client mistakes we name, not data we drop.
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.AllowDuplicateProperties = false;
        options.MaxDepth = MaxDepth;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        options.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        options.Converters.Add(new InstantConverter());
        return options;
    }

    /// <summary>Writes instants as RFC 3339 UTC with milliseconds; reads any RFC 3339 instant.</summary>
    private sealed class InstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Instants.TryParse(reader.GetString(), out var value) ? value : throw new JsonException("Expected an RFC 3339 instant.");

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Instant.ToText(value));
    }
}

public static class Instants
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>RFC 3339 with a Z or numeric offset; kept as UTC to the millisecond.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (text is null || text.Length < 20 || !(text.EndsWith('Z') || text[^6] is '+' or '-')) return false;
        if (!DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        value = Instant.Truncate(parsed);
        return true;
    }

    public static bool TryParseDate(string? text, out DateOnly value) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
}
