using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Documents;

/// <summary>One document the law or practice expects at a stage (configuration <c>Documents:Checklists:&lt;requested state&gt;:&lt;trigger&gt;</c>).</summary>
public sealed class ChecklistItemOptions
{
    /// <summary>How the item is named in the checklist and in a 422's unmet guards.</summary>
    public string Name { get; set; } = "";

    /// <summary>A current (not superseded, not private) document of any of these kinds satisfies the item.</summary>
    public string[] Kinds { get; set; } = [];

    /// <summary>For an Assurance: the kind of assurance it must be.</summary>
    public string? AssuranceKind { get; set; }

    /// <summary>When the item applies: Always, Accusation, Conviction, or DeathPenalty (any offence carries it).</summary>
    public string When { get; set; } = "Always";

    /// <summary>Instead of kinds: every current document not in this language has a current Translation into it.</summary>
    public string? TranslationsInto { get; set; }
}

/// <summary>A stored document as the checklist reads it (property-mapped: SQLite hands back text where SQL Server has typed columns).</summary>
public sealed record ChecklistDocument
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public string? Title { get; init; }
    public string? Language { get; init; }
    public Guid? TranslationOf { get; init; }
    public string? AssuranceKind { get; init; }
    public Guid? Supersedes { get; init; }
}

public sealed record ChecklistEntry(string Name, bool Present, IReadOnlyList<Guid> Documents, IReadOnlyList<string> Missing);

public sealed record StageChecklist(WorkflowTrigger Trigger, bool Next, IReadOnlyList<ChecklistEntry> Items, IReadOnlyList<string> Missing);

/// <summary>What a stage still lacks, as the case view shows it for the stages the case may take next.</summary>
public sealed record StageMissing(WorkflowTrigger Trigger, IReadOnlyList<string> Missing);

/// <summary>
/// The per-stage document checklist: for each configured trigger, the documents expected, which are on
/// file and which are missing. Rules per requested state; a requested state without rules of its own
/// is held to the GB defaults (as for clocks). Only the shared register counts: a private document is
/// one state's, and a guard that one state cannot see would be a guard it cannot meet.
/// </summary>
public static class Checklist
{
    public const string DefaultState = "GB";

    private static ChecklistItemOptions Kind(string name, params string[] kinds) => new() { Name = name, Kinds = kinds };

    private static readonly ChecklistItemOptions Request = Kind("Request", "Request");
    private static readonly ChecklistItemOptions WarrantOrConviction = Kind("ForeignWarrant or ConvictionRecord", "ForeignWarrant", "ConvictionRecord");
    private static readonly ChecklistItemOptions EnglishTranslations = new() { Name = "English translations", TranslationsInto = "en" };
    private static readonly ChecklistItemOptions Certificate = Kind("Section70Certificate", "Section70Certificate");

    /// <summary>GB practice (Extradition Act 2003): the request and warrant in English at submission and certification (s.70),
    /// a death-penalty assurance before the order (s.94), the order before surrender (s.93).</summary>
    public static Dictionary<string, Dictionary<string, ChecklistItemOptions[]>> Defaults() => new(StringComparer.Ordinal)
    {
        [DefaultState] = new(StringComparer.Ordinal)
        {
            [nameof(WorkflowTrigger.Submit)] = [Request, WarrantOrConviction, EnglishTranslations],
            [nameof(WorkflowTrigger.Certify)] = [Request, WarrantOrConviction, EnglishTranslations],
            [nameof(WorkflowTrigger.ReceiveFullRequest)] = [Request, WarrantOrConviction, Certificate, EnglishTranslations],
            [nameof(WorkflowTrigger.OrderExtradition)] =
            [
                Certificate,
                new() { Name = "Assurance (DeathPenalty)", Kinds = ["Assurance"], AssuranceKind = nameof(AssuranceKind.DeathPenalty), When = "DeathPenalty" },
                EnglishTranslations,
            ],
            [nameof(WorkflowTrigger.ArrangeSurrender)] = [Kind("ExecutiveOrder", "ExecutiveOrder")],
        },
    };

    /// <summary>The stages with rules for this case's requested state, in the order of the workflow's triggers.</summary>
    public static IReadOnlyList<StageChecklist> For(
        DocumentOptions options, ExtraditionCase c, IReadOnlyList<ChecklistDocument> documents, WorkflowTrigger? only = null)
    {
        var rules = RulesFor(options, c.File.RequestedState);
        var superseded = documents.Where(d => d.Supersedes is not null).Select(d => d.Supersedes!.Value).ToHashSet();
        var current = documents.Where(d => !superseded.Contains(d.Id)).ToList();
        var stages = new List<StageChecklist>();
        foreach (var trigger in Enum.GetValues<WorkflowTrigger>())
        {
            if (only is not null && trigger != only) continue;
            if (!rules.TryGetValue(trigger.ToString(), out var items)) continue;
            var entries = items.Where(i => Applies(i, c.File)).Select(i => Evaluate(i, current)).ToList();
            stages.Add(new StageChecklist(trigger, c.PermittedTriggers.Contains(trigger), entries, [.. entries.SelectMany(e => e.Missing)]));
        }

        return stages;
    }

    public static IReadOnlyDictionary<string, ChecklistItemOptions[]> RulesFor(DocumentOptions options, string requestedState) =>
        options.Checklists.TryGetValue(requestedState, out var own) ? own
        : options.Checklists.TryGetValue(DefaultState, out var gb) ? gb
        : Defaults()[DefaultState];

    private static bool Applies(ChecklistItemOptions item, CaseFile file) => item.When switch
    {
        "Accusation" => file.Category == CaseCategory.Accusation,
        "Conviction" => file.Category == CaseCategory.Conviction,
        "DeathPenalty" => file.AnyOffenceCarriesDeathPenalty,
        _ => true,
    };

    private static ChecklistEntry Evaluate(ChecklistItemOptions item, IReadOnlyList<ChecklistDocument> current)
    {
        if (item.TranslationsInto is { } language)
        {
            var untranslated = current
                .Where(d => d.Kind != nameof(DocumentKind.Translation) && !InLanguage(d.Language, language))
                .Where(d => !current.Any(t => t.Kind == nameof(DocumentKind.Translation) && t.TranslationOf == d.Id && InLanguage(t.Language, language)))
                .ToList();
            var translations = current.Where(t => t.Kind == nameof(DocumentKind.Translation) && InLanguage(t.Language, language)).Select(t => t.Id).ToList();
            return new ChecklistEntry(item.Name, untranslated.Count == 0, translations,
                [.. untranslated.Select(d => $"a Translation into '{language}' of document {d.Id:D} ({d.Title})")]);
        }

        var matching = current
            .Where(d => item.Kinds.Contains(d.Kind, StringComparer.Ordinal) && (item.AssuranceKind is null || d.AssuranceKind == item.AssuranceKind))
            .Select(d => d.Id).ToList();
        return new ChecklistEntry(item.Name, matching.Count > 0, matching, matching.Count > 0 ? [] : [item.Name]);
    }

    /// <summary>BCP 47: "en", "en-GB" and "EN" are English; "eng" is not a tag for it.</summary>
    private static bool InLanguage(string? tag, string language) =>
        tag is not null && (tag.Equals(language, StringComparison.OrdinalIgnoreCase) || tag.StartsWith(language + "-", StringComparison.OrdinalIgnoreCase));
}
