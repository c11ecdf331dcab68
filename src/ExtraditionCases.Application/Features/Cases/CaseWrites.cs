using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>
/// A case loaded for a write, with the side the caller writes from. The edge loads it once, before
/// the request body is read (404 comes first in the contract's order of errors), and hands it to the
/// command; the save's version check then refuses a write that another one overtook since (412).
/// </summary>
public sealed record CaseToWrite(LoadedCase Loaded, CaseSide Side)
{
    public ExtraditionCase Case => Loaded.Case;
}

/// <summary>The version a write names as current (parsed at the edge from the request's precondition).</summary>
/// <param name="Version">The version it names; null when what was sent names none (it can never match).</param>
public sealed record ExpectedVersion(int? Version);

/// <summary>The steps every write to an existing case shares: 404, then 428 and 412, then save with its event.</summary>
public static class CaseWrites
{
    /// <summary>The case, if it exists and the caller is an officer of one of its states; 404 otherwise ("never reveal existence").</summary>
    public static async Task<CaseToWrite> LoadAsync(ICaseStore store, Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var loaded = await store.FindAsync(id, cancellationToken);
        var side = loaded?.Case.SideOf(caller.Country);
        if (loaded is null || side is null || !caller.IsOfficer) throw new NotFoundException($"No case {id}.");
        return new CaseToWrite(loaded, side.Value);
    }

    /// <summary>Writes must name the current version: naming none is 428, another one 412.</summary>
    public static void CheckVersion(ExpectedVersion? expected, int version)
    {
        if (expected is null) throw new PreconditionRequiredException();
        if (expected.Version != version) throw new PreconditionFailedException(version);
    }

    public static async Task SaveAsync(
        ICaseStore store, CaseToWrite target, int versionBefore, Caller caller, RequestSource source,
        DateTimeOffset now, JsonObject data, CancellationToken cancellationToken)
    {
        var c = target.Case;
        var recorded = CaseEvent.Create(c.Changes[^1], c.Version, now, caller, source, data, target.Loaded.HeadHash);
        await store.SaveAsync(c, versionBefore, [recorded], cancellationToken);
    }
}
