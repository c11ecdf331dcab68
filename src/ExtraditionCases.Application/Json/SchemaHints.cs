using System.Reflection;

namespace ExtraditionCases.Application.Json;

// What the OpenAPI document says about a member that its CLR type does not: inputs arrive as strings
// (so a bad value is reported against its member), and some outputs are strings read from storage.
// The Api layer's schema transformer reads these; the validators stay what enforces them, and the
// ApiDocs tests send every documented constraint's violation and expect the validators' 400.
// Lengths and ranges use System.ComponentModel.DataAnnotations ([Required], [MaxLength], [MinLength], [Range]).

/// <summary>One of an enum's member names, exactly: documented as that enum (one shared schema).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class NamesOfAttribute(Type enumType) : Attribute
{
    public Type EnumType { get; } = enumType;
}

/// <summary>One of these values (a closed set too small for an enum type of its own).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OneOfAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>
/// A set that grows as features are added (event types): the known values are documented, and clients
/// must accept others. <paramref name="holder"/>'s static <paramref name="member"/> lists the known ones.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class OpenSetAttribute(Type holder, string member) : Attribute
{
    public IReadOnlyList<string> Known =>
        (holder.GetProperty(member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
         ?? holder.GetField(member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)) as IReadOnlyList<string>
        ?? throw new InvalidOperationException($"{holder.Name}.{member} is not a static list of strings.");
}

public enum TextForm
{
    /// <summary>A calendar date, yyyy-MM-dd.</summary>
    Date,

    /// <summary>An RFC 3339 instant with Z or a numeric offset and at most 7 fraction digits.</summary>
    Instant,

    /// <summary>An ISO 3166-1 alpha-2 code in upper case.</summary>
    CountryCode,

    /// <summary>Any script, no control characters, no bidirectional overrides (<see cref="Features.Cases.Text.IsClean"/>).</summary>
    Text,

    /// <summary>As <see cref="Text"/>, and line breaks and tabs (<see cref="Features.Cases.Text.IsCleanProse"/>).</summary>
    Prose,

    /// <summary>An id (a UUID, as Guid.TryParse reads it).</summary>
    Uuid,

    /// <summary>An absolute URL (its length bounded by [MaxLength]).</summary>
    Url,

    /// <summary>A name as code spells it (an event type): a letter, then letters and digits.</summary>
    Identifier,
}

/// <summary>The form of a string member (or, with <see cref="Items"/>, of each string in a list member).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class FormAttribute(TextForm form) : Attribute
{
    public TextForm Form { get; } = form;

    /// <summary>The form applies to the list's items, each at most <see cref="ItemMaxLength"/> long (0: no length given).</summary>
    public bool Items { get; init; }

    public int ItemMaxLength { get; init; }
}
