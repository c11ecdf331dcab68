using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>
/// The one-off step after the migrations that brings cases recorded under older rules to the current
/// ones (<see cref="ClockRules.Version"/>): each case's history is replayed under the corrected trigger
/// definitions; where a clock's due date moves (pending or stopped), or a defaulted death-penalty value is cleared,
/// a RulesApplied event records the old and new dueAt and the rule cited. Cases at the current version
/// are not touched, so running it again changes nothing. One transaction per batch of cases.
/// </summary>
public sealed class ApplyCorrectedRules(IDatabaseSession session, ICaseStore store, TimeProvider clock)
{
    public const int BatchSize = 100;

    /// <summary>Who the RulesApplied events name as actor: the service itself, not an officer.</summary>
    public static readonly Caller Actor = new("system:rules", "system", null, null, "extradition-cases");

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var recorded = 0;
        while (true)
        {
            await session.BeginBatchAsync(cancellationToken);
            try
            {
                var ids = await store.CasesUnderOlderRulesAsync(BatchSize, cancellationToken);
                foreach (var id in ids)
                {
                    if (await ApplyAsync(id, cancellationToken)) recorded++;
                }

                await session.CommitAsync(cancellationToken);
                if (ids.Count < BatchSize) return recorded;
            }
            catch
            {
                await session.RollbackAsync(cancellationToken);
                throw;
            }
        }
    }

    private async Task<bool> ApplyAsync(Guid id, CancellationToken cancellationToken)
    {
        var loaded = (await store.FindAsync(id, cancellationToken))!;
        var c = loaded.Case;
        var before = c.Version;
        var events = await Audit.GetHistory.EventsAsync(session, id, cancellationToken);
        var now = clock.GetUtcNow();
        var applied = c.ApplyRules(events.Select(Step), now);
        if (!applied.IsRecorded)
        {
            await store.SaveAsync(c, before, [], cancellationToken);
            return false;
        }

        var data = new JsonObject
        {
            ["rulesVersion"] = ClockRules.Version,
            ["deadlines"] = new JsonArray([.. applied.Moved.Select(m => (JsonNode)WithStatuses(new JsonObject
            {
                ["kind"] = m.Kind.ToString(),
                ["statute"] = m.Statute,
                ["oldDueAt"] = m.OldDueAt is { } old ? Instant.ToText(old) : null,
                ["newDueAt"] = m.NewDueAt is { } @new ? Instant.ToText(@new) : null,
                ["rule"] = m.Rule,
            }, m))]),
            ["unconfirmed"] = new JsonArray([.. applied.Unconfirmed.Select(p => (JsonNode)JsonValue.Create(p))]),
        };
        var recorded = CaseEvent.Create(c.Changes[^1], c.Version, now, Actor, new RequestSource(null, null), data, loaded.HeadHash);
        await store.SaveAsync(c, before, [recorded], cancellationToken);
        return true;
    }

    /// <summary>A stopped clock whose status changed also names its old and new status (rules version 1 counted dueAt itself in time).</summary>
    private static JsonObject WithStatuses(JsonObject moved, MovedDate m)
    {
        if (m.OldStatus is { } old) moved["oldStatus"] = old.ToString();
        if (m.NewStatus is { } @new) moved["newStatus"] = @new.ToString();
        return moved;
    }

    /// <summary>A stored event as a step to replay: the trigger data as validated when it was recorded.</summary>
    private static RecordedStep Step(CaseEvent e)
    {
        if (e.Type == CaseChange.Transitioned && Enum.TryParse<WorkflowTrigger>(e.Trigger, out var trigger)
            && Enum.TryParse<CaseState>(e.ToState, out var to))
        {
            var data = TriggerDataReader.Read(trigger, e.Data, new Dictionary<string, string[]>());
            return new RecordedStep(e.Type, trigger, to, e.OccurredAt, data);
        }

        if (e.Type == CaseChange.DeadlineExtended && Enum.TryParse<DeadlineKind>((string?)e.Data["kind"], out var kind)
            && Instants.TryParse((string?)e.Data["dueAt"], out var dueAt))
        {
            return new RecordedStep(e.Type, null, null, e.OccurredAt, TriggerData.Empty, kind, dueAt);
        }

        return new RecordedStep(e.Type, null, null, e.OccurredAt, TriggerData.Empty);
    }
}
