using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Search;
using ExtraditionCases.Application.Json;
using MediatR;

namespace ExtraditionCases.Application.Features.Links;

/// <summary>
/// Cases that may concern the same person as this one, among those the caller may see, for an officer to confirm
/// or ignore (issue 14). Nothing is recorded: a wrong fuzzy match must never become history; only a link the
/// officer confirms (<see cref="LinkCases"/>) is. Two kinds of evidence, read from the search index:
/// <list type="bullet">
/// <item>an identity-document number of this case recorded on the other (compared as the search compares numbers:
/// letters and digits, separators ignored);</item>
/// <item>a strong name match with the same date of birth: one of this case's names (full name, recorded names,
/// aliases) of at least two words is, word for word after normalisation, a name of the other case (the same
/// words, no more, no fewer, in any order), and both cases record the same date of birth.</item>
/// </list>
/// </summary>
public static partial class SuggestLinks
{
    /// <summary>At most this many cases are suggested, the strongest evidence first.</summary>
    public const int MaxSuggestions = 50;

    public sealed record Query(Caller Caller, Guid CaseId) : IRequest<Result>;

    public sealed record Result(IReadOnlyList<Suggestion> Items);

    /// <param name="WouldCompete">Linking would record a competing request (both open, same requested state, different requesting states).</param>
    public sealed record Suggestion(LinkedCase Case, bool WouldCompete, IReadOnlyList<Evidence> Evidence);

    /// <summary>What matched: the value on this case and the value on the other, each with where it is recorded.</summary>
    public sealed record Evidence([property: OneOf("IdentityDocument", "NameAndDateOfBirth")] string Kind, string ThisCase, string OtherCase);

    public sealed class Handler(ICaseStore store, IDatabaseSession session) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            if (!caller.IsOfficer) throw new ForbiddenException("Links are suggested to the officers who confirm them.");
            var loaded = await store.FindAsync(request.CaseId, cancellationToken);
            if (loaded is null || loaded.Case.SideOf(caller.Country) is null) throw new NotFoundException($"No case {request.CaseId}.");
            var c = loaded.Case;
            var country = caller.Country;
            var linked = (await CaseLinks.OfCaseAsync(session, caller, c.Id, cancellationToken)).Select(l => l.OtherCase?.Id).ToHashSet();
            var evidence = new Dictionary<Guid, List<Evidence>>();

            void Add(Guid id, Evidence e)
            {
                if (id == c.Id || linked.Contains(id)) return;
                if (!evidence.TryGetValue(id, out var list)) evidence[id] = list = [];
                if (!list.Contains(e)) list.Add(e);
            }

            var entries = SearchIndex.FileEntries(c.Reference, c.File);
            var numbers = entries.Where(e => e.Field == SearchField.IdentityDocument && e.Compact is not null).ToList();
            if (numbers.Count > 0)
            {
                var rows = await session.QueryAsync<Row>(Sql.ByNumber, new
                {
                    Numbers = System.Text.Json.JsonSerializer.Serialize(numbers.Select(n => n.Compact).Distinct()),
                    CaseId = c.Id,
                    Country = country,
                    Limit = MaxSuggestions * 4,
                }, cancellationToken);
                foreach (var row in rows)
                {
                    foreach (var mine in numbers.Where(n => n.Compact == row.Token))
                        Add(row.CaseId, new Evidence("IdentityDocument", $"{mine.Label}: {mine.Text}", $"{row.Label}: {row.Text}"));
                }
            }

            if (c.File.Person.DateOfBirth is { } born)
            {
                foreach (var name in entries.Where(e => e.Field == SearchField.Name && e.Tokens.Count >= 2))
                {
                    var rows = await session.QueryAsync<Row>(Sql.ByName, new
                    {
                        Tokens = System.Text.Json.JsonSerializer.Serialize(name.Tokens),
                        TokenCount = name.Tokens.Count,
                        CaseId = c.Id,
                        Country = country,
                        Limit = MaxSuggestions * 4,
                    }, cancellationToken);
                    foreach (var row in rows)
                    {
                        var candidate = await store.FindAsync(row.CaseId, cancellationToken);
                        if (candidate?.Case.File.Person.DateOfBirth != born) continue;
                        Add(row.CaseId, new Evidence("NameAndDateOfBirth", $"{name.Label}: {name.Text}; person.dateOfBirth: {born:yyyy-MM-dd}",
                            $"{row.Label}: {row.Text}; person.dateOfBirth: {born:yyyy-MM-dd}"));
                    }
                }
            }

            var suggestions = new List<Suggestion>();
            foreach (var (id, found) in evidence)
            {
                var candidate = await store.FindAsync(id, cancellationToken);
                if (candidate is null) continue;
                var o = candidate.Case;
                suggestions.Add(new Suggestion(new LinkedCase(o.Id, o.Reference, o.File.RequestingState, o.File.RequestedState, o.State.ToString()),
                    c.CompetesWith(o), found));
            }

            return new Result([.. suggestions
                .OrderBy(s => s.Evidence.Any(e => e.Kind == "IdentityDocument") ? 0 : 1)
                .ThenByDescending(s => s.Evidence.Count)
                .ThenBy(s => s.Case.Reference, StringComparer.Ordinal)
                .Take(MaxSuggestions)]);
        }
    }

    private sealed class Row
    {
        public Guid CaseId { get; init; }
        public string Label { get; init; } = "";
        public string Text { get; init; } = "";
        public string? Token { get; init; }
    }
}
