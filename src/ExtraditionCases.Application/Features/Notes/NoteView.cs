using System.Text.Json;
using ExtraditionCases.Application.Json;

namespace ExtraditionCases.Application.Features.Notes;

public enum NoteKind { Note, DiplomaticNote, Letter, Email, Call }

public enum NoteDirection { In, Out }

/// <summary>A note or piece of correspondence as stored (property-mapped: SQLite hands back text where SQL Server has typed columns).</summary>
public sealed record StoredNote
{
    public Guid Id { get; init; }
    public Guid CaseId { get; init; }
    public int Sequence { get; init; }
    public string Kind { get; init; } = "";
    public string? Direction { get; init; }
    public string? Counterpart { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
    public string? Text { get; init; }
    public string? RelatedDocuments { get; init; }
    public string? PrivateTo { get; init; }
    public string? Salt { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
    public string RecordedBy { get; init; } = "";
    /// <summary>The issuer of the author's token: with <see cref="RecordedBy"/>, who recorded it (null: recorded before issuers were stored and unknown).</summary>
    public string? RecordedByIssuer { get; init; }
    public string? RecordedByCountry { get; init; }
}

/// <summary>Who recorded a note: issuer + subject identify the caller (issuer null only for notes older than stored issuers).</summary>
public sealed record NoteAuthor(string Subject, string? Issuer, string? Country);

public sealed record NoteView(
    Guid Id,
    Guid CaseId,
    int Sequence,
    string Kind,
    string? Direction,
    string? Counterpart,
    DateTimeOffset OccurredAt,
    string? Text,
    IReadOnlyList<Guid> RelatedDocuments,
    bool Private,
    DateTimeOffset RecordedAt,
    NoteAuthor RecordedBy)
{
    public static NoteView Of(StoredNote n) => new(
        n.Id, n.CaseId, n.Sequence, n.Kind, n.Direction?.Trim(), n.Counterpart, n.OccurredAt, n.Text,
        n.RelatedDocuments is null ? [] : JsonSerializer.Deserialize<List<Guid>>(n.RelatedDocuments, CaseJson.Options)!,
        n.PrivateTo is not null, n.RecordedAt, new NoteAuthor(n.RecordedBy, n.RecordedByIssuer, n.RecordedByCountry?.Trim()));
}
