using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Documents;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Notes;

public sealed record NoteInput
{
    [Required, NamesOf(typeof(NoteKind))] public string? Kind { get; init; }
    /// <summary>Required for every kind but Note.</summary>
    [NamesOf(typeof(NoteDirection))] public string? Direction { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Counterpart { get; init; }
    [Form(TextForm.Instant)] public string? OccurredAt { get; init; }
    [Required, MinLength(1), MaxLength(RecordNote.MaxTextLength), Form(TextForm.Prose)] public string? Text { get; init; }
    [MaxLength(RecordNote.MaxRelatedDocuments), Form(TextForm.Uuid, Items = true)] public List<string>? RelatedDocuments { get; init; }

    /// <summary>Visible only to the recording state's officers and auditors; the shared chain holds a commitment.</summary>
    public bool? Private { get; init; }
}

/// <summary>An officer of either state records a note, diplomatic note, letter, e-mail or call (a NoteRecorded event).</summary>
public static partial class RecordNote
{
    public const int MaxTextLength = 8000;
    public const int MaxRelatedDocuments = 50;

    public sealed record Command(Caller Caller, RequestSource Source, CaseToWrite Target, NoteInput Body) : ICommand<NoteView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(x => x.Body.Kind).NotEmpty().IsEnumName(typeof(NoteKind), caseSensitive: true).OverridePropertyName("kind");
            RuleFor(x => x.Body.Direction).IsEnumName(typeof(NoteDirection), caseSensitive: true).OverridePropertyName("direction");
            // Correspondence goes one way or the other; an officer's own note has no direction.
            RuleFor(x => x.Body.Direction).NotEmpty().When(x => x.Body.Kind is not null && x.Body.Kind != nameof(NoteKind.Note))
                .WithMessage("Correspondence is In or Out.").OverridePropertyName("direction");
            RuleFor(x => x.Body.Counterpart).Must(Text.IsClean).MaximumLength(CaseFileInputValidator.MaxShortTextLength).OverridePropertyName("counterpart");
            RuleFor(x => x.Body.OccurredAt).Must(t => t is null || Instants.TryParse(t, out _)).WithMessage("Must be an RFC 3339 instant.")
                .Must(t => !Instants.TryParse(t, out var at) || at <= clock.GetUtcNow()).WithMessage("Must not be in the future.")
                .OverridePropertyName("occurredAt");
            RuleFor(x => x.Body.Text).NotEmpty().Must(Text.IsCleanProse).MaximumLength(MaxTextLength).OverridePropertyName("text");
            RuleFor(x => x.Body.RelatedDocuments).Must(r => r is null || r.Count <= MaxRelatedDocuments)
                .WithMessage($"At most {MaxRelatedDocuments} related documents.").OverridePropertyName("relatedDocuments");
            RuleForEach(x => x.Body.RelatedDocuments).Must(id => Guid.TryParse(id, out _)).WithMessage("Must be a document id.")
                .OverridePropertyName("relatedDocuments");
        }
    }

    public sealed class Handler(ICaseStore store, IDatabaseSession session, TimeProvider clock) : IRequestHandler<Command, NoteView>
    {
        public async Task<NoteView> Handle(Command request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            var body = request.Body;
            var caseId = request.Target.Case.Id;
            // Notes are appended, never edited: no If-Match, and the case is re-read in the transaction.
            var loaded = await store.FindAsync(caseId, cancellationToken) ?? throw new NotFoundException($"No case {caseId}.");
            var target = new CaseToWrite(loaded, request.Target.Side);
            var country = caller.Country!;

            List<Guid> related = [.. (body.RelatedDocuments ?? []).Select(Guid.Parse)];
            for (var i = 0; i < related.Count; i++)
            {
                if (await GetDocument.FindAsync(session, caseId, related[i], country, cancellationToken) is null)
                    throw BadRequestException.For($"relatedDocuments[{i}]", "No such document in this case.");
            }

            var now = clock.GetUtcNow();
            var occurredAt = body.OccurredAt is { } text && Instants.TryParse(text, out var at) ? at : Domain.Instant.Truncate(now);
            var c = target.Case;
            var before = c.Version;
            c.RecordNote(occurredAt, now);

            var note = new StoredNote
            {
                Id = Guid.CreateVersion7(now),
                CaseId = caseId,
                Sequence = c.Version,
                Kind = body.Kind!,
                Direction = body.Direction,
                Counterpart = body.Counterpart,
                OccurredAt = occurredAt,
                Text = body.Text,
                RelatedDocuments = JsonSerializer.Serialize(related, CaseJson.Options),
                PrivateTo = body.Private == true ? country : null,
                RecordedAt = Domain.Instant.Truncate(now),
                RecordedBy = caller.Subject,
                RecordedByIssuer = caller.Issuer,
                RecordedByCountry = caller.Country,
            };

            var (data, salt) = PrivateEvent.For(EventData(note), note.Id, note.PrivateTo, "noteId");
            note = note with { Salt = salt };

            await CaseWrites.SaveAsync(store, target, before, caller, request.Source, now, data, cancellationToken);
            await session.ExecuteAsync(Sql.Insert, note, cancellationToken);
            return NoteView.Of(note);
        }
    }

    /// <summary>The NoteRecorded event's data; for a private note, what its commitment covers.</summary>
    public static JsonObject EventData(StoredNote n) => new()
    {
        ["noteId"] = n.Id.ToString("D"),
        ["kind"] = n.Kind,
        ["direction"] = n.Direction,
        ["counterpart"] = n.Counterpart,
        ["text"] = n.Text,
        ["relatedDocuments"] = JsonNode.Parse(n.RelatedDocuments ?? "[]"),
    };
}
