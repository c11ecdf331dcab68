using ExtraditionCases.Api.Auth;
using ExtraditionCases.Application.Features.Workflow;
using MediatR;

namespace ExtraditionCases.Api.Features.Workflow;

internal static class DescribeWorkflowEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/workflow", async (IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new DescribeWorkflow.Query(), ct)))
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Workflow")
        .WithName("DescribeWorkflow")
        .WithSummary("Describe the workflow")
        .WithDescription("States, triggers and guarded transitions, generated from the state machine.");
}
