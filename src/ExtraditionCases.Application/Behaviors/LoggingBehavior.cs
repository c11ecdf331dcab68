using System.Diagnostics;
using MediatR;
using Microsoft.Extensions.Logging;

namespace ExtraditionCases.Application.Behaviors;

/// <summary>Outermost: one line per request with its outcome and duration. No case data is logged.</summary>
public sealed partial class LoggingBehavior<TRequest, TResponse>(ILogger<LoggingBehavior<TRequest, TResponse>> logger)
    : IPipelineBehavior<TRequest, TResponse>
{
    /// <summary>The request's name as logged (e.g. <c>GetCaseStatus.Query</c>), made once per request type rather than per request.</summary>
    private static readonly string Name = typeof(TRequest).FullName?.Split('.').Last().Replace('+', '.') ?? typeof(TRequest).Name;

    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var name = Name;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var response = await next();
            Handled(logger, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return response;
        }
        catch (Exception ex)
        {
            Failed(logger, name, ex.GetType().Name, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Request} handled in {ElapsedMs:0.0} ms")]
    private static partial void Handled(ILogger logger, string request, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Request} refused with {Outcome} after {ElapsedMs:0.0} ms")]
    private static partial void Failed(ILogger logger, string request, string outcome, double elapsedMs);
}
