using System.Text.Json.Nodes;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// People the search issue will look for: one person per entry, named in several scripts, with
/// transliterations that differ the way real ones do (Mohammad, Muhammad, Mohammed), aliases, and
/// identity document numbers written with and without separators; and people whose names are close
/// to another's but are different names, which search must keep apart (Rajesh and Rakesh, Zafar Iqbal
/// Chaudhry and Zafar Iqbal Qureshi). The last entry is the same person as the Zafar Iqbal
/// Chaudhry sought by a third state, whose case a Pakistani officer may not see.
/// </summary>
public static class SearchFixture
{
    public sealed record Name(string Text, string Script, string? Language, string Kind);

    public sealed record IdDocument(string Kind, string Number, string IssuingCountry);

    public sealed record Entry(string Requesting, string Requested, string FullName, IReadOnlyList<Name> Names, IReadOnlyList<IdDocument> Documents);

    public static readonly IReadOnlyList<Entry> People =
    [
        new("PK", "GB", "محمد عمران خان",
        [
            new("محمد عمران خان", "Arab", "ur", "Primary"),
            new("Muhammad Imran Khan", "Latn", "ur-Latn", "Transliteration"),
            new("Mohammad Imran Khan", "Latn", "en", "Transliteration"),
            new("Imran Bhai", "Latn", null, "Alias"),
        ],
        [new("NationalIdentityCard", "35202-1234567-1", "PK"), new("Passport", "AB1234567", "PK")]),
        new("PK", "GB", "عائشہ بی بی",
        [
            new("عائشہ بی بی", "Arab", "ur", "Primary"),
            new("Ayesha Bibi", "Latn", "ur-Latn", "Transliteration"),
            new("Aisha Bibi", "Latn", "en", "Transliteration"),
        ],
        [new("NationalIdentityCard", "4210112345671", "PK")]),
        new("GB", "PK", "John O'Neill",
        [
            new("John O'Neill", "Latn", "en", "Primary"),
            new("جان او نیل", "Arab", "ur", "Transliteration"),
            new("Johnny Neill", "Latn", "en", "Alias"),
        ],
        [new("Passport", "533380006", "GB"), new("DrivingLicence", "ONEIL801209J99AB", "GB")]),
        new("PK", "GB", "Дмитрий Иванов",
        [
            new("Дмитрий Иванов", "Cyrl", "ru", "Primary"),
            new("Dmitry Ivanov", "Latn", "ru-Latn", "Transliteration"),
            new("Dmitrii Ivanov", "Latn", "ru-Latn", "Transliteration"),
            new("دیمتری ایوانوف", "Arab", "ur", "Transliteration"),
        ],
        [new("Passport", "75 1234567", "RU")]),
        new("PK", "GB", "राजेश कुमार",
        [
            new("राजेश कुमार", "Deva", "hi", "Primary"),
            new("Rajesh Kumar", "Latn", "hi-Latn", "Transliteration"),
            new("راجیش کمار", "Arab", "ur", "Transliteration"),
        ],
        [new("Passport", "K1234567", "IN"), new("Other", "AADHAAR 1234 5678 9012", "IN")]),
        new("PK", "GB", "王伟",
        [
            new("王伟", "Hans", "zh", "Primary"),
            new("Wang Wei", "Latn", "zh-Latn", "Transliteration"),
            new("وانگ وے", "Arab", "ur", "Transliteration"),
        ],
        [new("Passport", "E12345678", "CN")]),
        new("PK", "GB", "ظفر اقبال چوہدری",
        [
            new("ظفر اقبال چوہدری", "Arab", "ur", "Primary"),
            new("Mohd. Zafar Iqbal Choudhry", "Latn", "ur-Latn", "Transliteration"),
            new("Zafar Iqbal Chaudhry", "Latn", "en", "Alias"),
        ],
        [new("NationalIdentityCard", "61101-7654321-3", "PK"), new("Passport", "AK7654321", "PK")]),
        new("PK", "GB", "ظفر اقبال قریشی",
        [
            new("ظفر اقبال قریشی", "Arab", "ur", "Primary"),
            new("Zafar Iqbal Qureshi", "Latn", "ur-Latn", "Transliteration"),
        ],
        [new("NationalIdentityCard", "61101-1111111-9", "PK")]),
        new("PK", "GB", "राकेश कुमार",
        [
            new("राकेश कुमार", "Deva", "hi", "Primary"),
            new("Rakesh Kumar", "Latn", "hi-Latn", "Transliteration"),
        ],
        [new("Passport", "K7654321", "IN")]),
        new("GB", "PK", "فاطمة الزهراء يوسف",
        [
            new("فاطمة الزهراء يوسف", "Arab", "ar", "Primary"),
            new("Fatimah Al-Zahra Yousef", "Latn", "ar-Latn", "Transliteration"),
        ],
        [new("Passport", "N0012345", "JO")]),
        new("AE", "GB", "Zafar Iqbal Chaudhary",
        [
            new("Zafar Iqbal Chaudhary", "Latn", "en", "Primary"),
            new("ظفر إقبال شودري", "Arab", "ar", "Transliteration"),
        ],
        [new("Passport", "AK7654321", "PK")]),
    ];

    /// <summary>A case file for the entry, as a filing body.</summary>
    public static JsonObject CaseFor(Entry entry)
    {
        var body = Cases.NewCase(entry.Requesting, entry.Requested, entry.FullName);
        var person = body["person"]!.AsObject();
        person["names"] = new JsonArray([.. entry.Names.Select(n => (JsonNode)new JsonObject
        {
            ["text"] = n.Text, ["script"] = n.Script, ["language"] = n.Language, ["kind"] = n.Kind,
        })]);
        person["identityDocuments"] = new JsonArray([.. entry.Documents.Select(d => (JsonNode)new JsonObject
        {
            ["kind"] = d.Kind, ["number"] = d.Number, ["issuingCountry"] = d.IssuingCountry,
        })]);
        person["aliases"] = new JsonArray([.. entry.Names.Where(n => n.Kind == "Alias").Select(n => (JsonNode)n.Text)]);
        return body;
    }
}
