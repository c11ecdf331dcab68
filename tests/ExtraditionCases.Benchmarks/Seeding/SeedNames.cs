using ExtraditionCases.Application.Features.Cases;

namespace ExtraditionCases.Benchmarks.Seeding;

/// <summary>
/// People for the scale seed (issue 14's search benchmark): names drawn with Zipf weights from pools of common
/// Pakistani given, middle and family names, each with its Urdu spelling and its usual Latin transliterations, so that names
/// repeat across cases as common names do (about 20,000 distinct full names, "Muhammad" and "Khan" in many of
/// them); an Urdu primary name with a Latin transliteration and a variant spelling, or a Latin primary name with
/// an Urdu transliteration; an alias for most; a passport number, and a CNIC for Pakistani nationals.
/// </summary>
internal static class SeedNames
{
    /// <summary>Urdu, then Latin spellings (the first the common one, the rest variants the search table joins).</summary>
    private static readonly (string Urdu, string[] Latin)[] Given =
    [
        ("محمد", ["Muhammad", "Mohammad", "Mohammed"]), ("احمد", ["Ahmad", "Ahmed"]), ("علی", ["Ali"]), ("عمران", ["Imran", "Imraan"]),
        ("ظفر", ["Zafar", "Zaffar"]), ("حسن", ["Hassan", "Hasan"]), ("حسین", ["Hussain", "Hussein"]), ("عمر", ["Umar", "Omar"]),
        ("عثمان", ["Usman", "Osman"]), ("طارق", ["Tariq", "Tarik"]), ("خالد", ["Khalid", "Khaled"]), ("رشید", ["Rashid", "Rasheed"]),
        ("جاوید", ["Javed", "Javaid"]), ("یوسف", ["Yusuf", "Yousuf"]), ("ابراہیم", ["Ibrahim", "Ebrahim"]), ("مصطفی", ["Mustafa", "Mostafa"]),
        ("فاطمہ", ["Fatima", "Fatimah"]), ("عائشہ", ["Aisha", "Ayesha"]), ("زینب", ["Zainab"]), ("سعید", ["Saeed"]), ("نوید", ["Naveed"]),
        ("شاہد", ["Shahid"]), ("آصف", ["Asif"]), ("فیصل", ["Faisal"]), ("کامران", ["Kamran"]), ("وسیم", ["Waseem"]), ("ندیم", ["Nadeem"]),
        ("سلمان", ["Salman"]), ("بلال", ["Bilal"]), ("حمزہ", ["Hamza"]),
    ];

    private static readonly (string Urdu, string[] Latin)[] Middle =
    [
        ("اقبال", ["Iqbal", "Iqbaal"]), ("اختر", ["Akhtar"]), ("جمیل", ["Jameel"]), ("رحمان", ["Rehman", "Rahman"]), ("عبدال", ["Abdul", "Abdool"]),
        ("نواز", ["Nawaz"]), ("اشرف", ["Ashraf"]), ("اسلم", ["Aslam"]), ("اکرم", ["Akram"]), ("انور", ["Anwar"]), ("ارشد", ["Arshad"]),
        ("شریف", ["Sharif"]), ("لطیف", ["Latif"]), ("مجید", ["Majeed"]), ("حمید", ["Hameed"]), ("رفیق", ["Rafiq"]), ("صدیق", ["Siddiq"]),
        ("یونس", ["Younis"]), ("ادریس", ["Idrees"]), ("الیاس", ["Ilyas"]), ("اعجاز", ["Ijaz"]), ("ریاض", ["Riaz"]), ("فاروق", ["Farooq"]),
        ("منیر", ["Munir"]), ("نذیر", ["Nazir"]), ("بشیر", ["Bashir"]), ("قادر", ["Qadir"]), ("صابر", ["Sabir"]), ("ناصر", ["Nasir"]),
        ("ظہیر", ["Zaheer"]), ("امین", ["Amin"]), ("کریم", ["Karim"]), ("حفیظ", ["Hafeez"]), ("عزیز", ["Aziz"]), ("غفور", ["Ghafoor"]),
    ];

