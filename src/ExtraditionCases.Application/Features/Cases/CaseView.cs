using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Cases;

public sealed record DeadlineView(
    DeadlineKind Kind, DateTimeOffset StartedAt, DateTimeOffset DueAt, DeadlineStatus Status, string Statute, bool Advisory);

/// <summary>The case representation of the contract, as this caller sees it now.</summary>
public sealed record CaseView(
    Guid Id,
    string Reference,
    string RequestingState,
    string RequestedState,
    LegalBasis Basis,
    CaseCategory Category,
    DateTimeOffset ReceivedAt,
    string? RequestingAuthority,
    Person Person,
    IReadOnlyList<Offence> Offences,
    Warrant? Warrant,
    Conviction? Conviction,
    IReadOnlyList<Assurance> Assurances,
    IReadOnlyList<DomesticWarrant> DomesticWarrants,
    IReadOnlyList<Hearing> Hearings,
    IReadOnlyList<DomesticProceeding> DomesticProceedings,
    SurrenderArrangements? Surrender,
    [property: Json.OneOf("Incoming", "Outgoing")] string? Direction,
    CaseState State,
    DateTimeOffset StateSince,
    int Version,
    IReadOnlyList<DeadlineView> Deadlines,
    IReadOnlyList<WorkflowTrigger> AllowedActions,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>This is the stored first response to an idempotent retry (Idempotent-Replayed: true).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Replayed { get; init; }

    /// <summary>
    /// The documents the stages this case may take next still lack (the per-stage checklist). Read with
    /// the case (GET /cases/{id}); null in lists and in the answers to writes, where it is not read.
    /// </summary>
    public IReadOnlyList<Documents.StageMissing>? MissingDocuments { get; init; }

    /// <summary>
    /// The caller's own state's private file (asylum claim, health notes, counsel, legal aid), never another
    /// state's. Read with the case and in the answer to a PATCH; null in lists and other writes' answers.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject? Private { get; init; }

    /// <summary>
    /// Each party state's officer for the case (issue 14), one per state that named one. Read with the case
    /// and in the answer to an assignment; null in lists and other writes' answers, where it is not read.
    /// </summary>
    public IReadOnlyList<AssigneeView>? Assignees { get; init; }

    /// <summary>
    /// Confirmed links to other cases of the same person (issue 14), the other case named only where the caller may
    /// see it. Read with the case; null in lists and writes' answers.
    /// </summary>
    public IReadOnlyList<Links.CaseLinkEntry>? Links { get; init; }

    /// <summary>
    /// Competing requests for the person (s.126 of the 2003 Act; s.14 of the 1972 Act): the requested state's
    /// officers see the other case named; a requesting state sees only that one exists (otherCase null).
    /// Read with the case; null in lists and writes' answers.
    /// </summary>
    public IReadOnlyList<Links.CompetingRequestEntry>? CompetingRequests { get; init; }

    public static CaseView Of(ExtraditionCase c, Caller caller, DateTimeOffset now, AgencyPowers? agencies = null)
    {
        var side = c.SideOf(caller.Country);
        var file = c.File;
        return new CaseView(
            c.Id,
            c.Reference,
            file.RequestingState,
            file.RequestedState,
            file.Basis,
            file.Category,
            c.ReceivedAt,
            file.RequestingAuthority,
            file.Person,
            file.Offences,
            file.Warrant,
            file.Conviction,
            file.Assurances,
            file.DomesticWarrants,
            file.Hearings,
            file.DomesticProceedings,
            file.Surrender,
            side switch { CaseSide.Requested => "Incoming", CaseSide.Requesting => "Outgoing", _ => null },
            c.State,
            c.StateSince,
            c.Version,
            [.. c.Deadlines.Select(d => new DeadlineView(d.Kind, d.StartedAt, d.DueAt, d.StatusAt(now), d.Statute, d.Advisory))],
            caller.IsOfficer ? c.AllowedActions(side, now, agencies?.Triggers(caller)) : [],
            c.CreatedAt,
            c.UpdatedAt);
    }
}
