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

    /// <summary>The only assignee a list takes is the caller: "me" (true); absent, false.</summary>
    public bool Me(string name, string? text) => text switch
    {
        null => false,
        "me" => true,
        _ => Fail<bool>(name, $"'{name}' takes only 'me': an officer's own work list."),
    };

    /// <summary>
    /// An ISO 8601 duration of weeks, or of days and a time part (P14D, P2W, PT36H, P1DT12H), more than zero and
    /// at most <paramref name="max"/>. Years and months are refused: their length depends on where they start.
    /// </summary>
    public TimeSpan? Duration(string name, string? text, TimeSpan max)
    {
        if (text is null) return null;
        var match = System.Text.RegularExpressions.Regex.Match(text,
            @"^P(?=\d|T\d)(?:(?<w>\d{1,4})W|(?:(?<d>\d{1,4})D)?(?:T(?=\d)(?:(?<h>\d{1,5})H)?(?:(?<m>\d{1,6})M)?(?:(?<s>\d{1,7})S)?)?)$",
            System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        if (!match.Success || text == "P") return Fail<TimeSpan?>(name, "Must be an ISO 8601 duration in weeks, days, hours, minutes or seconds (P14D, P2W, PT36H).");
        static long Part(System.Text.RegularExpressions.Match m, string group) =>
            m.Groups[group].Success ? long.Parse(m.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var seconds = (Part(match, "w") * 7 * 86_400) + (Part(match, "d") * 86_400) + (Part(match, "h") * 3_600) + (Part(match, "m") * 60) + Part(match, "s");
        return seconds <= 0 || seconds > max.TotalSeconds
            ? Fail<TimeSpan?>(name, $"Must be more than zero and at most {max.TotalDays:0} days.")
            : TimeSpan.FromSeconds(seconds);
    }

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

    /// <summary>The largest count a query names: far beyond any tree or sequence, and exact in a JSON number.</summary>
    public const long MaxCount = int.MaxValue * 1024L;

    /// <summary>A whole number of at least <paramref name="min"/> (a position, a size, a sequence).</summary>
    public long? Count(string name, string? text, long min = 1) =>
        text is null ? null
        : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= MaxCount ? n
        : Fail<long?>(name, $"Must be a whole number of at least {min}.");

    /// <summary>
    /// A transparency tree's name: a malformed one is a 400 naming <paramref name="name"/>; a well-formed
    /// name the caller may not read (or that has no tree) stays the handler's 404.
    /// </summary>
    public string? Tree(string name, string? text) =>
        text is null || Application.Transparency.Trees.IsValid(text) ? text
        : Fail<string?>(name, $"'{name}' must be all, access or an ISO 3166-1 alpha-2 code.");

    /// <summary>Names a member that is missing or wrong for a reason of the request's own.</summary>
    public void Require(string name, string message) => Fail<bool>(name, message);

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
