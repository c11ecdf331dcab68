using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Cases;
using FluentValidation;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>
/// A case file as clients send it (POST body, or the result of a merge patch). Enums and dates
/// arrive as strings so that a bad value is reported against its member, not as unreadable JSON.
/// </summary>
public sealed record CaseFileInput
{
    [Required, Form(TextForm.CountryCode)] public string? RequestingState { get; init; }
    [Required, Form(TextForm.CountryCode)] public string? RequestedState { get; init; }
    [Required, NamesOf(typeof(LegalBasis))] public string? Basis { get; init; }
    [Required, NamesOf(typeof(CaseCategory))] public string? Category { get; init; }
    /// <summary>When the requesting state's request was received; now when absent. Not in the future.</summary>
    [Form(TextForm.Instant)] public string? ReceivedAt { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? RequestingAuthority { get; init; }
    [Required] public PersonInput? Person { get; init; }
    [MaxLength(CaseFileInputValidator.MaxOffences)] public List<OffenceInput>? Offences { get; init; }
    /// <summary>An accusation's warrant; a conviction case carries conviction instead.</summary>
    public WarrantInput? Warrant { get; init; }
    /// <summary>A conviction case's conviction; an accusation carries warrant instead.</summary>
    public ConvictionInput? Conviction { get; init; }
    [MaxLength(CaseFileInputValidator.MaxListItems)] public List<AssuranceInput>? Assurances { get; init; }
    [MaxLength(CaseFileInputValidator.MaxListItems)] public List<DomesticWarrantInput>? DomesticWarrants { get; init; }
    [MaxLength(CaseFileInputValidator.MaxListItems)] public List<HearingInput>? Hearings { get; init; }
    [MaxLength(CaseFileInputValidator.MaxListItems)] public List<DomesticProceedingInput>? DomesticProceedings { get; init; }
    public SurrenderInput? Surrender { get; init; }

    public CaseFile ToCaseFile() => new()
    {
        RequestingState = RequestingState!,
        RequestedState = RequestedState!,
        Basis = Enum.Parse<LegalBasis>(Basis!),
        Category = Enum.Parse<CaseCategory>(Category!),
        RequestingAuthority = RequestingAuthority,
        Person = new Person
        {
            FullName = Person!.FullName,
            Aliases = Person.Aliases ?? [],
            DateOfBirth = ParseDate(Person.DateOfBirth),
            PlaceOfBirth = Person.PlaceOfBirth,
            Nationality = Person.Nationality,
            Names = [.. (Person.Names ?? []).Select(n => new PersonName
            {
                Text = n.Text, Script = n.Script, Language = n.Language,
                Kind = n.Kind is null ? NameKind.Primary : Enum.Parse<NameKind>(n.Kind),
            })],
            IdentityDocuments = [.. (Person.IdentityDocuments ?? []).Select(d => new IdentityDocument
            {
                Kind = Enum.Parse<IdentityDocumentKind>(d.Kind!), Number = d.Number, IssuingCountry = d.IssuingCountry, ExpiresOn = ParseDate(d.ExpiresOn),
            })],
            LastKnownLocation = Person.LastKnownLocation is not { } l ? null
                : new Location { Place = l.Place, Country = l.Country, AsOf = ParseDate(l.AsOf) },
            Custody = Person.Custody is not { } c ? null
                : new Custody { Status = Enum.Parse<CustodyStatus>(c.Status!), Since = ParseDate(c.Since), Place = c.Place },
        },
        Offences = [.. (Offences ?? []).Select(o => new Offence
        {
            Description = o.Description,
            Statute = o.Statute,
            Category = o.Category is null ? OffenceCategory.Other : Enum.Parse<OffenceCategory>(o.Category),
            MaxPenaltyMonths = o.MaxPenaltyMonths,
            DeathPenalty = o.DeathPenalty,
            Conduct = o.Conduct,
            Place = o.Place,
            CommittedFrom = ParseDate(o.CommittedFrom),
            CommittedTo = ParseDate(o.CommittedTo),
        })],
        Assurances = [.. (Assurances ?? []).Select(a => new Assurance
        {
            Kind = Enum.Parse<AssuranceKind>(a.Kind!), Reference = a.Reference, GivenOn = ParseDate(a.GivenOn), GivenBy = a.GivenBy,
        })],
        DomesticWarrants = [.. (DomesticWarrants ?? []).Select(w => new DomesticWarrant
        {
            Kind = Enum.Parse<DomesticWarrantKind>(w.Kind!), Reference = w.Reference, IssuedBy = w.IssuedBy, IssuedOn = ParseDate(w.IssuedOn),
        })],
        Hearings = [.. (Hearings ?? []).Select(h => new Hearing { Court = h.Court, At = ParseInstant(h.At), Purpose = h.Purpose, Outcome = h.Outcome })],
        DomesticProceedings = [.. (DomesticProceedings ?? []).Select(p => new DomesticProceeding
        {
            Kind = Enum.Parse<DomesticProceedingKind>(p.Kind!), Description = p.Description, Court = p.Court, Reference = p.Reference, Since = ParseDate(p.Since),
        })],
        Surrender = Surrender is not { } s ? null
            : new SurrenderArrangements { ScheduledFor = ParseInstant(s.ScheduledFor), Place = s.Place, Escort = s.Escort },
        Warrant = Warrant is null ? null : new Warrant { Reference = Warrant.Reference, IssuedBy = Warrant.IssuedBy, IssuedOn = ParseDate(Warrant.IssuedOn) },
        Conviction = Conviction is null ? null : new Conviction
        {
            Court = Conviction.Court,
            ConvictedOn = ParseDate(Conviction.ConvictedOn),
            SentenceMonths = Conviction.SentenceMonths,
            RemainingMonths = Conviction.RemainingMonths,
        },
    };

    /// <summary>The editable fields of a stored case file, as the base a merge patch applies to.</summary>
    public static CaseFileInput From(CaseFile file) => new()
    {
        RequestingState = file.RequestingState,
        RequestedState = file.RequestedState,
        Basis = file.Basis.ToString(),
        Category = file.Category.ToString(),
        RequestingAuthority = file.RequestingAuthority,
        Person = new PersonInput
        {
            FullName = file.Person.FullName,
            Aliases = [.. file.Person.Aliases],
            DateOfBirth = file.Person.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            PlaceOfBirth = file.Person.PlaceOfBirth,
            Nationality = file.Person.Nationality,
            Names = [.. file.Person.Names.Select(n => new PersonNameInput { Text = n.Text, Script = n.Script, Language = n.Language, Kind = n.Kind.ToString() })],
            IdentityDocuments = [.. file.Person.IdentityDocuments.Select(d => new IdentityDocumentInput
            {
                Kind = d.Kind.ToString(), Number = d.Number, IssuingCountry = d.IssuingCountry, ExpiresOn = FormatDate(d.ExpiresOn),
            })],
            LastKnownLocation = file.Person.LastKnownLocation is not { } l ? null
                : new LocationInput { Place = l.Place, Country = l.Country, AsOf = FormatDate(l.AsOf) },
            Custody = file.Person.Custody is not { } c ? null
                : new CustodyInput { Status = c.Status.ToString(), Since = FormatDate(c.Since), Place = c.Place },
        },
        Offences = [.. file.Offences.Select(o => new OffenceInput
        {
            Description = o.Description, Statute = o.Statute, Category = o.Category.ToString(),
            MaxPenaltyMonths = o.MaxPenaltyMonths, DeathPenalty = o.DeathPenalty,
            Conduct = o.Conduct, Place = o.Place, CommittedFrom = FormatDate(o.CommittedFrom), CommittedTo = FormatDate(o.CommittedTo),
        })],
        Assurances = [.. file.Assurances.Select(a => new AssuranceInput
        {
            Kind = a.Kind.ToString(), Reference = a.Reference, GivenOn = FormatDate(a.GivenOn), GivenBy = a.GivenBy,
        })],
        DomesticWarrants = [.. file.DomesticWarrants.Select(w => new DomesticWarrantInput
        {
            Kind = w.Kind.ToString(), Reference = w.Reference, IssuedBy = w.IssuedBy, IssuedOn = FormatDate(w.IssuedOn),
        })],
        Hearings = [.. file.Hearings.Select(h => new HearingInput { Court = h.Court, At = FormatInstant(h.At), Purpose = h.Purpose, Outcome = h.Outcome })],
        DomesticProceedings = [.. file.DomesticProceedings.Select(p => new DomesticProceedingInput
        {
            Kind = p.Kind.ToString(), Description = p.Description, Court = p.Court, Reference = p.Reference, Since = FormatDate(p.Since),
        })],
        Surrender = file.Surrender is not { } s ? null
            : new SurrenderInput { ScheduledFor = FormatInstant(s.ScheduledFor), Place = s.Place, Escort = s.Escort },
        Warrant = file.Warrant is null ? null : new WarrantInput
        {
            Reference = file.Warrant.Reference, IssuedBy = file.Warrant.IssuedBy, IssuedOn = FormatDate(file.Warrant.IssuedOn),
        },
        Conviction = file.Conviction is null ? null : new ConvictionInput
        {
            Court = file.Conviction.Court, ConvictedOn = FormatDate(file.Conviction.ConvictedOn),
            SentenceMonths = file.Conviction.SentenceMonths, RemainingMonths = file.Conviction.RemainingMonths,
        },
    };

    private static DateOnly? ParseDate(string? text) => Instants.TryParseDate(text, out var date) ? date : null;

    private static string? FormatDate(DateOnly? date) => date?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset? ParseInstant(string? text) => Instants.TryParse(text, out var at) ? at : null;

    private static string? FormatInstant(DateTimeOffset? at) => at is { } value ? Domain.Instant.ToText(value) : null;
}

public sealed record PersonInput
{
    [Required, MinLength(1), MaxLength(CaseFileInputValidator.MaxNameLength), Form(TextForm.Text)] public string? FullName { get; init; }

