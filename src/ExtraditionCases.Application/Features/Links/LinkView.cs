using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Links;

/// <summary>A case as a link names it: enough to tell which request it is.</summary>
public sealed record LinkedCase(Guid Id, string Reference, string RequestingState, string RequestedState, [property: NamesOf(typeof(CaseState))] string State);

public sealed record LinkActor(string Subject, string Issuer, string Country);

/// <summary>
/// A confirmed link between two cases of one person, with both cases named: shown only to a caller who may see
/// both (the requested state's officers of two competing requests, auditors).
/// </summary>
public sealed record LinkView(Guid Id, IReadOnlyList<LinkedCase> Cases, string Reason, bool Competing, DateTimeOffset LinkedAt, LinkActor LinkedBy);

/// <summary>
/// A link as one case shows it (issue 14): the other case is named only when the caller may see it; a requesting
/// state shown a competing request of another state learns only that one exists.
/// </summary>
public sealed record CaseLinkEntry(Guid LinkId, DateTimeOffset LinkedAt, bool Competing, LinkedCase? OtherCase);

/// <summary>A competing request as one case shows it: since when, and the other case where the caller may see it.</summary>
public sealed record CompetingRequestEntry(Guid LinkId, DateTimeOffset DetectedAt, LinkedCase? OtherCase);

/// <summary>The links of one case, read with the case.</summary>
public static partial class CaseLinks
{
    public static async Task<IReadOnlyList<CaseLinkEntry>> OfCaseAsync(IDatabaseSession session, Caller caller, Guid caseId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync<OtherRow>(Sql.OfCase, new { CaseId = caseId }, cancellationToken);
        return [.. rows.Select(r => new CaseLinkEntry(r.LinkId, r.LinkedAt, r.Competing,
            CaseAccess.MaySee(caller, r.RequestingState, r.RequestedState)
                ? new LinkedCase(r.OtherId, r.Reference, r.RequestingState, r.RequestedState, r.State)
                : null))];
    }

    public static IReadOnlyList<CompetingRequestEntry> Competing(IReadOnlyList<CaseLinkEntry> links) =>
        [.. links.Where(l => l.Competing).Select(l => new CompetingRequestEntry(l.LinkId, l.LinkedAt, l.OtherCase))];

    /// <summary>A link as stored, with its two cases.</summary>
    public static async Task<LinkView?> FindAsync(IDatabaseSession session, Guid linkId, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync<LinkRow>(Sql.Find, new { Id = linkId }, cancellationToken);
        if (rows.Count == 0) return null;
        var r = rows[0];
        return new LinkView(r.Id, [.. rows.Select(x => new LinkedCase(x.CaseId, x.Reference, x.RequestingState, x.RequestedState, x.State))],
            r.Reason, r.Competing, r.LinkedAt, new LinkActor(r.LinkedBySubject, r.LinkedByIssuer, r.LinkedByCountry));
    }

    private sealed class OtherRow
    {
        public Guid LinkId { get; init; }
        public DateTimeOffset LinkedAt { get; init; }
        public bool Competing { get; init; }
        public Guid OtherId { get; init; }
        public string Reference { get; init; } = "";
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string State { get; init; } = "";
    }

    private sealed class LinkRow
    {
        public Guid Id { get; init; }
        public string Reason { get; init; } = "";
        public bool Competing { get; init; }
        public DateTimeOffset LinkedAt { get; init; }
        public string LinkedBySubject { get; init; } = "";
        public string LinkedByIssuer { get; init; } = "";
        public string LinkedByCountry { get; init; } = "";
        public Guid CaseId { get; init; }
        public string Reference { get; init; } = "";
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string State { get; init; } = "";
    }
}
