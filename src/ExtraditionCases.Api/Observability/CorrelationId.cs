using System.Diagnostics;

namespace ExtraditionCases.Api.Observability;

/// <summary>
/// <c>X-Correlation-Id</c>: taken from the request when it is 1-64 visible ASCII characters, else
/// made up here; echoed on the response (problems included), put in the logging scope of everything
/// the request logs, and tagged on its trace.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string Header = "X-Correlation-Id";
    public const string ScopeKey = "CorrelationId";
    public const string ActivityTag = "correlation.id";
    public const int MaxLength = 64;

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[Header];
        var id = incoming.Count == 1 && IsValid(incoming[0]) ? incoming[0]! : NewId();
        context.Items[ScopeKey] = id;
        // Set when the response starts, so it survives the exception handler clearing the headers. A static callback
        // with the context as its state: no closure per request (issue 20).
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            http.Response.Headers[Header] = (string)http.Items[ScopeKey]!;
            return Task.CompletedTask;
        }, context);
        Activity.Current?.SetTag(ActivityTag, id);

        using (logger.BeginScope(new CorrelationScope(id)))
        {
            await next(context);
        }
    }

    /// <summary>1-64 characters, each visible ASCII (0x21-0x7E): nothing that could forge or break a log line.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= MaxLength } && !value.AsSpan().ContainsAnyExceptInRange('!', '~');

    private static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>A scope the JSON console formatter renders as <c>{"CorrelationId": "..."}</c>.</summary>
    private sealed class CorrelationScope(string id) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public int Count => 1;

        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new(ScopeKey, id) : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{ScopeKey}:{id}";
    }
}

/// <summary>Puts <see cref="CorrelationIdMiddleware"/> first in the pipeline, ahead of everything Program.cs adds.</summary>
internal sealed class CorrelationIdStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<CorrelationIdMiddleware>();
        next(app);
    };
}