    private static readonly (string Urdu, string[] Latin)[] Family =
    [
        ("چوہدری", ["Chaudhry", "Chaudhary", "Choudhry"]), ("قریشی", ["Qureshi", "Qurashi"]), ("خان", ["Khan"]), ("شیخ", ["Shaikh", "Sheikh"]),
        ("صدیقی", ["Siddiqui", "Siddiqi"]), ("ملک", ["Malik"]), ("بٹ", ["Butt"]), ("راجپوت", ["Rajput"]), ("اعوان", ["Awan"]), ("مرزا", ["Mirza"]),
        ("ہاشمی", ["Hashmi"]), ("گیلانی", ["Gilani"]), ("نقوی", ["Naqvi"]), ("رضوی", ["Rizvi"]), ("انصاری", ["Ansari"]), ("سید", ["Syed"]),
        ("بخاری", ["Bukhari"]), ("چیمہ", ["Cheema"]), ("وڑائچ", ["Warraich"]), ("گوندل", ["Gondal"]),
    ];

    public sealed record Person(string FullName, List<PersonNameInput> Names, List<string> Aliases, List<IdentityDocumentInput> Documents);

    // Names are not equally common: each pool is drawn with Zipf weights (the name of rank k weighs 1/k), the
    // pools listed most common first. So "Muhammad" is the given name of about 25% of the people, "Chaudhry" and
    // "Qureshi" the family names of about 28% and 14%, and a rare name about 1%: "Muhammad Chaudhry" is on about 7% of
    // cases, the worst case a search meets (SearchQueries.CommonName), while most whole names are rare.
    private static readonly double[] GivenWeights = Zipf(Given.Length), MiddleWeights = Zipf(Middle.Length), FamilyWeights = Zipf(Family.Length);

    private static double[] Zipf(int n)
    {
        var weights = Enumerable.Range(1, n).Select(k => 1.0 / k).ToArray();
        var total = weights.Sum();
        var cumulative = 0.0;
        return [.. weights.Select(w => cumulative += w / total)];
    }

    private static T Pick<T>(T[] pool, double[] cumulative, Random random)
    {
        var x = random.NextDouble();
        var i = Array.FindIndex(cumulative, c => x < c);
        return pool[i < 0 ? pool.Length - 1 : i];
    }

    public static Person For(int index, Random random, string nationality)
    {
        var given = Pick(Given, GivenWeights, random);
        var middle = Pick(Middle, MiddleWeights, random);
        var family = Pick(Family, FamilyWeights, random);
        string Latin((string Urdu, string[] Latin) part, bool variant) => variant ? part.Latin[random.Next(part.Latin.Length)] : part.Latin[0];
        var urdu = $"{given.Urdu} {middle.Urdu} {family.Urdu}";
        var latin = $"{Latin(given, false)} {Latin(middle, false)} {Latin(family, false)}";
        var variant = $"{Latin(given, true)} {Latin(middle, true)} {Latin(family, true)}";
        var urduPrimary = random.NextDouble() < 0.6;
        var names = urduPrimary
            ? new List<PersonNameInput>
            {
                new() { Text = urdu, Script = "Arab", Language = "ur", Kind = "Primary" },
                new() { Text = latin, Script = "Latn", Language = "ur-Latn", Kind = "Transliteration" },
                new() { Text = variant, Script = "Latn", Language = "en", Kind = "Transliteration" },
            }
            : new List<PersonNameInput>
            {
                new() { Text = latin, Script = "Latn", Language = "en", Kind = "Primary" },
                new() { Text = urdu, Script = "Arab", Language = "ur", Kind = "Transliteration" },
            };
        // An alias on 70% of people: the given and family names alone (60%), or a nickname, "<middle name> Bhai" (10%;
        // it was on half the cases, far more than any nickname is).
        var aliasDraw = random.NextDouble();
        List<string> aliases = aliasDraw < 0.6 ? [$"{Latin(given, true)} {Latin(family, true)}"] : aliasDraw < 0.7 ? [$"{Latin(middle, false)} Bhai"] : [];
        var documents = new List<IdentityDocumentInput>
        {
            new() { Kind = "Passport", Number = $"{(char)('A' + (index % 26))}{(char)('A' + (index / 26 % 26))}{index:D7}", IssuingCountry = nationality },
        };
        if (nationality == "PK")
            documents.Add(new() { Kind = "NationalIdentityCard", Number = $"{35200 + (index % 100):D5}-{index:D7}-{index % 10}", IssuingCountry = "PK" });
        return new Person(urduPrimary ? urdu : latin, names, aliases, documents);
    }
}
