using ExtraditionCases.Api.Auth;
using ExtraditionCases.Application.Features.Workflow;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace ExtraditionCases.Api.Features.Workflow;

internal static class WorkflowDiagramEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/workflow/diagram", async (string? format, IMediator mediator, CancellationToken ct) =>
        {
            var chosen = format switch
            {
                null or "mermaid" => WorkflowDiagram.Format.Mermaid,
                "dot" => WorkflowDiagram.Format.Dot,
                _ => throw new ValidationException([new ValidationFailure("format", "Must be mermaid or dot.")]),
            };
            return TypedResults.Text(await mediator.Send(new WorkflowDiagram.Query(chosen), ct),
                chosen == WorkflowDiagram.Format.Dot ? "text/vnd.graphviz" : "text/plain");
        })
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Workflow")
        .WithName("WorkflowDiagram")
        .WithSummary("Draw the workflow")
        .WithDescription("The state machine as a Mermaid (format=mermaid, the default) or Graphviz (format=dot) diagram.")
        .Produces<string>(StatusCodes.Status200OK, "text/plain", "text/vnd.graphviz");
}
