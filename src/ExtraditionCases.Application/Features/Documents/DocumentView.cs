using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;

namespace ExtraditionCases.Application.Features.Documents;

public enum DocumentKind
{
    Request, Section70Certificate, ForeignWarrant, ConvictionRecord, EvidenceBundle, Translation, IdentityEvidence,
    Assurance, CourtOrder, ExecutiveOrder, SurrenderWarrant, Correspondence, Other,
}

/// <summary>Who uploaded a document: issuer + subject identify the caller (issuer null only for uploads older than stored issuers).</summary>
public sealed record DocumentUploader(string Subject, string? Issuer, string? Country);

/// <summary>A document of the register as a caller sees it; its bytes are at <c>.../content</c>.</summary>
public sealed record DocumentView(
    Guid Id,
    Guid CaseId,
    int Sequence,
    string Kind,
    string? Title,
    string? Language,
    Guid? TranslationOf,
    string? AssuranceKind,
    string? ReceivedOn,
    string? ReceivedFrom,
    string? FileName,
    string MediaType,
    long Size,
    string Sha256,
    Guid? Supersedes,
    Guid? SupersededBy,
    bool Private,
    DateTimeOffset UploadedAt,
    DocumentUploader UploadedBy)
{
    public static DocumentView Of(StoredDocument d) => new(
        d.Id, d.CaseId, d.Sequence, d.Kind, d.Title, d.Language, d.TranslationOf, d.AssuranceKind, d.ReceivedOn, d.ReceivedFrom,
        d.FileName, d.MediaType, d.Size, d.Sha256, d.Supersedes, d.SupersededBy, d.PrivateTo is not null, d.UploadedAt,
        new DocumentUploader(d.UploadedBy, d.UploadedByIssuer, d.UploadedByCountry?.Trim()));
}

public static class DocumentAccess
{
    /// <summary>
    /// The case's documents are read by the officers of its states and by auditors; anyone else gets 404,
    /// as for the case itself. A private document is further limited by the statements to its own state.
    /// </summary>
    public static async Task<CaseParties> CaseAsync(ICaseStore cases, Caller caller, Guid caseId, CancellationToken cancellationToken)
    {
        var parties = await cases.FindPartiesAsync(caseId, cancellationToken);
        if (parties is null || !(caller.IsOfficer || caller.IsAuditor) || !CaseAccess.MaySee(caller, parties.RequestingState, parties.RequestedState))
            throw new NotFoundException($"No case {caseId}.");
        return parties;
    }

    /// <summary>The country whose private documents and notes this caller may see ("--" matches none).</summary>
    public static string CountryOf(Caller caller) => caller.Country ?? "--";
}
