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
        },
        Offences = [.. (Offences ?? []).Select(o => new Offence
        {
            Description = o.Description,
            Statute = o.Statute,
            Category = o.Category is null ? OffenceCategory.Other : Enum.Parse<OffenceCategory>(o.Category),
            MaxPenaltyMonths = o.MaxPenaltyMonths,
            DeathPenalty = o.DeathPenalty,
        })],
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
        },
        Offences = [.. file.Offences.Select(o => new OffenceInput
        {
            Description = o.Description, Statute = o.Statute, Category = o.Category.ToString(),
            MaxPenaltyMonths = o.MaxPenaltyMonths, DeathPenalty = o.DeathPenalty,
        })],
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
        });

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
