using System.Globalization;
using System.Text;

namespace ExtraditionCases.Application.Features.Search;

/// <summary>
/// How names and references become search tokens, the same way for what is indexed and what is asked:
/// NFKC; case folding; diacritics of Latin, Greek and Cyrillic letters removed; Arabic-script letters
/// folded (ي/ی/ې/ى, ك/ک, ه/ہ/ۀ/ە/ة, أ/إ/آ/ٱ to ا, ؤ to و, ئ to ي), tatweel, harakat and zero-width joiners
/// removed, Arabic-Indic digits read as ASCII digits; apostrophes dropped inside a word (O'Neill is
/// "oneill"), anything else that is not a letter, digit or combining mark separates words; then each Latin
/// word mapped through <see cref="Variants"/>, so recorded spellings of one name meet on one token.
/// No phonetic key: two different names never share a token unless the table says they are one name.
/// </summary>
public static class SearchText
{
    /// <summary>
    /// Bumped whenever the rules above or the table change: the start-up step re-indexes every case
    /// indexed under an older version.
    /// </summary>
    public const int Version = 1;

    /// <summary>Longest token kept; longer runs are cut (an index key has a bounded width).</summary>
    public const int MaxTokenLength = 64;

    /// <summary>
    /// Latin transliteration variants of the same name, each group's first spelling its canonical token.
    /// Only spellings that are the same name in the source script belong together (Muhammad/Mohammed are
    /// one Arabic name, محمد); similar-sounding different names (Rajesh/Rakesh, Imran/Imraan is one,
    /// Hamid/Hamed is not listed) stay apart. Extend by adding a group, and bump <see cref="Version"/>.
    /// </summary>
    public static readonly IReadOnlyList<IReadOnlyList<string>> VariantGroups =
    [
        ["muhammad", "mohammad", "mohammed", "muhammed", "mohamed", "mohamad", "muhamad", "muhamed", "mohd", "muhd", "mohammod", "mahomed"],
        ["chaudhry", "chaudhary", "choudhry", "choudhary", "chaudhri", "chaudri", "chowdhury", "chowdhry", "chaudhari", "chodhry"],
        ["iqbal", "iqbaal", "ikbal"],
        ["ahmad", "ahmed", "ahmet"],
        ["hussain", "husain", "hussein", "husein", "hossain", "hosain"],
        ["hassan", "hasan"],
        ["aisha", "ayesha", "aysha", "aishah", "ayisha", "aesha"],
        ["fatima", "fatimah", "fatema"],
        ["yusuf", "yousuf", "yousaf", "yousef", "yusef", "yousif"],
        ["abdul", "abdool", "abdel", "abdal"],
        ["rahman", "rehman", "rahmaan", "rehmaan"],
        ["zafar", "zafer", "zaffar"],
        ["mustafa", "mostafa", "moustafa", "mustapha"],
        ["umar", "omar", "omer"],
        ["usman", "osman", "uthman", "othman"],
        ["usama", "osama"],
        ["qureshi", "qurashi", "quraishi", "kureshi"],
        ["siddiqui", "siddiqi", "siddique", "sidiqui"],
        ["shaikh", "sheikh", "shaykh", "sheik"],
        ["imran", "imraan"],
        ["ibrahim", "ebrahim", "ibraheem"],
        ["rashid", "rasheed"],
        ["khalid", "khaled"],
        ["javed", "javaid", "jawed"],
        ["tariq", "tarik", "tareq"],
        ["dmitry", "dmitrii", "dmitri", "dmitriy"],
    ];

    private static readonly Dictionary<string, string> Canonical = BuildCanonical();

    private static Dictionary<string, string> BuildCanonical()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var group in VariantGroups)
            foreach (var spelling in group)
                map.Add(spelling, group[0]); // Add, not indexer: a spelling in two groups is a mistake in the table.
        return map;
    }

    /// <summary>The distinct tokens of <paramref name="text"/>, in order of first appearance.</summary>
    public static IReadOnlyList<string> Tokens(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var folded = Fold(text);
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (var ch in folded)
        {
            if (IsWordChar(ch)) word.Append(ch);
            else if (!IsApostrophe(ch)) Flush();
        }

        Flush();
        return tokens;

        void Flush()
        {
            if (word.Length == 0) return;
            var token = word.ToString().Normalize(NormalizationForm.FormC);
            if (token.Length > MaxTokenLength) token = token[..MaxTokenLength];
            token = Canonical.GetValueOrDefault(token, token);
            if (!tokens.Contains(token, StringComparer.Ordinal)) tokens.Add(token);
            word.Clear();
        }
    }

    /// <summary>
    /// A number or reference as one token, whatever separators it was written with (35202-1234567-1 and
    /// 3520212345671 are one CNIC): its letters and digits run together. Null when shorter than four.
    /// </summary>
    public static string? Compact(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var sb = new StringBuilder();
        foreach (var ch in Fold(text))
        {
            if (IsWordChar(ch)) sb.Append(ch);
        }

        var compact = sb.ToString().Normalize(NormalizationForm.FormC);
        if (compact.Length > MaxTokenLength) compact = compact[..MaxTokenLength];
        return compact.Length >= 4 ? compact : null;
    }

    private static string Fold(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var baseChar = '\0';
        foreach (var ch in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(ch) == UnicodeCategory.NonSpacingMark)
            {
                // Arabic harakat (and the hamza/madda that NFD splits off أ إ آ ؤ ئ ۀ) and the accents of
                // European letters go; the vowel signs of Indic scripts are letters of the word and stay.
                if (IsArabicMark(ch) || baseChar < '\u0530') continue;
                sb.Append(ch);
                continue;
            }

            baseChar = ch;
            switch (ch)
            {
                case '\u0640': case '\u200C': case '\u200D': case '\u200E': case '\u200F': case '\u00AD': continue; // tatweel, joiners, marks, soft hyphen
                case '\u064A': case '\u06CC': case '\u06D0': case '\u0649': sb.Append('\u064A'); break; // ي ی ې ى
                case '\u0643': case '\u06A9': sb.Append('\u0643'); break; // ك ک
                case '\u0647': case '\u06C1': case '\u06C0': case '\u06D5': case '\u0629': case '\u06C2': sb.Append('\u0647'); break; // ه ہ ۀ ە ة
                case '\u0671': sb.Append('\u0627'); break; // ٱ (أ إ آ lose their marks above)
                case 'ß': sb.Append("ss"); break;
                case >= '\u0660' and <= '\u0669': sb.Append((char)('0' + (ch - '\u0660'))); break; // Arabic-Indic digits
                case >= '\u06F0' and <= '\u06F9': sb.Append((char)('0' + (ch - '\u06F0'))); break; // Extended (Urdu) digits
                default: sb.Append(ch); break;
            }
        }

        return sb.ToString();
    }

    private static bool IsArabicMark(char ch) => ch is (>= '\u064B' and <= '\u065F') or '\u0670' or (>= '\u06D6' and <= '\u06ED') or (>= '\u0610' and <= '\u061A');

    private static bool IsApostrophe(char ch) => ch is '\'' or '\u2019' or '\u02BC' or '\u2018' or '`';

    private static bool IsWordChar(char ch) => char.IsLetterOrDigit(ch) || CharUnicodeInfo.GetUnicodeCategory(ch) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
}