    [MaxLength(CaseFileInputValidator.MaxAliases), Form(TextForm.Text, Items = true, ItemMaxLength = CaseFileInputValidator.MaxNameLength)]
    public List<string>? Aliases { get; init; }

    /// <summary>Not in the future.</summary>
    [Form(TextForm.Date)] public string? DateOfBirth { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? PlaceOfBirth { get; init; }
    [Form(TextForm.CountryCode)] public string? Nationality { get; init; }
    [MaxLength(CaseFileInputValidator.MaxNames)] public List<PersonNameInput>? Names { get; init; }
    [MaxLength(CaseFileInputValidator.MaxListItems)] public List<IdentityDocumentInput>? IdentityDocuments { get; init; }
    public LocationInput? LastKnownLocation { get; init; }
    public CustodyInput? Custody { get; init; }
}

public sealed record PersonNameInput
{
    [Required, MinLength(1), MaxLength(CaseFileInputValidator.MaxNameLength), Form(TextForm.Text)] public string? Text { get; init; }
    /// <summary>An ISO 15924 script code (Arab, Latn, Cyrl, ...).</summary>
    [Required, MinLength(4), MaxLength(4), RegularExpression(Codes.ScriptPattern)] public string? Script { get; init; }
    /// <summary>A BCP 47 language tag.</summary>
    [MinLength(2), MaxLength(Codes.MaxLanguageTagLength), RegularExpression(Codes.LanguageTagPattern)] public string? Language { get; init; }
    [NamesOf(typeof(NameKind))] public string? Kind { get; init; }
}

public sealed record IdentityDocumentInput
{
    [Required, NamesOf(typeof(IdentityDocumentKind))] public string? Kind { get; init; }
    /// <summary>Letters, digits, spaces, '-' and '/'; a Pakistani CNIC is written 00000-0000000-0.</summary>
    [Required, MinLength(1), MaxLength(CaseFileInputValidator.MaxDocumentNumberLength), RegularExpression(Codes.DocumentNumberPattern)] public string? Number { get; init; }
    [Required, Form(TextForm.CountryCode)] public string? IssuingCountry { get; init; }
    [Form(TextForm.Date)] public string? ExpiresOn { get; init; }
}

public sealed record LocationInput
{
    [Required, MinLength(1), MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Place { get; init; }
    [Form(TextForm.CountryCode)] public string? Country { get; init; }
    /// <summary>Not in the future.</summary>
    [Form(TextForm.Date)] public string? AsOf { get; init; }
}

public sealed record CustodyInput
{
    [Required, NamesOf(typeof(CustodyStatus))] public string? Status { get; init; }
    /// <summary>Not in the future.</summary>
    [Form(TextForm.Date)] public string? Since { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Place { get; init; }
}

public sealed record OffenceInput
{
    [MaxLength(CaseFileInputValidator.MaxTextLength), Form(TextForm.Prose)] public string? Description { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Statute { get; init; }
    /// <summary>Other when absent.</summary>
    [NamesOf(typeof(OffenceCategory))] public string? Category { get; init; }
    [Range(0, CaseFileInputValidator.MaxMonths)] public int? MaxPenaltyMonths { get; init; }
    /// <summary>Whether the offence carries the death penalty: stated, true or false, for every offence sent (s.94).</summary>
    [Required] public bool? DeathPenalty { get; init; }
    [MaxLength(CaseFileInputValidator.MaxConductLength), Form(TextForm.Prose)] public string? Conduct { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Place { get; init; }
    /// <summary>Not in the future.</summary>
    [Form(TextForm.Date)] public string? CommittedFrom { get; init; }
    /// <summary>Not in the future, nor before committedFrom.</summary>
    [Form(TextForm.Date)] public string? CommittedTo { get; init; }
}

public sealed record AssuranceInput
{
    [Required, NamesOf(typeof(AssuranceKind))] public string? Kind { get; init; }
    [Required, MinLength(1), MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Reference { get; init; }
    /// <summary>Not in the future.</summary>
    [Form(TextForm.Date)] public string? GivenOn { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? GivenBy { get; init; }
}

public sealed record DomesticWarrantInput
{
    [Required, NamesOf(typeof(DomesticWarrantKind))] public string? Kind { get; init; }
    [Required, MinLength(1), MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Reference { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? IssuedBy { get; init; }
    /// <summary>Not in the future.</summary>
    [Form(TextForm.Date)] public string? IssuedOn { get; init; }
}

public sealed record HearingInput
{
    [Required, MinLength(1), MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Court { get; init; }
    [Required, Form(TextForm.Instant)] public string? At { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Purpose { get; init; }
    /// <summary>Only for a hearing that has happened.</summary>
    [MaxLength(CaseFileInputValidator.MaxTextLength), Form(TextForm.Prose)] public string? Outcome { get; init; }
}

public sealed record DomesticProceedingInput
{
    [Required, NamesOf(typeof(DomesticProceedingKind))] public string? Kind { get; init; }
    [Required, MinLength(1), MaxLength(CaseFileInputValidator.MaxTextLength), Form(TextForm.Prose)] public string? Description { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Court { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Reference { get; init; }
    /// <summary>Not in the future.</summary>
    [Form(TextForm.Date)] public string? Since { get; init; }
}

public sealed record SurrenderInput
{
    [Form(TextForm.Instant)] public string? ScheduledFor { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Place { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Escort { get; init; }
}

public sealed record WarrantInput
{
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Reference { get; init; }
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? IssuedBy { get; init; }
    [Form(TextForm.Date)] public string? IssuedOn { get; init; }
}

public sealed record ConvictionInput
{
    [MaxLength(CaseFileInputValidator.MaxShortTextLength), Form(TextForm.Text)] public string? Court { get; init; }
    [Form(TextForm.Date)] public string? ConvictedOn { get; init; }
    [Range(0, CaseFileInputValidator.MaxMonths)] public int? SentenceMonths { get; init; }
    [Range(0, CaseFileInputValidator.MaxMonths)] public int? RemainingMonths { get; init; }
}

/// <summary>
/// What any case file must satisfy, draft or not: known codes and enums, sane lengths, no dates in
/// the future. Completeness for submission is the workflow's business, not this validator's.
/// </summary>
public sealed class CaseFileInputValidator : AbstractValidator<CaseFileInput>
{
    public const int MaxOffences = 50;
    public const int MaxNameLength = 300;
    public const int MaxTextLength = 2000;
    public const int MaxShortTextLength = 500;
    public const int MaxAliases = 20;
    public const int MaxNames = 30;
    public const int MaxListItems = 50;
    public const int MaxConductLength = 8000;
    public const int MaxDocumentNumberLength = 50;

    private const string DateMessage = "'{PropertyName}' must be a date (yyyy-MM-dd).";
    private const string PastDateMessage = "'{PropertyName}' must be a date (yyyy-MM-dd) not in the future.";
    private const string InstantMessage = "'{PropertyName}' must be an RFC 3339 instant.";
    private const string CountryMessage = "'{PropertyName}' must be an ISO 3166-1 alpha-2 code in upper case.";
    public const int MaxMonths = 1200;

    /// <param name="offencesSent">
    /// The offences are in the request (a filing, or a PATCH that sends <c>offences</c>): each must state
    /// <c>deathPenalty</c>. Offences only carried over from storage may still read null until stated.
    /// </param>
    public CaseFileInputValidator(TimeProvider clock, bool offencesSent = true)
    {
        RuleFor(x => x.RequestingState).NotEmpty().Must(Countries.IsIso3166Alpha2).WithMessage("'{PropertyName}' must be an ISO 3166-1 alpha-2 code in upper case.");
        RuleFor(x => x.RequestedState).NotEmpty().Must(Countries.IsIso3166Alpha2).WithMessage("'{PropertyName}' must be an ISO 3166-1 alpha-2 code in upper case.")
            .NotEqual(x => x.RequestingState).WithMessage("The requested state must differ from the requesting state.");
        RuleFor(x => x.Basis).NotEmpty().IsEnumName(typeof(LegalBasis), caseSensitive: true);
        RuleFor(x => x.Category).NotEmpty().IsEnumName(typeof(CaseCategory), caseSensitive: true);
        RuleFor(x => x.ReceivedAt)
            .Must(text => Instants.TryParse(text, out _)).WithMessage("'{PropertyName}' must be an RFC 3339 instant.")
            .Must(text => !Instants.TryParse(text, out var at) || at <= clock.GetUtcNow()).WithMessage("'{PropertyName}' must not be in the future.")
            .When(x => x.ReceivedAt is not null);
        RuleFor(x => x.RequestingAuthority).Must(Text.IsClean).MaximumLength(MaxShortTextLength);

        RuleFor(x => x.Person).NotNull().DependentRules(() =>
        {
            RuleFor(x => x.Person!.FullName).NotEmpty().Must(Text.IsClean).MaximumLength(MaxNameLength)
                .Must(name => name is null || name.Trim().Length > 0).WithMessage("'{PropertyName}' must not be blank.")
                .OverridePropertyName("person.fullName");
            RuleFor(x => x.Person!.Aliases).Must(a => a is null || a.Count <= MaxAliases).WithMessage($"At most {MaxAliases} aliases.")
                .OverridePropertyName("person.aliases");
            RuleForEach(x => x.Person!.Aliases).NotEmpty().Must(Text.IsClean).MaximumLength(MaxNameLength).OverridePropertyName("person.aliases");
            RuleFor(x => x.Person!.DateOfBirth).Must(d => d is null || (Instants.TryParseDate(d, out var dob) && dob <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
                .WithMessage("'{PropertyName}' must be a date (yyyy-MM-dd) not in the future.").OverridePropertyName("person.dateOfBirth");
            RuleFor(x => x.Person!.PlaceOfBirth).Must(Text.IsClean).MaximumLength(MaxShortTextLength).OverridePropertyName("person.placeOfBirth");
            RuleFor(x => x.Person!.Nationality).Must(n => n is null || Countries.IsIso3166Alpha2(n))
                .WithMessage("'{PropertyName}' must be an ISO 3166-1 alpha-2 code in upper case.").OverridePropertyName("person.nationality");
            RuleFor(x => x.Person!.Names).Must(n => n is null || n.Count <= MaxNames).WithMessage($"At most {MaxNames} names.").OverridePropertyName("person.names");
            RuleForEach(x => x.Person!.Names).NotNull().ChildRules(name =>
            {
                name.RuleFor(n => n.Text).NotEmpty().Must(Text.IsClean).MaximumLength(MaxNameLength)
                    .Must(t => t is null || t.Trim().Length > 0).WithMessage("'{PropertyName}' must not be blank.");
                name.RuleFor(n => n.Script).NotEmpty().Must(Codes.IsIso15924)
                    .WithMessage("'{PropertyName}' must be an ISO 15924 script code (for example Arab, Latn, Cyrl).");
                name.RuleFor(n => n.Language).Must(Codes.IsLanguageTag).WithMessage("'{PropertyName}' must be a BCP 47 language tag.");
                name.RuleFor(n => n.Kind).IsEnumName(typeof(NameKind), caseSensitive: true);
            }).OverridePropertyName("person.names");
            RuleFor(x => x.Person!.IdentityDocuments).Must(d => d is null || d.Count <= MaxListItems)
                .WithMessage($"At most {MaxListItems} identity documents.").OverridePropertyName("person.identityDocuments");
            RuleForEach(x => x.Person!.IdentityDocuments).NotNull().ChildRules(document =>
            {
                document.RuleFor(d => d.Kind).NotEmpty().IsEnumName(typeof(IdentityDocumentKind), caseSensitive: true);
                document.RuleFor(d => d.Number).NotEmpty().MaximumLength(MaxDocumentNumberLength).Must(Codes.IsDocumentNumber)
                    .WithMessage("'{PropertyName}' may hold letters, digits, spaces, '-' and '/' only.");
                // A Pakistani CNIC is 13 digits, written 5-7-1 (35202-1234567-1).
                document.RuleFor(d => d.Number).Must(Codes.IsCnic).When(d => d.Kind == nameof(IdentityDocumentKind.NationalIdentityCard) && d.IssuingCountry == "PK")
                    .WithMessage("A Pakistani CNIC is 13 digits, written 00000-0000000-0.");
                document.RuleFor(d => d.IssuingCountry).NotEmpty().Must(Countries.IsIso3166Alpha2).WithMessage(CountryMessage);
                document.RuleFor(d => d.ExpiresOn).Must(IsDate).WithMessage(DateMessage);
            }).OverridePropertyName("person.identityDocuments");
            RuleFor(x => x.Person!.LastKnownLocation!).ChildRules(location =>
            {
                location.RuleFor(l => l.Place).NotEmpty().Must(Text.IsClean).MaximumLength(MaxShortTextLength);
                location.RuleFor(l => l.Country).Must(c => c is null || Countries.IsIso3166Alpha2(c)).WithMessage(CountryMessage);
                location.RuleFor(l => l.AsOf).Must(d => IsPastDate(d, clock)).WithMessage(PastDateMessage);
            }).When(x => x.Person!.LastKnownLocation is not null).OverridePropertyName("person.lastKnownLocation");
            RuleFor(x => x.Person!.Custody!).ChildRules(custody =>
            {
                custody.RuleFor(c => c.Status).NotEmpty().IsEnumName(typeof(CustodyStatus), caseSensitive: true);
                custody.RuleFor(c => c.Since).Must(d => IsPastDate(d, clock)).WithMessage(PastDateMessage);
                custody.RuleFor(c => c.Place).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            }).When(x => x.Person!.Custody is not null).OverridePropertyName("person.custody");
        });

        RuleFor(x => x.Offences).Must(o => o is null || o.Count <= MaxOffences).WithMessage($"At most {MaxOffences} offences.");
        RuleForEach(x => x.Offences).NotNull().ChildRules(offence =>
        {
            offence.RuleFor(o => o.Description).Must(Text.IsCleanProse).MaximumLength(MaxTextLength);
            offence.RuleFor(o => o.Statute).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            offence.RuleFor(o => o.Category).IsEnumName(typeof(OffenceCategory), caseSensitive: true);
            offence.RuleFor(o => o.MaxPenaltyMonths).InclusiveBetween(0, MaxMonths);
            // s.94: no default; the death-penalty guard rests on an explicit true or false.
            offence.RuleFor(o => o.DeathPenalty).NotNull().When(_ => offencesSent)
                .WithMessage("'deathPenalty' must be stated, true or false (s.94).");
            offence.RuleFor(o => o.Conduct).Must(Text.IsCleanProse).MaximumLength(MaxConductLength);
            offence.RuleFor(o => o.Place).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            offence.RuleFor(o => o.CommittedFrom).Must(d => IsPastDate(d, clock)).WithMessage(PastDateMessage);
            offence.RuleFor(o => o.CommittedTo).Must(d => IsPastDate(d, clock)).WithMessage(PastDateMessage)
                .Must((o, to) => !Instants.TryParseDate(o.CommittedFrom, out var from) || !Instants.TryParseDate(to, out var until) || from <= until)
                .WithMessage("'committedTo' must not be before 'committedFrom'.");
        });

        RuleFor(x => x.Assurances).Must(a => a is null || a.Count <= MaxListItems).WithMessage($"At most {MaxListItems} assurances.");
        RuleForEach(x => x.Assurances).NotNull().ChildRules(assurance =>
        {
            assurance.RuleFor(a => a.Kind).NotEmpty().IsEnumName(typeof(AssuranceKind), caseSensitive: true);
            assurance.RuleFor(a => a.Reference).NotEmpty().Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            assurance.RuleFor(a => a.GivenOn).Must(d => IsPastDate(d, clock)).WithMessage(PastDateMessage);
            assurance.RuleFor(a => a.GivenBy).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
        });
        RuleFor(x => x.DomesticWarrants).Must(w => w is null || w.Count <= MaxListItems).WithMessage($"At most {MaxListItems} domestic warrants.");
        RuleForEach(x => x.DomesticWarrants).NotNull().ChildRules(warrant =>
        {
            warrant.RuleFor(w => w.Kind).NotEmpty().IsEnumName(typeof(DomesticWarrantKind), caseSensitive: true);
            warrant.RuleFor(w => w.Reference).NotEmpty().Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            warrant.RuleFor(w => w.IssuedBy).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            warrant.RuleFor(w => w.IssuedOn).Must(d => IsPastDate(d, clock)).WithMessage(PastDateMessage);
        });
        RuleFor(x => x.Hearings).Must(h => h is null || h.Count <= MaxListItems).WithMessage($"At most {MaxListItems} hearings.");
        RuleForEach(x => x.Hearings).NotNull().ChildRules(hearing =>
        {
            hearing.RuleFor(h => h.Court).NotEmpty().Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            hearing.RuleFor(h => h.At).NotEmpty().Must(t => Instants.TryParse(t, out _)).WithMessage(InstantMessage);
            hearing.RuleFor(h => h.Purpose).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            hearing.RuleFor(h => h.Outcome).Must(Text.IsCleanProse).MaximumLength(MaxTextLength);
            // A hearing still to come has no outcome yet.
            hearing.RuleFor(h => h.Outcome).Null().When(h => Instants.TryParse(h.At, out var at) && at > clock.GetUtcNow())
                .WithMessage("A hearing that has not happened yet has no 'outcome'.");
        });
        RuleFor(x => x.DomesticProceedings).Must(p => p is null || p.Count <= MaxListItems).WithMessage($"At most {MaxListItems} domestic proceedings.");
        RuleForEach(x => x.DomesticProceedings).NotNull().ChildRules(proceeding =>
        {
            proceeding.RuleFor(p => p.Kind).NotEmpty().IsEnumName(typeof(DomesticProceedingKind), caseSensitive: true);
            proceeding.RuleFor(p => p.Description).NotEmpty().Must(Text.IsCleanProse).MaximumLength(MaxTextLength);
            proceeding.RuleFor(p => p.Court).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            proceeding.RuleFor(p => p.Reference).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            proceeding.RuleFor(p => p.Since).Must(d => IsPastDate(d, clock)).WithMessage(PastDateMessage);
        });
        RuleFor(x => x.Surrender!).ChildRules(surrender =>
        {
            surrender.RuleFor(s => s.ScheduledFor).Must(t => t is null || Instants.TryParse(t, out _)).WithMessage(InstantMessage);
            surrender.RuleFor(s => s.Place).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            surrender.RuleFor(s => s.Escort).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
        }).When(x => x.Surrender is not null);

        RuleFor(x => x.Warrant).Null().When(x => x.Category == nameof(CaseCategory.Conviction))
            .WithMessage("A conviction case carries 'conviction', not 'warrant'.");
        RuleFor(x => x.Conviction).Null().When(x => x.Category == nameof(CaseCategory.Accusation))
            .WithMessage("An accusation case carries 'warrant', not 'conviction'.");
        RuleFor(x => x.Warrant!).ChildRules(w =>
        {
            w.RuleFor(x => x.Reference).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            w.RuleFor(x => x.IssuedBy).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            w.RuleFor(x => x.IssuedOn).Must(d => d is null || Instants.TryParseDate(d, out _)).WithMessage("'{PropertyName}' must be a date (yyyy-MM-dd).");
        }).When(x => x.Warrant is not null);
        RuleFor(x => x.Conviction!).ChildRules(c =>
        {
            c.RuleFor(x => x.Court).Must(Text.IsClean).MaximumLength(MaxShortTextLength);
            c.RuleFor(x => x.ConvictedOn).Must(d => d is null || Instants.TryParseDate(d, out _)).WithMessage("'{PropertyName}' must be a date (yyyy-MM-dd).");
            c.RuleFor(x => x.SentenceMonths).InclusiveBetween(0, MaxMonths);
            c.RuleFor(x => x.RemainingMonths).InclusiveBetween(0, MaxMonths);
        }).When(x => x.Conviction is not null);
    }

    private static bool IsDate(string? text) => text is null || Instants.TryParseDate(text, out _);

    private static bool IsPastDate(string? text, TimeProvider clock) =>
        text is null || (Instants.TryParseDate(text, out var date) && date <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
}

/// <summary>The code formats of the case file's members.</summary>
public static partial class Codes
{
    public const string ScriptPattern = "^[A-Z][a-z]{3}$";
    public const string LanguageTagPattern = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$";
    public const string DocumentNumberPattern = "^[A-Za-z0-9][A-Za-z0-9 /-]*$";

    public static bool IsIso15924(string? code) => code is not null && Script().IsMatch(code);

    public const int MaxLanguageTagLength = 35;

    public static bool IsLanguageTag(string? tag) => tag is null || (tag.Length <= MaxLanguageTagLength && LanguageTag().IsMatch(tag));

    public static bool IsDocumentNumber(string? number) => number is null || DocumentNumber().IsMatch(number);

    public static bool IsCnic(string? number) => number is not null && Cnic().IsMatch(number);

    [System.Text.RegularExpressions.GeneratedRegex(ScriptPattern)]
    private static partial System.Text.RegularExpressions.Regex Script();

    // RFC 5646 in its common shape: a language, then script, region or variant subtags.
    [System.Text.RegularExpressions.GeneratedRegex(LanguageTagPattern)]
    private static partial System.Text.RegularExpressions.Regex LanguageTag();

    [System.Text.RegularExpressions.GeneratedRegex(DocumentNumberPattern)]
    private static partial System.Text.RegularExpressions.Regex DocumentNumber();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[0-9]{5}-?[0-9]{7}-?[0-9]$")]
    private static partial System.Text.RegularExpressions.Regex Cnic();
}

/// <summary>
/// Free text may hold any script, but no control characters and no bidirectional overrides or isolates
/// (U+202A-U+202E, U+2066-U+2069), which can make a name or reference display as something it is not.
/// The plain marks U+200E and U+200F stay allowed: mixed Urdu and Latin text uses them. Longer prose
/// may also break lines and tab.
/// </summary>
public static class Text
{
    /// <summary><see cref="IsClean"/> as a regular expression (ECMA-262 and .NET), for the OpenAPI document.</summary>
    public const string CleanPattern = @"^[^\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$";

    /// <summary><see cref="IsCleanProse"/> as a regular expression: tab, line feed and carriage return allowed.</summary>
    public const string CleanProsePattern = @"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]*$";

    public static bool IsClean(string? text) => text is null || !text.Any(c => char.IsControl(c) || IsBidiOverride(c));

    public static bool IsCleanProse(string? text) =>
        text is null || !text.Any(c => (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || IsBidiOverride(c));

    private static bool IsBidiOverride(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
}
