using System.Globalization;
using ExtraditionCases.Application.Abstractions;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Partners;

/// <summary>
/// The change feed: one item per recorded event of the cases the caller may see, in commit order.
/// Each audience (a country, or all cases for auditors) has its own dense positions, so a cursor is
/// only ever a position in the caller's own feed.
/// </summary>
public static class GetChanges
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const string AllCases = "**";
    private const string Prefix = "feed1:";

    public sealed record Query(Caller Caller, string? Cursor, string? Limit) : IRequest<Page>;

    public sealed record Item(Guid CaseId, string Reference, int Version, string State, string Type, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt);

    public sealed record Page(IReadOnlyList<Item> Items, string NextCursor);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.Cursor).Must(c => TryReadCursor(c, out _)).When(x => x.Cursor is not null)
                .WithMessage("Malformed cursor.").OverridePropertyName("cursor");
            RuleFor(x => x.Limit).MustBeLimit(MaxLimit).OverridePropertyName("limit");
        }
    }

    public sealed class Handler(IChangeFeed feed) : IRequestHandler<Query, Page>
    {
        public async Task<Page> Handle(Query request, CancellationToken cancellationToken)
        {
            var after = 0L;
            if (request.Cursor is not null) TryReadCursor(request.Cursor, out after);
            var limit = Paging.Limit(request.Limit, DefaultLimit);
            var audience = request.Caller.IsAuditor ? AllCases : request.Caller.Country;

            var items = audience is null ? [] : await feed.PageAsync(audience, after, limit, cancellationToken);
            var next = items.Count > 0 ? items[^1].Seq : after;
            return new Page(
                [.. items.Select(i => new Item(i.CaseId, i.Reference, i.Version, i.State, i.Type, i.OccurredAt, i.RecordedAt))],
                WriteCursor(next));
        }
    }

    public static string WriteCursor(long seq) => OpaqueCursor.Encode(Prefix + seq.ToString(CultureInfo.InvariantCulture));

    public static bool TryReadCursor(string? cursor, out long seq)
    {
        seq = 0;
        return OpaqueCursor.TryDecode(cursor, out var text)
            && text.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out seq);
    }
}
