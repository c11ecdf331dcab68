using Microsoft.Extensions.Logging.Testing;

namespace ExtraditionCases.Tests.Observability;

public static class LogRecords
{
    /// <summary>The message, the exception and every scope and state value as text: what a log sink would receive.</summary>
    public static string AllText(this FakeLogRecord record) =>
        string.Join('\n', new[] { record.Message, record.Exception?.ToString(), StateText(record.State) }.Concat(record.Scopes.Select(StateText)));

    private static string? StateText(object? state) => state is IEnumerable<KeyValuePair<string, object?>> pairs
        ? string.Join(';', pairs.Select(p => $"{p.Key}={p.Value}"))
        : state?.ToString();
}
