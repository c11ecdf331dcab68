using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Domain.Workflow;
using MediatR;

namespace ExtraditionCases.Application.Features.Documents;

/// <summary>The per-stage document checklist of a case: party officers and auditors.</summary>
public static partial class GetChecklist
{
    public sealed record Query(Caller Caller, Guid CaseId) : IRequest<View>;

    /// <param name="Enforced">Whether missing documents are guards of their triggers here (Documents:EnforceChecklist).</param>
    public sealed record View(Guid CaseId, string RequestedState, bool Enforced, IReadOnlyList<StageChecklist> Stages);

    public sealed class Handler(ICaseStore store, IDatabaseSession session, DocumentOptions options) : IRequestHandler<Query, View>
    {
        public async Task<View> Handle(Query request, CancellationToken cancellationToken)
        {
            var loaded = await store.FindAsync(request.CaseId, cancellationToken);
            var c = loaded?.Case;
            if (c is null || !(request.Caller.IsOfficer || request.Caller.IsAuditor)
                || !CaseAccess.MaySee(request.Caller, c.File.RequestingState, c.File.RequestedState))
                throw new NotFoundException($"No case {request.CaseId}.");
            var stages = Checklist.For(options, c, await DocumentsAsync(session, c.Id, cancellationToken));
            return new View(c.Id, c.File.RequestedState, options.EnforceChecklist, stages);
        }
    }

    public static Task<IReadOnlyList<ChecklistDocument>> DocumentsAsync(IDatabaseSession session, Guid caseId, CancellationToken cancellationToken) =>
        session.QueryAsync<ChecklistDocument>(Sql.Documents, new { CaseId = caseId }, cancellationToken);

    /// <summary>What the stages the case may take next still lack: the case view shows it.</summary>
    public static async Task<IReadOnlyList<StageMissing>> NextStagesAsync(
        IDatabaseSession session, DocumentOptions options, ExtraditionCase c, CancellationToken cancellationToken)
    {
        var rules = Checklist.RulesFor(options, c.File.RequestedState);
        if (!c.PermittedTriggers.Any(t => rules.ContainsKey(t.ToString()))) return [];
        var stages = Checklist.For(options, c, await DocumentsAsync(session, c.Id, cancellationToken));
        return [.. stages.Where(s => s.Next).Select(s => new StageMissing(s.Trigger, s.Missing))];
    }

    /// <summary>Where the checklist is a guard: what <paramref name="trigger"/>'s stage lacks; null where it is not, or has no rules.</summary>
    public static async Task<IReadOnlyList<string>?> MissingForAsync(
        IDatabaseSession session, DocumentOptions options, ExtraditionCase c, WorkflowTrigger trigger, CancellationToken cancellationToken)
    {
        if (!options.EnforceChecklist || !Checklist.RulesFor(options, c.File.RequestedState).ContainsKey(trigger.ToString())) return null;
        var stage = Checklist.For(options, c, await DocumentsAsync(session, c.Id, cancellationToken), trigger).Single();
        return stage.Missing;
    }
}
