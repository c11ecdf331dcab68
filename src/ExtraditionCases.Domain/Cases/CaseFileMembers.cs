namespace ExtraditionCases.Domain.Cases;

/// <summary>How a name of the person relates to the others: the name as written, a transliteration of it, or an alias.</summary>
public enum NameKind { Primary, Transliteration, Alias }

/// <summary>
/// One name of the person in one script: Urdu, Arabic, Cyrillic or Latin names are matched across
/// scripts by their transliterations, so each is recorded with its ISO 15924 script code.
/// </summary>
public sealed record PersonName
{
    public string? Text { get; init; }

    /// <summary>ISO 15924 code, for example Arab, Latn, Cyrl, Deva, Hans.</summary>
    public string? Script { get; init; }

    /// <summary>BCP 47 language tag, where known.</summary>
    public string? Language { get; init; }

    public NameKind Kind { get; init; } = NameKind.Primary;
}

public enum IdentityDocumentKind { Passport, NationalIdentityCard, DrivingLicence, Other }

public sealed record IdentityDocument
{
    public IdentityDocumentKind Kind { get; init; }
    public string? Number { get; init; }
    public string? IssuingCountry { get; init; }
    public DateOnly? ExpiresOn { get; init; }
}

public sealed record Location
{
    public string? Place { get; init; }
    public string? Country { get; init; }
    public DateOnly? AsOf { get; init; }
}

public enum CustodyStatus { AtLarge, ProvisionallyArrested, InCustody, OnBail, Unknown }

/// <summary>Where the person is held, or that they are not: a fact of the requested state's process.</summary>
public sealed record Custody
{
    public CustodyStatus Status { get; init; } = CustodyStatus.Unknown;
    public DateOnly? Since { get; init; }
    public string? Place { get; init; }
}

/// <summary>The requested state's own warrants: s.71 (after certification) and s.73 (provisional).</summary>
public enum DomesticWarrantKind { Section71, Section73, Other }

public sealed record DomesticWarrant
{
    public DomesticWarrantKind Kind { get; init; }
    public string? Reference { get; init; }
    public string? IssuedBy { get; init; }
    public DateOnly? IssuedOn { get; init; }
}

public enum AssuranceKind { DeathPenalty, Speciality, Other }

/// <summary>An assurance the requesting state gave (s.94 death penalty, s.95 speciality).</summary>
public sealed record Assurance
{
    public AssuranceKind Kind { get; init; }
    public string? Reference { get; init; }
    public DateOnly? GivenOn { get; init; }
    public string? GivenBy { get; init; }
}

public sealed record Hearing
{
    public string? Court { get; init; }
    public DateTimeOffset? At { get; init; }
    public string? Purpose { get; init; }
    public string? Outcome { get; init; }
}

public enum DomesticProceedingKind { Charge, Sentence }

/// <summary>A charge or sentence of the requested state's own that may defer the case (ss.88-89, 97-98, 118A-B).</summary>
public sealed record DomesticProceeding
{
    public DomesticProceedingKind Kind { get; init; }
    public string? Description { get; init; }
    public string? Court { get; init; }
    public string? Reference { get; init; }
    public DateOnly? Since { get; init; }
}

public sealed record SurrenderArrangements
{
    public DateTimeOffset? ScheduledFor { get; init; }
    public string? Place { get; init; }
    public string? Escort { get; init; }
}
