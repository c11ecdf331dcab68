using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
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
    /// All of a save's entries go in one statement and all their terms in another (<see cref="Rows"/>): a filing
    /// writes dozens of terms, and one statement per row cost more than the rest of the transaction (issue 20).
    /// </summary>
    public static async Task WriteAsync(IDatabaseSession session, ExtraditionCase c, IEnumerable<(int Sequence, string Type, string? Trigger, JsonObject Data)> events,
        bool fileChanged, CancellationToken cancellationToken)
    {
        var entries = new List<Entry>();
        var saved = events as IReadOnlyCollection<(int Sequence, string Type, string? Trigger, JsonObject Data)> ?? [.. events];
        // A filing's case has no index rows yet: the deletes and the update would find nothing (issue 20).
        var filed = saved.Any(e => e.Type == CaseChange.CaseFiled);
        if (fileChanged)
        {
            if (!filed)
            {
                await session.ExecuteAsync(Sql.DeleteFileTerms, new { CaseId = c.Id, EventEntryBase }, cancellationToken);
                await session.ExecuteAsync(Sql.DeleteFileEntries, new { CaseId = c.Id, EventEntryBase }, cancellationToken);
            }

            entries.AddRange(FileEntries(c.Reference, c.File));
        }

        foreach (var e in saved)
        {
            if (e.Type == CaseChange.Transitioned) entries.AddRange(EventEntries(e.Sequence, e.Trigger, e.Data));
        }

        if (entries.Count > 0)
        {
            var rows = Rows(entries);
            await session.ExecuteAsync(Sql.InsertEntries, new { CaseId = c.Id, Rows = rows.Entries }, cancellationToken);
            await session.ExecuteAsync(Sql.InsertTerms, new { CaseId = c.Id, c.File.RequestingState, c.File.RequestedState, Rows = rows.Terms }, cancellationToken);
        }

        if (fileChanged)
        {
            var marked = filed ? 0 : await session.ExecuteAsync(Sql.UpdateIndexed, new { CaseId = c.Id, IndexVersion = SearchText.Version }, cancellationToken);
            if (marked == 0) await session.ExecuteAsync(Sql.InsertIndexed, new { CaseId = c.Id, IndexVersion = SearchText.Version }, cancellationToken);
        }
    }

    /// <summary>The text of an entry as stored: SearchEntries.Text holds at most 500 characters.</summary>
    public static string StoredText(Entry entry) => entry.Text.Length > 500 ? entry.Text[..500] : entry.Text;

    /// <summary>An entry's terms: its tokens, and the compact form of an identifier when that is not already one of them.</summary>
    public static IReadOnlyList<string> TermsOf(Entry entry) =>
        entry.Compact is { } compact && !entry.Tokens.Contains(compact) ? [.. entry.Tokens, compact] : entry.Tokens;

    /// <summary>
    /// The rows of <paramref name="entries"/> as the JSON arrays <see cref="Sql.InsertEntries"/> and <see cref="Sql.InsertTerms"/>
    /// read (@Rows); the case id and states are parameters of their own. Non-ASCII text is written unescaped, so
    /// Urdu and Arabic tokens reach the database as the UTF-8 they are.
    /// </summary>
    public static (string Entries, string Terms) Rows(IReadOnlyList<Entry> entries)
    {
        using var entriesBuffer = new MemoryStream();
        using var termsBuffer = new MemoryStream();
        using (var entryWriter = new Utf8JsonWriter(entriesBuffer, RowsWriter))
        using (var termWriter = new Utf8JsonWriter(termsBuffer, RowsWriter))
        {
            entryWriter.WriteStartArray();
            termWriter.WriteStartArray();
            foreach (var entry in entries)
            {
                entryWriter.WriteStartObject();
                entryWriter.WriteNumber("Entry", entry.Number);
                entryWriter.WriteString("Field", entry.Field.ToString());
                entryWriter.WriteString("Label", entry.Label);
                entryWriter.WriteString("Text", StoredText(entry));
                entryWriter.WriteNumber("Weight", entry.Weight);
                entryWriter.WriteNumber("TokenCount", entry.Tokens.Count);
                entryWriter.WriteEndObject();
                foreach (var token in TermsOf(entry))
                {
                    termWriter.WriteStartObject();
                    termWriter.WriteString("Token", token);
                    termWriter.WriteNumber("Entry", entry.Number);
                    termWriter.WriteNumber("Weight", entry.Weight);
                    termWriter.WriteNumber("TokenCount", entry.Tokens.Count);
                    termWriter.WriteEndObject();
                }
            }

            entryWriter.WriteEndArray();
            termWriter.WriteEndArray();
        }

        return (Encoding.UTF8.GetString(entriesBuffer.GetBuffer(), 0, (int)entriesBuffer.Length),
            Encoding.UTF8.GetString(termsBuffer.GetBuffer(), 0, (int)termsBuffer.Length));
    }

    private static readonly JsonWriterOptions RowsWriter = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
