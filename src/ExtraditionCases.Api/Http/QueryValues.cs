using ExtraditionCases.Application.Features;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Json;
using FluentValidation;
using FluentValidation.Results;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// Turns query-string text into the typed values a use case takes. Every fault is collected, so one
/// 400 names all the members at fault (the same problem a validator's failures make); nothing that
/// is not understood reaches the application.
/// </summary>
public sealed class QueryValues
{
    private readonly List<ValidationFailure> _failures = [];

    /// <summary>An enum member, by its exact name.</summary>
    public T? Enum<T>(string name, string? text) where T : struct, Enum =>
        text is null ? null
        : System.Enum.GetNames<T>().Contains(text, StringComparer.Ordinal) ? System.Enum.Parse<T>(text)
        : Fail<T?>(name, $"'{name}' is not one of the allowed values.");

    public DateTimeOffset? Instant(string name, string? text) =>
        text is null ? null : Instants.TryParse(text, out var instant) ? instant : Fail<DateTimeOffset?>(name, "Must be an RFC 3339 instant.");

    public Guid? CaseId(string name, string? text) =>
        text is null ? null : Guid.TryParse(text, out var id) ? id : Fail<Guid?>(name, "Must be a case id.");

    public string? Country(string name, string? text) =>
        text is null || Countries.IsIso3166Alpha2(text) ? text : Fail<string?>(name, "Must be an ISO 3166-1 alpha-2 code.");

    public bool Flag(string name, string? text) => text switch
    {
        null or "false" => false,
        "true" => true,
        _ => Fail<bool>(name, "Must be true or false."),
    };

    /// <summary>Text of at most <paramref name="maxLength"/> characters, without control characters or bidirectional overrides.</summary>
    public string? Text(string name, string? text, int maxLength) =>
        text is null ? null
        : text.Length > maxLength ? Fail<string?>(name, $"The length of '{name}' must be {maxLength} characters or fewer. You entered {text.Length} characters.")
        : !Application.Features.Cases.Text.IsClean(text) ? Fail<string?>(name, $"'{name}' must not hold control characters or bidirectional overrides.")
        : text;

    /// <summary>A page size from 1 to <paramref name="max"/>; the list's default when absent.</summary>
    public int Limit(string name, string? text, int max, int defaultLimit) =>
        text is null ? defaultLimit
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max ? n
        : Fail<int>(name, $"Must be a whole number from 1 to {max}.");

    /// <summary>The position a cursor of this list names; the first page's (default) when absent.</summary>
    public T? Cursor<T>(string name, string? text, CursorFormat<T> format) =>
        text is null ? default : format.TryRead(text, out var position) ? position : Fail<T?>(name, "Malformed cursor.");

    /// <summary>400 naming every member at fault, if any was.</summary>
    public void ThrowIfInvalid()
    {
        if (_failures.Count > 0) throw new ValidationException(_failures);
    }

    private T Fail<T>(string name, string message)
    {
        _failures.Add(new ValidationFailure(name, message));
        return default!;
    }
}
