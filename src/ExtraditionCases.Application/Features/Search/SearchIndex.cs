using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Search;

/// <summary>The kinds of field a search matches; each result names the field and the entry that matched.</summary>
public enum SearchField { Reference, IdentityDocument, Warrant, Certificate, Name, Statute }

/// <summary>
/// The search index of one case: one entry per searchable value (a name, a document number, a reference,
/// a statute), each with its tokens (<see cref="SearchText"/>). Entries from the case file are numbered
/// from 1 and rewritten whenever the file changes; entries from a transition's data (certificate and
/// warrant references) are numbered <see cref="EventEntryBase"/> + the event's sequence and stay.
/// The store writes them in the transaction that writes the case.
/// </summary>
public static partial class SearchIndex
{
    public const int EventEntryBase = 1_000_000;

    public sealed record Entry(int Number, SearchField Field, string Label, string Text, int Weight, IReadOnlyList<string> Tokens, string? Compact);

    /// <summary>The weight of a match on each field, before the bonus for naming every token of the entry.</summary>
    public static int WeightOf(SearchField field, NameKind? kind = null) => field switch
    {
        SearchField.Reference => 100,
        SearchField.IdentityDocument => 90,
        SearchField.Warrant or SearchField.Certificate => 80,
        SearchField.Name => kind switch { NameKind.Primary or null => 60, NameKind.Transliteration => 55, _ => 50 },
        _ => 20,
    };

    /// <summary>The entries of the case file and reference, without repeats of a name already indexed.</summary>
    public static IReadOnlyList<Entry> FileEntries(string reference, CaseFile file)
    {
        var entries = new List<Entry>();
        var seenNames = new HashSet<string>(StringComparer.Ordinal);
        Add(SearchField.Reference, "reference", reference, identifier: true);
        var person = file.Person;
        Name("person.fullName", person.FullName, NameKind.Primary);
        for (var i = 0; i < person.Names.Count; i++)
            Name($"person.names[{i}] ({person.Names[i].Kind}, {person.Names[i].Script})", person.Names[i].Text, person.Names[i].Kind);
        for (var i = 0; i < person.Aliases.Count; i++) Name($"person.aliases[{i}]", person.Aliases[i], NameKind.Alias);
        for (var i = 0; i < person.IdentityDocuments.Count; i++)
        {
            var d = person.IdentityDocuments[i];
            Add(SearchField.IdentityDocument, $"person.identityDocuments[{i}] ({d.Kind}, {d.IssuingCountry})", d.Number, identifier: true);
        }

        Add(SearchField.Warrant, "warrant.reference", file.Warrant?.Reference, identifier: true);
        for (var i = 0; i < file.DomesticWarrants.Count; i++)
            Add(SearchField.Warrant, $"domesticWarrants[{i}].reference ({file.DomesticWarrants[i].Kind})", file.DomesticWarrants[i].Reference, identifier: true);
        for (var i = 0; i < file.Offences.Count; i++) Add(SearchField.Statute, $"offences[{i}].statute", file.Offences[i].Statute, identifier: false);
        return entries;

        void Name(string label, string? text, NameKind kind)
        {
            var tokens = SearchText.Tokens(text);
            if (tokens.Count == 0 || !seenNames.Add(string.Join(' ', tokens.Order(StringComparer.Ordinal)))) return;
            entries.Add(new Entry(entries.Count + 1, SearchField.Name, label, text!, WeightOf(SearchField.Name, kind), tokens, null));
        }

        void Add(SearchField field, string label, string? text, bool identifier)
        {
            var tokens = SearchText.Tokens(text);
            if (tokens.Count == 0) return;
            entries.Add(new Entry(entries.Count + 1, field, label, text!, WeightOf(field), tokens, identifier ? SearchText.Compact(text) : null));
        }
    }

    /// <summary>The references a transition's data holds: the s.70 certificate, the court's warrant.</summary>
    public static IReadOnlyList<Entry> EventEntries(int sequence, string? trigger, JsonObject data)
    {
        var entries = new List<Entry>();
        Add("certificateReference", SearchField.Certificate);
        Add("warrantReference", SearchField.Warrant);
        return entries;

        void Add(string member, SearchField field)
        {
            if (data[member] is not JsonValue value || !value.TryGetValue<string>(out var text)) return;
            var tokens = SearchText.Tokens(text);
            if (tokens.Count == 0) return;
            // Both members never appear on one trigger; the offset keeps the numbers apart if one ever does.
            var number = EventEntryBase + (sequence * 2) + (field == SearchField.Warrant ? 1 : 0);
            entries.Add(new Entry(number, field, $"{trigger} {member} (event {sequence})", text, WeightOf(field), tokens, SearchText.Compact(text)));
        }
    }

    /// <summary>
    /// Writes the index rows a save changes: the file's entries when the case was filed or its file changed,
    /// the references of any transition; then marks the case indexed under the current <see cref="SearchText.Version"/>.
    /// </summary>
    public static async Task WriteAsync(IDatabaseSession session, ExtraditionCase c, IEnumerable<(int Sequence, string Type, string? Trigger, JsonObject Data)> events,
        bool fileChanged, CancellationToken cancellationToken)
    {
        if (fileChanged)
        {
            await session.ExecuteAsync(Sql.DeleteFileTerms, new { CaseId = c.Id, EventEntryBase }, cancellationToken);
            await session.ExecuteAsync(Sql.DeleteFileEntries, new { CaseId = c.Id, EventEntryBase }, cancellationToken);
            await InsertAsync(session, c, FileEntries(c.Reference, c.File), cancellationToken);
        }

        foreach (var e in events)
        {
            if (e.Type == CaseChange.Transitioned) await InsertAsync(session, c, EventEntries(e.Sequence, e.Trigger, e.Data), cancellationToken);
        }

        if (fileChanged)
        {
            var marked = await session.ExecuteAsync(Sql.UpdateIndexed, new { CaseId = c.Id, IndexVersion = SearchText.Version }, cancellationToken);
            if (marked == 0) await session.ExecuteAsync(Sql.InsertIndexed, new { CaseId = c.Id, IndexVersion = SearchText.Version }, cancellationToken);
        }
    }

    private static async Task InsertAsync(IDatabaseSession session, ExtraditionCase c, IReadOnlyList<Entry> entries, CancellationToken cancellationToken)
    {
        var caseId = c.Id;
        foreach (var entry in entries)
        {
            await session.ExecuteAsync(Sql.InsertEntry, new
            {
                CaseId = caseId,
                Entry = entry.Number,
                Field = entry.Field.ToString(),
                entry.Label,
                Text = entry.Text.Length > 500 ? entry.Text[..500] : entry.Text,
                entry.Weight,
                TokenCount = entry.Tokens.Count,
            }, cancellationToken);
            IEnumerable<string> tokens = entry.Compact is { } compact && !entry.Tokens.Contains(compact) ? [.. entry.Tokens, compact] : entry.Tokens;
            foreach (var token in tokens)
                await session.ExecuteAsync(Sql.InsertTerm, new
                {
                    Token = token, CaseId = caseId, Entry = entry.Number, entry.Weight, TokenCount = entry.Tokens.Count,
                    c.File.RequestingState, c.File.RequestedState,
                }, cancellationToken);
        }
    }
}
