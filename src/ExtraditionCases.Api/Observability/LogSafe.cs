using FluentValidation;

namespace ExtraditionCases.Api.Observability;

/// <summary>
/// What a log line may say about a refusal. Validation failures are reduced to the members at fault
/// (trigger data members, whose names the client chooses, become <c>data.*</c>) and never their
/// messages; other refusals carry the message the service wrote, which holds ids, states and
/// triggers, not case data.
/// </summary>
public static class LogSafe
{
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is not ValidationException validation) return exception.Message;

        var members = validation.Errors
            .Select(e => Http.Members.ToJsonPath(e.PropertyName))
            .Select(m => m.StartsWith("data.", StringComparison.Ordinal) ? "data.*" : m)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return $"{members.Count} invalid member(s): {string.Join(", ", members)}";
    }
}
