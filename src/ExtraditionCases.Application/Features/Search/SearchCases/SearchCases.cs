using ExtraditionCases.Application.Abstractions;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Search;

/// <summary>
/// Finds the cases a caller may see by a person's names in any script, identity-document numbers, the
/// case reference, warrant and certificate references and offence statutes. The query is tokenised as
/// the index is (<see cref="SearchText"/>); an entry matches when every query token is one of its tokens
/// (any order, any subset of the entry's words), or when the whole query written without separators is
/// the entry's number. Cases are ranked by their best matching entry, each result naming what matched.
/// </summary>
public static partial class SearchCases
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
    public const int MaxQueryLength = 200;

    /// <summary>More distinct tokens than any name or number has: a longer query cannot match and is refused.</summary>
    public const int MaxTokens = 12;

    /// <summary>Opaque to clients: the last case's score and id.</summary>
    public static readonly CursorFormat<Position> Cursor = new("srch1", p => [p.Score, p.CaseId], r => new(r.Int(), r.Guid()));

    public sealed record Query(Caller Caller, string? Q, int Limit, Position? After) : IRequest<SearchPage>;

    public sealed record Position(int Score, Guid CaseId);

    /// <summary>
    /// A page of results. Truncated: the query's rarest word matched more than <see cref="Sql.RankCap"/> entries the
    /// caller may see, so only the highest-weighted of them were ranked; more results exist and the query should be refined.
    /// </summary>
    public sealed record SearchPage(IReadOnlyList<Result> Items, string? NextCursor, bool Truncated);

    /// <summary>A case found, with its score and every entry of it that matched, best first.</summary>
    public sealed record Result(Guid CaseId, string Reference, string State, string RequestingState, string RequestedState, int Score, IReadOnlyList<Match> Matches);

    /// <summary>Which value matched: its field, where it is in the case (label), and the text as recorded.</summary>
    public sealed record Match(SearchField Field, string Label, string Text, int Score);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Q).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage("A search needs q.")
                .Must(q => q!.EnumerateRunes().Count() <= MaxQueryLength).WithMessage($"q holds at most {MaxQueryLength} characters.")
                .Must(q => !q!.Any(char.IsControl)).WithMessage("q holds no control characters.")
                .Must(q => SearchText.Tokens(q).Count > 0).WithMessage("q has no letter or digit to search for once normalised.")
                .Must(q => SearchText.Tokens(q).Count <= MaxTokens).WithMessage($"q holds at most {MaxTokens} distinct words.");
        }
    }

    public sealed class Handler(IDatabaseSession session) : IRequestHandler<Query, SearchPage>
    {
        public async Task<SearchPage> Handle(Query request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            if (!caller.IsAuditor && !caller.IsOfficer) throw new ForbiddenException("Partners do not search cases.");
            var tokens = SearchText.Tokens(request.Q);
            var compact = tokens.Count > 1 ? SearchText.Compact(request.Q) : null;
            var json = System.Text.Json.JsonSerializer.Serialize(tokens);
            // The rarest token drives the match; the others are checked entry by entry (see Sql).
            IReadOnlyList<TokenHit> hits = tokens.Count == 1 ? [] : await session.QueryAsync<TokenHit>(Sql.TokenHits, new { Tokens = json, Cap = Sql.HitCap }, cancellationToken);
            var driver = hits.Count == 0 ? tokens[0] : hits.OrderBy(h => h.Hits).ThenBy(h => h.Token, StringComparer.Ordinal).First().Token;
            var rows = await session.QueryAsync<Row>(Sql.Search, new
            {
                Driver = driver,
                Tokens = json,
                TokenCount = tokens.Count,
                Compact = compact,
                Country = caller.IsAuditor ? null : caller.Country ?? "--",
                Cap = Sql.RankCap,
                Limit = request.Limit + 1,
                AfterScore = request.After?.Score ?? int.MaxValue,
                AfterCaseId = request.After?.CaseId ?? Guid.Empty,
            }, cancellationToken);

            // Rows are (case, matching entry), cases in rank order: group them back, keeping that order.
            var cases = rows.GroupBy(r => r.CaseId).Select(g => new Result(g.Key, g.First().Reference, g.First().State, g.First().RequestingState,
                g.First().RequestedState, g.First().CaseScore, [.. g.Select(r => new Match(Enum.Parse<SearchField>(r.Field), r.Label, r.Text, r.Score))])).ToList();
            var page = Paging.Of(cases, request.Limit, Cursor, c => new Position(c.Score, c.CaseId), c => c);
            return new SearchPage(page.Items, page.NextCursor, rows.Count > 0 && rows[0].Candidates >= Sql.RankCap);
        }
    }

    private sealed class TokenHit
    {
        public string Token { get; init; } = "";
        public int Hits { get; init; }
    }

    private sealed class Row
    {
        public Guid CaseId { get; init; }
        public int CaseScore { get; init; }
        public string Reference { get; init; } = "";
        public string State { get; init; } = "";
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string Field { get; init; } = "";
        public string Label { get; init; } = "";
        public string Text { get; init; } = "";
        public int Score { get; init; }
        public int Candidates { get; init; }
    }
}
