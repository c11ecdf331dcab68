using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ExtraditionCases.Application.History;

/// <summary>
/// RFC 8785 JSON Canonicalization Scheme for our event shape: members sorted by UTF-16 code units
/// at every depth, no whitespace, minimal string escaping. Event data holds no floating-point
/// numbers (the contract forbids them), so numbers are integers written in their shortest form.
/// </summary>
public static class Jcs
{
    public static string Canonicalize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    private static void Write(JsonNode? node, StringBuilder output)
    {
        switch (node)
        {
            case null:
                output.Append("null");
                break;
            case JsonObject obj:
                output.Append('{');
                var first = true;
                foreach (var (name, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first) output.Append(',');
                    first = false;
                    WriteString(name, output);
                    output.Append(':');
                    Write(value, output);
                }

                output.Append('}');
                break;
            case JsonArray array:
                output.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0) output.Append(',');
                    Write(array[i], output);
                }

                output.Append(']');
                break;
            case JsonValue value:
                WriteValue(value, output);
                break;
        }
    }

    private static void WriteValue(JsonValue value, StringBuilder output)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(value.GetValue<string>(), output);
                break;
            case JsonValueKind.True:
                output.Append("true");
                break;
            case JsonValueKind.False:
                output.Append("false");
                break;
            case JsonValueKind.Null:
                output.Append("null");
                break;
            case JsonValueKind.Number:
                // long covers every integer the contract allows (|n| <= 2^53); a fraction or exponent is refused.
                if (!long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                    throw new InvalidOperationException("Event data holds only integers.");

                output.Append(integer.ToString(CultureInfo.InvariantCulture));
                break;
            default:
                throw new InvalidOperationException($"Cannot canonicalize {value.GetValueKind()}.");
        }
    }

    /// <summary>A string member's value in canonical form, or null.</summary>
    public static void AppendString(string? text, StringBuilder output)
    {
        if (text is null) output.Append("null");
        else WriteString(text, output);
    }

    /// <summary>RFC 8785 3.2.2.2: escape only the quote, the backslash and control characters.</summary>
    private static void WriteString(string text, StringBuilder output)
    {
        output.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': output.Append("\\\""); break;
                case '\\': output.Append("\\\\"); break;
                case '\b': output.Append("\\b"); break;
                case '\f': output.Append("\\f"); break;
                case '\n': output.Append("\\n"); break;
                case '\r': output.Append("\\r"); break;
                case '\t': output.Append("\\t"); break;
                default:
                    if (c < 0x20) output.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else output.Append(c);
                    break;
            }
        }

        output.Append('"');
    }
}
