using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Behaviors;
using ExtraditionCases.Domain.Workflow;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace ExtraditionCases.Api.Http;

/// <summary>
/// The one place where refusals become RFC 9457 problem details. Anything not recognised here is a
/// real server fault (500): ASP.NET Core's exception handler logs it at Error, with its exception, in
/// the request's scope, whose TraceId is the one the problem carries (see Program.cs). Refusals are
/// logged here, at Information, by kind and member, never by the values sent.
/// </summary>
public sealed partial class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception, httpContext.Request);
        if (problem.Status < 500) Refused(logger, problem.Status ?? 0, exception.GetType().Name, Observability.LogSafe.Reason(exception));

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails Map(Exception exception, HttpRequest request) => exception switch
    {
        ValidationException v => Validation(v),
        BadRequestException b => new HttpValidationProblemDetails(b.Errors.ToDictionary(p => p.Key, p => p.Value))
        {
            Status = 400, Title = "The request is not valid.", Detail = b.Message,
        },
        MemberProblemException m => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [m.Member] = [m.Message] })
        {
            Status = m.Status, Title = "The request could not be accepted.", Detail = m.Message,
        },
        NotFoundException n => Problem(404, "Not found.", n.Message),
        ForbiddenException f => Problem(403, "Forbidden.", f.Message),
        UnavailableException u => Problem(503, "Service unavailable.", u.Message),
        WorkflowForbiddenException f => Problem(403, "Forbidden.", f.Message),
        TriggerNotYoursException t => Problem(403, "Not this state's trigger.", t.Message),
        PreconditionRequiredException => Problem(428, "If-Match is required.", "This write needs If-Match with the case's current ETag."),
        PreconditionFailedException { CurrentVersion: { } current } => Problem(412, "The case has changed.",
            // The sent tag is client text: never echoed into the problem or the log line that records it.
            $"If-Match does not name the current version {Preconditions.ETagOf(current)}."),
        PreconditionFailedException p => Problem(412, "The case has changed.", p.Message),
        TriggerNotPermittedException t => WithExtension(Problem(409, "Trigger not permitted in this state.", t.Message),
            "allowedActions", t.AllowedActions.Select(a => a.ToString()).ToArray()),
        WorkflowConflictException c => Problem(409, "Conflict.", c.Message),
        IdempotencyKeyReusedException => Problem(422, "Idempotency-Key reused.", "This Idempotency-Key was used for a different request."),
        IdempotencyRaceLostException => Problem(409, "A request with this Idempotency-Key is in progress.", "A request with this Idempotency-Key completed first."),
        RuleViolationException r => new HttpValidationProblemDetails(new Dictionary<string, string[]> { [r.Member] = [r.Message] })
        {
            Status = 422, Title = "A rule refuses this request.", Detail = r.Message,
        },
        GuardsUnmetException g => WithExtension(Problem(422, "A guard or rule is not met.", g.Message), "unmetGuards", g.UnmetGuards.ToArray()),
        BadHttpRequestException b => Problem(b.StatusCode, "The request could not be read.", b.Message),
        OperationCanceledException => Problem(499, "The client closed the request.", null),
        _ => Problem(500, "An unexpected error occurred.", "The fault has been logged with this trace id."),
    };

    private static ProblemDetails Validation(ValidationException exception)
    {
        var errors = exception.Errors
            .GroupBy(e => Members.ToJsonPath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new HttpValidationProblemDetails(errors)
        {
            Status = 400,
            Title = "The request is not valid.",
            Detail = "See errors for the members at fault.",
        };
    }

    private static ProblemDetails Problem(int status, string title, string? detail) => new() { Status = status, Title = title, Detail = detail };

    private static ProblemDetails WithExtension(ProblemDetails problem, string name, object value)
    {
        problem.Extensions[name] = value;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused with {Status} ({Kind}): {Reason}")]
    private static partial void Refused(ILogger logger, int status, string kind, string reason);
}

public static class Members
{
    /// <summary>"Body.Offences[0].Category" becomes "offences[0].category": the member as the client wrote it.</summary>
    public static string ToJsonPath(string propertyName)
    {
        var path = propertyName.StartsWith("Body.", StringComparison.Ordinal) ? propertyName[5..] : propertyName;
        if (path == "Body") return "$";
        return string.Join('.', path.Split('.').Select(s => s.Length == 0 ? s : char.ToLowerInvariant(s[0]) + s[1..]));
    }
}
