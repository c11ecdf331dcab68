using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Application.Features.Workflow;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace ExtraditionCases.Api.Features.Workflow;

internal static class WorkflowDiagramEndpoint
{
    private const string Graphviz = "text/vnd.graphviz";

    public static void Map(RouteGroupBuilder api) => api.MapGet("/workflow/diagram", async (string? format, HttpRequest request, IMediator mediator, CancellationToken ct) =>
        {
            var chosen = format switch
            {
                null or "mermaid" => WorkflowDiagram.Format.Mermaid,
                "dot" => WorkflowDiagram.Format.Dot,
                _ => throw new ValidationException([new ValidationFailure("format", "Must be mermaid or dot.")]),
            };
            return TypedResults.Text(await mediator.Send(new WorkflowDiagram.Query(chosen), ct),
                chosen == WorkflowDiagram.Format.Dot && Accepts(request, Graphviz) ? Graphviz : "text/plain");
        })
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Workflow")
        .WithName("WorkflowDiagram")
        .WithSummary("Draw the workflow")
        .WithDescription("The state machine as a Mermaid (format=mermaid, the default) or Graphviz (format=dot) diagram.")
        .Produces<string>(StatusCodes.Status200OK, "text/plain", Graphviz)
        .Documents(Parameter.OneOf("format", "mermaid (the default) or dot.", "mermaid", "dot"));

    /// <summary>
    /// DOT is text/vnd.graphviz for a caller that accepts it (no Accept, */*, text/* or the type itself);
    /// a caller that asked only for text/plain gets the same text as text/plain.
    /// </summary>
    private static bool Accepts(HttpRequest request, string mediaType)
    {
        var accept = request.GetTypedHeaders().Accept;
        return accept.Count == 0 || accept.Any(a => a.Quality is not 0 && (a.MatchesAllTypes || a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase)
            || (a.MatchesAllSubTypes && a.Type.Equals("text", StringComparison.OrdinalIgnoreCase))));
    }
}
