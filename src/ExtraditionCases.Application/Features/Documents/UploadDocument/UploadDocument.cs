using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Workflow;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Documents;

/// <summary>The metadata part of an upload, as clients send it.</summary>
public sealed record DocumentInput
{
    [Required, NamesOf(typeof(DocumentKind))] public string? Kind { get; init; }
    [Required, MinLength(1), MaxLength(UploadDocument.MaxTitleLength), Form(TextForm.Text)] public string? Title { get; init; }
    /// <summary>A BCP 47 language tag.</summary>
    [Required, MinLength(2), MaxLength(Codes.MaxLanguageTagLength), RegularExpression(Codes.LanguageTagPattern)] public string? Language { get; init; }
    /// <summary>The document a Translation translates (only a Translation names one).</summary>
    [Form(TextForm.Uuid)] public string? TranslationOf { get; init; }
    /// <summary>Only for an Assurance.</summary>
    [NamesOf(typeof(AssuranceKind))] public string? AssuranceKind { get; init; }
    /// <summary>Not in the future.</summary>
    [Form(TextForm.Date)] public string? ReceivedOn { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? ReceivedFrom { get; init; }
    [Form(TextForm.Uuid)] public string? Supersedes { get; init; }

    /// <summary>Visible only to the recording state's officers and auditors; the shared chain holds a commitment.</summary>
    public bool? Private { get; init; }
}

/// <summary>
/// The file part of an upload, already received in full off the request (the edge spools it to a
/// temporary file while hashing it and checking its size and first bytes), so that the transaction
/// that stores it never waits on a slow client.
/// </summary>
/// <param name="Open">Opens the received bytes from their start.</param>
public sealed record UploadedFile(string MediaType, string? FileName, long Length, string Sha256, Func<Stream> Open);

/// <summary>An officer of either state adds a document to the case's register (a DocumentAdded event).</summary>
public static class UploadDocument
{
    public const int MaxTitleLength = 500;

    /// <param name="Target">The case as the edge found it before reading the body (404 first); re-read in the transaction.</param>
    public sealed record Command(Caller Caller, RequestSource Source, CaseToWrite Target, DocumentInput Metadata, UploadedFile File)
        : ICommand<DocumentView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.Metadata.Kind).NotEmpty().IsEnumName(typeof(DocumentKind), caseSensitive: true).OverridePropertyName("kind");
            RuleFor(x => x.Metadata.Title).NotEmpty().Must(Text.IsClean).MaximumLength(MaxTitleLength).OverridePropertyName("title");
            RuleFor(x => x.Metadata.Language).NotEmpty().Must(Codes.IsLanguageTag).WithMessage("'{PropertyName}' must be a BCP 47 language tag.")
                .OverridePropertyName("language");
            RuleFor(x => x.Metadata.TranslationOf).NotEmpty().When(x => x.Metadata.Kind == nameof(DocumentKind.Translation))
                .WithMessage("A Translation names the document it translates.").OverridePropertyName("translationOf");
            RuleFor(x => x.Metadata.TranslationOf).Null().When(x => x.Metadata.Kind != nameof(DocumentKind.Translation))
                .WithMessage("Only a Translation names a document it translates.").OverridePropertyName("translationOf");
            RuleFor(x => x.Metadata.TranslationOf).Must(IsId).WithMessage("'{PropertyName}' must be a document id.").OverridePropertyName("translationOf");
            RuleFor(x => x.Metadata.Supersedes).Must(IsId).WithMessage("'{PropertyName}' must be a document id.").OverridePropertyName("supersedes");
            RuleFor(x => x.Metadata.AssuranceKind).IsEnumName(typeof(AssuranceKind), caseSensitive: true).OverridePropertyName("assuranceKind");
            RuleFor(x => x.Metadata.AssuranceKind).Null().When(x => x.Metadata.Kind != nameof(DocumentKind.Assurance))
                .WithMessage("Only an Assurance has an 'assuranceKind'.").OverridePropertyName("assuranceKind");
            RuleFor(x => x.Metadata.ReceivedOn)
                .Must(d => d is null || (Instants.TryParseDate(d, out var on) && on <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
                .WithMessage("'{PropertyName}' must be a date (yyyy-MM-dd) not in the future.").OverridePropertyName("receivedOn");
            RuleFor(x => x.Metadata.ReceivedFrom).Must(Text.IsClean).MaximumLength(CaseFileInputValidator.MaxShortTextLength).OverridePropertyName("receivedFrom");
            RuleFor(x => x.File.Length).GreaterThan(0).WithMessage("The file is empty.").OverridePropertyName("file");
            RuleFor(x => x.File.FileName).Must(Text.IsClean).MaximumLength(255).OverridePropertyName("file");
        }

        private static bool IsId(string? text) => text is null || Guid.TryParse(text, out _);
    }

