using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Validation;

/// <summary>The rules every case file must meet, draft or not, checked on the validator itself.</summary>
public sealed class CaseFileInputValidatorTests
{
    private static readonly CaseFileInputValidator Validator = new(new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero)));

    private static CaseFileInput Valid() => new()
    {
        RequestingState = "PK",
        RequestedState = "GB",
        Basis = "Treaty",
        Category = "Accusation",
        ReceivedAt = "2026-08-01T09:30:00Z",
        Person = new PersonInput { FullName = Cases.UrduName, Aliases = ["Mohsin Ali"], DateOfBirth = "1980-02-29", Nationality = "PK" },
        Offences = [new OffenceInput { Description = "Money laundering", Statute = "AMLA 2010 s.3", Category = "MoneyLaundering", MaxPenaltyMonths = 120, DeathPenalty = false }],
        Warrant = new WarrantInput { Reference = "ATC-17", IssuedBy = "ATC Islamabad", IssuedOn = "2026-01-15" },
    };

    private static IEnumerable<string> Failing(CaseFileInput input) =>
        Validator.Validate(input).Errors.Select(e => e.PropertyName).Distinct();

    [Test]
    public void A_complete_case_file_passes() => Assert.That(Validator.Validate(Valid()).IsValid, Is.True);

    [Test]
    public void A_draft_with_only_states_basis_category_and_a_name_passes() =>
        Assert.That(Validator.Validate(new CaseFileInput
        {
            RequestingState = "PK", RequestedState = "GB", Basis = "SpecialArrangement", Category = "Conviction",
            Person = new PersonInput { FullName = Cases.ArabicName },
        }).IsValid, Is.True);

    private static IEnumerable<TestCaseData> Breakages()
    {
        yield return new TestCaseData(Valid() with { RequestingState = "pk" }, "RequestingState").SetName("lower-case country code");
        yield return new TestCaseData(Valid() with { RequestedState = "XX" }, "RequestedState").SetName("unassigned country code");
        yield return new TestCaseData(Valid() with { RequestedState = "PK" }, "RequestedState").SetName("the same state on both sides");
        yield return new TestCaseData(Valid() with { Basis = "Friendship" }, "Basis").SetName("unknown basis");
        yield return new TestCaseData(Valid() with { Category = null }, "Category").SetName("missing category");
        yield return new TestCaseData(Valid() with { ReceivedAt = "2026-12-01T00:00:00Z" }, "ReceivedAt").SetName("received in the future");
        yield return new TestCaseData(Valid() with { ReceivedAt = "1 August" }, "ReceivedAt").SetName("received date in words");
        yield return new TestCaseData(Valid() with { Person = Valid().Person! with { FullName = "   " } }, "person.fullName").SetName("blank name");
        yield return new TestCaseData(Valid() with { Person = Valid().Person! with { FullName = new string('ع', 301) } }, "person.fullName").SetName("name over 300");
        yield return new TestCaseData(Valid() with { Person = Valid().Person! with { DateOfBirth = "2027-01-01" } }, "person.dateOfBirth").SetName("born in the future");
        yield return new TestCaseData(Valid() with { Person = Valid().Person! with { Nationality = "Pakistani" } }, "person.nationality").SetName("nationality not a code");
        yield return new TestCaseData(Valid() with { Person = Valid().Person! with { FullName = "Ali\u202Eila" } }, "person.fullName").SetName("bidi override in a name");
        yield return new TestCaseData(Valid() with { Offences = [.. Enumerable.Range(0, 51).Select(_ => new OffenceInput())] }, "Offences").SetName("51 offences");
        yield return new TestCaseData(Valid() with { Offences = [new OffenceInput { Category = "Jaywalking" }] }, "Offences[0].Category").SetName("unknown offence category");
        yield return new TestCaseData(Valid() with { Offences = [new OffenceInput { MaxPenaltyMonths = -1 }] }, "Offences[0].MaxPenaltyMonths").SetName("negative penalty");
        yield return new TestCaseData(Valid() with { Conviction = new ConvictionInput { Court = "X" } }, "Conviction").SetName("an accusation with conviction details");
        yield return new TestCaseData(Valid() with { Category = "Conviction" }, "Warrant").SetName("a conviction with a warrant");
        yield return new TestCaseData(Valid() with { Warrant = Valid().Warrant! with { IssuedOn = "15/01/2026" } }, "Warrant.IssuedOn").SetName("warrant date in another form");
    }

    [TestCaseSource(nameof(Breakages))]
    public void Each_rule_names_the_member_it_refuses(CaseFileInput input, string member) =>
        Assert.That(Failing(input), Has.Some.EqualTo(member).IgnoreCase);
}
