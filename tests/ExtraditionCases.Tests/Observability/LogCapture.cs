using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Tests.Observability;

/// <summary>An in-memory logger provider: every entry with its category, level, message, exception and scopes.</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    public sealed record Entry(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyList<object?> Scopes)
    {
        /// <summary>The message, the exception and every scope and state value as text: what a log sink would receive.</summary>
        public string AllText => string.Join('\n', new[] { Message, Exception?.ToString() }.Concat(Scopes.Select(ScopeText)));

        private static string? ScopeText(object? scope) => scope is IEnumerable<KeyValuePair<string, object?>> pairs
            ? string.Join(';', pairs.Select(p => $"{p.Key}={p.Value}"))
            : scope?.ToString();
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopes = new List<object?>();
            owner._scopes.ForEachScope((scope, list) => list.Add(scope), scopes);
            scopes.Add(state);
            owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), exception, scopes));
        }
    }
}