    public sealed class Handler(ICaseStore store, IDocumentStore documents, IDatabaseSession session, TimeProvider clock)
        : IRequestHandler<Command, DocumentView>
    {
        public async Task<DocumentView> Handle(Command request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            var caseId = request.Target.Case.Id;
            // Re-read inside the transaction: an upload takes the time its client needs, and another write may have
            // landed since the edge's read. Documents are appended, not edited, so they need no If-Match.
            var loaded = await store.FindAsync(caseId, cancellationToken) ?? throw new NotFoundException($"No case {caseId}.");
            var target = new CaseToWrite(loaded, request.Target.Side);
            var country = caller.Country!;
            var metadata = request.Metadata;

            Guid? translationOf = metadata.TranslationOf is { } t ? Guid.Parse(t) : null;
            Guid? supersedes = metadata.Supersedes is { } s ? Guid.Parse(s) : null;
            if (translationOf is { } translated && await GetDocument.FindAsync(session, caseId, translated, country, cancellationToken) is null)
                throw BadRequestException.For("translationOf", "No such document in this case.");
            if (supersedes is { } old)
            {
                var superseded = await GetDocument.FindAsync(session, caseId, old, country, cancellationToken)
                    ?? throw BadRequestException.For("supersedes", "No such document in this case.");
                if (superseded.SupersededBy is { } by) throw new WorkflowConflictException($"Document {old} is already superseded by {by}.");
            }

            var now = clock.GetUtcNow();
            var c = target.Case;
            var before = c.Version;
            c.RecordDocumentAdded(now);
            var document = new StoredDocument
            {
                Id = Guid.CreateVersion7(now),
                CaseId = caseId,
                Sequence = c.Version,
                Kind = metadata.Kind!,
                Title = metadata.Title,
                Language = metadata.Language,
                TranslationOf = translationOf,
                AssuranceKind = metadata.AssuranceKind,
                ReceivedOn = metadata.ReceivedOn,
                ReceivedFrom = metadata.ReceivedFrom,
                FileName = request.File.FileName,
                MediaType = request.File.MediaType,
                Size = request.File.Length,
                Sha256 = request.File.Sha256,
                Supersedes = supersedes,
                PrivateTo = metadata.Private == true ? country : null,
                UploadedAt = Domain.Instant.Truncate(now),
                UploadedBy = caller.Subject,
                UploadedByIssuer = caller.Issuer,
                UploadedByCountry = caller.Country,
            };

            var (data, salt) = PrivateEvent.For(EventData(document), document.Id, document.PrivateTo, "documentId");
            document = document with { Salt = salt };

            await CaseWrites.SaveAsync(store, target, before, caller, request.Source, now, data, cancellationToken);
            await using (var content = request.File.Open())
                await documents.AddAsync(document, content, cancellationToken);
            return DocumentView.Of(document);
        }
    }

    /// <summary>
    /// The DocumentAdded event's data: the metadata and the SHA-256, so the chain proves which bytes were on
    /// file. For a private document the same object is what its commitment covers.
    /// </summary>
    public static JsonObject EventData(StoredDocument d) => new()
    {
        ["documentId"] = d.Id.ToString("D"),
        ["kind"] = d.Kind,
        ["title"] = d.Title,
        ["language"] = d.Language,
        ["translationOf"] = d.TranslationOf?.ToString("D"),
        ["assuranceKind"] = d.AssuranceKind,
        ["receivedOn"] = d.ReceivedOn,
        ["receivedFrom"] = d.ReceivedFrom,
        ["fileName"] = d.FileName,
        ["mediaType"] = d.MediaType,
        ["size"] = d.Size,
        ["sha256"] = d.Sha256,
        ["supersedes"] = d.Supersedes?.ToString("D"),
    };
}

/// <summary>The shared event's data for something that stays with one state: whose it is and the commitment to it.</summary>
public static class PrivateEvent
{
    /// <summary>
    /// The event data for an entry: in clear when shared; when one state keeps it private, only its id and a
    /// salted commitment to the shared form (the salt stays with the entry, so the commitment can be checked).
    /// </summary>
    public static (JsonObject Data, string? Salt) For(JsonObject shared, Guid id, string? privateTo, string idMember)
    {
        if (privateTo is null) return (shared, null);
        var commitment = Commitments.Commit(shared);
        return (new JsonObject
        {
            [idMember] = id.ToString("D"),
            ["private"] = new JsonObject { ["country"] = privateTo, ["commitment"] = commitment.Value },
        }, commitment.Salt);
    }
}
