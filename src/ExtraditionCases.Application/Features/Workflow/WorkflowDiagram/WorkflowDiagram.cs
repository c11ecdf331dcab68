using MediatR;

namespace ExtraditionCases.Application.Features.Workflow;

/// <summary>The state machine drawn as a diagram, generated from the trigger definitions (<see cref="WorkflowGraph"/>).</summary>
public static class WorkflowDiagram
{
    public enum Format { Mermaid, Dot }

    public sealed record Query(Format Format) : IRequest<string>;

    public sealed class Handler : IRequestHandler<Query, string>
    {
        public Task<string> Handle(Query request, CancellationToken cancellationToken) =>
            Task.FromResult(request.Format == Format.Dot ? WorkflowGraph.Dot() : WorkflowGraph.Mermaid());
    }
}
