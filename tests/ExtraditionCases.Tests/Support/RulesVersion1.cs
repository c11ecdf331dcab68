using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// Records a case as the service did under rules version 1, through the real path: the case aggregate under
/// version 1's clock rules, its events made as the handlers make them (the filed file; each trigger's data as
/// read and written back), saved by the real store into a running service's database (events, clocks, feed,
/// tree leaves). A case recorded so is loaded under version 1 until the start-up step brings it to the current rules.
/// </summary>
public sealed class RulesVersion1(ApiFactory api)
{
    private static readonly RequestSource Source = new("req-rules-v1", "192.0.2.10");

    public static Caller OfficerOf(string country) => new("officer-1", Caller.Officer, country, "MOI", Tokens.Issuer);

    public async Task<Guid> FileAsync(CaseFile file, DateTimeOffset receivedAt)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var (session, store) = Begin(scope);
        await session.BeginAsync(CancellationToken.None);
        var now = api.Clock.GetUtcNow();
        var number = await store.NextReferenceNumberAsync(CancellationToken.None);
        var rules = scope.ServiceProvider.GetRequiredService<DeadlineOptions>().RulesFor(file.RequestingState, file.RequestedState, version: 1);
        var filed = ExtraditionCase.FileNew(Guid.CreateVersion7(now), $"EXT-{now.Year}-{number:D6}", file, receivedAt, now, rules);
        var data = JsonSerializer.SerializeToNode(file, CaseJson.Options)!.AsObject();
        var recorded = CaseEvent.Create(filed.Changes[0], filed.Version, now, OfficerOf(file.RequestedState), Source, data, CaseEvent.GenesisHash);
        await store.AddAsync(filed, [recorded], CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
        return filed.Id;
    }

    /// <summary>Fires as the side whose trigger it is, dated <paramref name="occurredAt"/> and recorded now.</summary>
    public async Task FireAsync(Guid id, WorkflowTrigger trigger, DateTimeOffset occurredAt, JsonObject? data = null)
    {
        await using var scope = api.Services.CreateAsyncScope();
        var (session, store) = Begin(scope);
        await session.BeginAsync(CancellationToken.None);
        var loaded = (await store.FindAsync(id, CancellationToken.None))!;
        var c = loaded.Case;
        Assert.That(c.Rules.RulesVersion, Is.EqualTo(1), "a case recorded under version 1 is loaded under it until the start-up step");
        var before = c.Version;
        var errors = new Dictionary<string, string[]>();
        var values = TriggerDataReader.Read(trigger, data, errors);
        Assert.That(errors, Is.Empty);
        var side = c.MayFire(trigger, CaseSide.Requested) ? CaseSide.Requested : CaseSide.Requesting;
        var caller = OfficerOf(side == CaseSide.Requested ? c.File.RequestedState : c.File.RequestingState);
        var now = api.Clock.GetUtcNow();
        c.Fire(trigger, new TransitionContext(occurredAt, "Recorded from the case file", values), side, now);
        var recorded = CaseEvent.Create(c.Changes[^1], c.Version, now, caller, Source, TriggerDataReader.ToJson(values), loaded.HeadHash);
        await store.SaveAsync(c, before, [recorded], CancellationToken.None);
        await session.CommitAsync(CancellationToken.None);
    }

    private static (IDatabaseSession Session, ICaseStore Store) Begin(AsyncServiceScope scope) =>
        (scope.ServiceProvider.GetRequiredService<IDatabaseSession>(), scope.ServiceProvider.GetRequiredService<ICaseStore>());
}
