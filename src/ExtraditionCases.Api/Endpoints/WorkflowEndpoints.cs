using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Features.Deadlines;
using ExtraditionCases.Application.Features.Workflow;
using MediatR;

namespace ExtraditionCases.Api.Endpoints;

public static class WorkflowEndpoints
{
    public static void MapWorkflowEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1");

        api.MapGet("/workflow", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new DescribeWorkflow.Query(), ct)))
            .RequireAuthorization(Policies.AnyRole)
            .WithTags("Workflow")
            .WithName("DescribeWorkflow");

        api.MapGet("/workflow/diagram", async (string? format, IMediator mediator, CancellationToken ct) =>
                TypedResults.Text(await mediator.Send(new DescribeWorkflow.DiagramQuery(format), ct),
                    format == "dot" ? "text/vnd.graphviz" : "text/plain"))
            .RequireAuthorization(Policies.AnyRole)
            .WithTags("Workflow")
            .WithName("WorkflowDiagram");

        api.MapGet("/deadlines", async (HttpContext http, IMediator mediator, CancellationToken ct,
                string? status, string? dueBefore, string? limit, string? cursor) =>
                TypedResults.Ok(await mediator.Send(new ListDeadlines.Query(Callers.From(http.User), status, dueBefore, limit, cursor), ct)))
            .RequireAuthorization(Policies.OfficerOrAuditor)
            .WithTags("Deadlines")
            .WithName("ListDeadlines");
    }
}
