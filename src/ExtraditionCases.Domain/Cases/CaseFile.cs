namespace ExtraditionCases.Domain.Cases;

public enum LegalBasis { Treaty, Convention, SpecialArrangement, StatutoryDirection }

public enum CaseCategory { Accusation, Conviction }

/// <summary>The cooperation areas our users report on; an offence without one counts as Other.</summary>
public enum OffenceCategory
{
    Terrorism, TerrorismFinancing, DrugTrafficking, HumanTrafficking, MigrantSmuggling,
    ChildSexualExploitation, MoneyLaundering, Fraud, Corruption, Homicide, Other,
}

public sealed record Person
{
    public string? FullName { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public DateOnly? DateOfBirth { get; init; }
    public string? PlaceOfBirth { get; init; }
    public string? Nationality { get; init; }

    /// <summary>Every name in every script: the name as written, its transliterations, aliases.</summary>
    public IReadOnlyList<PersonName> Names { get; init; } = [];

    public IReadOnlyList<IdentityDocument> IdentityDocuments { get; init; } = [];
    public Location? LastKnownLocation { get; init; }

    /// <summary>The requested state's fact: only its officers record it.</summary>
    public Custody? Custody { get; init; }
}

public sealed record Offence
{
    public string? Description { get; init; }
    public string? Statute { get; init; }
    public OffenceCategory Category { get; init; } = OffenceCategory.Other;
    public int? MaxPenaltyMonths { get; init; }

    /// <summary>
    /// Whether the offence carries the death penalty: stated true or false, never defaulted, since the
    /// s.94 guard rests on it. Null only for offences stored before the rule, until an officer states it.
    /// </summary>
    public bool? DeathPenalty { get; init; }

    /// <summary>What the person is said to have done, as the request describes it (the dual-criminality test reads it).</summary>
    public string? Conduct { get; init; }
    public string? Place { get; init; }
    public DateOnly? CommittedFrom { get; init; }
    public DateOnly? CommittedTo { get; init; }
}

public sealed record Warrant
{
    public string? Reference { get; init; }
    public string? IssuedBy { get; init; }
    public DateOnly? IssuedOn { get; init; }
}

public sealed record Conviction
{
    public string? Court { get; init; }
    public DateOnly? ConvictedOn { get; init; }
    public int? SentenceMonths { get; init; }
    public int? RemainingMonths { get; init; }
}

/// <summary>
/// What the requesting state sent and the requested state holds: the editable part of a case.
/// A draft may be incomplete; <see cref="MissingForSubmission"/> says what Submit still needs.
/// </summary>
public sealed record CaseFile
{
    public required string RequestingState { get; init; }
    public required string RequestedState { get; init; }
    public LegalBasis Basis { get; init; }
    public CaseCategory Category { get; init; }
    public string? RequestingAuthority { get; init; }
    public required Person Person { get; init; }
    public IReadOnlyList<Offence> Offences { get; init; } = [];
    public Warrant? Warrant { get; init; }
    public Conviction? Conviction { get; init; }
    public IReadOnlyList<Assurance> Assurances { get; init; } = [];

    // The requested state's process: its officers alone record these (see RequestedStateFactsChanged).
    public IReadOnlyList<DomesticWarrant> DomesticWarrants { get; init; } = [];
    public IReadOnlyList<Hearing> Hearings { get; init; } = [];
    public IReadOnlyList<DomesticProceeding> DomesticProceedings { get; init; } = [];
    public SurrenderArrangements? Surrender { get; init; }

    /// <summary>
    /// The members of this file that record the requested state's own process and differ in
    /// <paramref name="other"/>: custody, domestic warrants, hearings, parallel domestic charges or
    /// sentences, surrender arrangements. Only the requested state's officers may change them.
    /// </summary>
    public IReadOnlyList<string> RequestedStateFactsChanged(CaseFile other)
    {
        var changed = new List<string>();
        if (Person.Custody != other.Person.Custody) changed.Add("person.custody");
        if (!DomesticWarrants.SequenceEqual(other.DomesticWarrants)) changed.Add("domesticWarrants");
        if (!Hearings.SequenceEqual(other.Hearings)) changed.Add("hearings");
        if (!DomesticProceedings.SequenceEqual(other.DomesticProceedings)) changed.Add("domesticProceedings");
        if (Surrender != other.Surrender) changed.Add("surrender");
        return changed;
    }

    public bool AnyOffenceCarriesDeathPenalty => Offences.Any(o => o.DeathPenalty == true);

    /// <summary>
    /// The spec's "case file complete" rule (checked at Submit, Certify, ReceiveFullRequest and
    /// OrderExtradition, and by edits after submission), as the list of what is still missing.
    /// </summary>
    public IReadOnlyList<string> MissingForSubmission()
    {
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(Person.FullName)) missing.Add("person.fullName");
        if (Person.DateOfBirth is null) missing.Add("person.dateOfBirth");
        if (string.IsNullOrWhiteSpace(Person.Nationality)) missing.Add("person.nationality");
        if (!Offences.Any(o => !string.IsNullOrWhiteSpace(o.Description)
                               && !string.IsNullOrWhiteSpace(o.Statute)
                               && o.MaxPenaltyMonths is not null))
        {
            missing.Add("offences (one with description, statute and maxPenaltyMonths)");
        }

        // s.94 rests on every offence: one whose death penalty is unstated leaves the file incomplete.
        for (var i = 0; i < Offences.Count; i++)
        {
            if (Offences[i].DeathPenalty is null) missing.Add($"offences[{i}].deathPenalty");
        }

        if (Category == CaseCategory.Accusation
            && (Warrant is null || string.IsNullOrWhiteSpace(Warrant.Reference)
                || string.IsNullOrWhiteSpace(Warrant.IssuedBy) || Warrant.IssuedOn is null))
        {
            missing.Add("warrant (reference, issuedBy, issuedOn)");
        }

        if (Category == CaseCategory.Conviction
            && (Conviction is null || string.IsNullOrWhiteSpace(Conviction.Court) || Conviction.ConvictedOn is null
                || Conviction.SentenceMonths is null || Conviction.RemainingMonths is null))
        {
            missing.Add("conviction (court, convictedOn, sentenceMonths, remainingMonths)");
        }

        return missing;
    }
}
