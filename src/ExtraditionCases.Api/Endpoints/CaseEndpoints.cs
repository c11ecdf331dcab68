using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Endpoints;

/// <summary>HTTP to requests and results to HTTP; nothing else lives here.</summary>
public static class CaseEndpoints
{
    private const string MergePatch = "application/merge-patch+json";

    public static void MapCaseEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases").WithTags("Cases");

        cases.MapPost("/", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var (body, idempotency) = await JsonBody.ReadIdempotentAsync<CaseFileInput>(http.Request, ct);
                var view = await mediator.Send(new FileCase.Command(Callers.From(http.User), Callers.Source(http), body, idempotency), ct);
                WriteHeaders(http, view);
                return TypedResults.Created($"/api/v1/cases/{view.Id}", view);
            })
            .RequireAuthorization(Policies.Officer)
            .WithName("FileCase")
            .Accepts<CaseFileInput>("application/json");

        cases.MapGet("/{id:guid}", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var view = await mediator.Send(new GetCase.Query(Callers.From(http.User), id), ct);
                http.Response.Headers.ETag = view.ETag;
                return TypedResults.Ok(view);
            })
            .RequireAuthorization(Policies.OfficerOrAuditor)
            .WithName("GetCase");

        cases.MapGet("/", async (HttpContext http, IMediator mediator, CancellationToken ct,
                string? state, string? requestingState, string? requestedState, string? overdue, string? limit, string? cursor) =>
                TypedResults.Ok(await mediator.Send(
                    new ListCases.Query(Callers.From(http.User), state, requestingState, requestedState, overdue, limit, cursor), ct)))
            .RequireAuthorization(Policies.OfficerOrAuditor)
            .WithName("ListCases");

        cases.MapPatch("/{id:guid}", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var patch = await JsonBody.ReadAsync<System.Text.Json.Nodes.JsonObject>(http.Request, ct, MergePatch, "application/json");
                var view = await mediator.Send(new PatchCase.Command(Callers.From(http.User), Callers.Source(http), id,
                    http.Request.Headers.IfMatch.ToString(), patch), ct);
                http.Response.Headers.ETag = view.ETag;
                return TypedResults.Ok(view);
            })
            .RequireAuthorization(Policies.Officer)
            .AddEndpointFilter<VisibleCaseFilter>()
            .WithName("PatchCase")
            .Accepts<CaseFileInput>(MergePatch);

        cases.MapPost("/{id:guid}/transitions", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var (body, idempotency) = await JsonBody.ReadIdempotentAsync<TransitionInput>(http.Request, ct);
                var view = await mediator.Send(new RecordTransition.Command(Callers.From(http.User), Callers.Source(http), id,
                    http.Request.Headers.IfMatch.ToString(), body, idempotency), ct);
                WriteHeaders(http, view);
                return TypedResults.Ok(view);
            })
            .RequireAuthorization(Policies.Officer)
            .AddEndpointFilter<VisibleCaseFilter>()
            .WithName("RecordTransition")
            .Accepts<TransitionInput>("application/json");

        cases.MapPost("/{id:guid}/deadlines/{kind}/extensions", async (Guid id, string kind, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var (body, idempotency) = await JsonBody.ReadIdempotentAsync<ExtensionInput>(http.Request, ct);
                var view = await mediator.Send(new ExtendDeadline.Command(Callers.From(http.User), Callers.Source(http), id, kind,
                    http.Request.Headers.IfMatch.ToString(), body, idempotency), ct);
                WriteHeaders(http, view);
                return TypedResults.Ok(view);
            })
            .RequireAuthorization(Policies.Officer)
            .AddEndpointFilter<VisibleCaseFilter>()
            .WithName("ExtendDeadline")
            .Accepts<ExtensionInput>("application/json");
    }

    private static void WriteHeaders(HttpContext http, CaseView view)
    {
        http.Response.Headers.ETag = view.ETag;
        if (view.Replayed) http.Response.Headers[IdempotencyKeys.ReplayedHeader] = "true";
    }
}

/// <summary>404 for a case the caller may not see, before its body is read (the contract's order of errors).</summary>
public sealed class VisibleCaseFilter(IMediator mediator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.RouteValues.TryGetValue("id", out var raw) && Guid.TryParse(raw?.ToString(), out var id))
            await mediator.Send(new CheckCaseAccess.Query(Callers.From(http.User), id), http.RequestAborted);
        return await next(context);
    }
}
