using System.Globalization;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Deadlines;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Deadlines;

/// <summary>The statutory clocks of the cases a caller may see, soonest first: an indexed query, not a scan of cases.</summary>
public static class ListDeadlines
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public sealed record Query(Caller Caller, string? Status, string? DueBefore, string? Limit, string? Cursor) : IRequest<Page>;

    public sealed record Item(
        Guid CaseId, string Reference, DeadlineKind Kind, DateTimeOffset StartedAt, DateTimeOffset DueAt, DeadlineStatus Status,
        string Statute, bool Advisory);

    public sealed record Page(IReadOnlyList<Item> Items, string? NextCursor);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.Status).IsEnumName(typeof(DeadlineStatus), caseSensitive: true).When(x => x.Status is not null).OverridePropertyName("status");
            RuleFor(x => x.DueBefore).Must(t => Instants.TryParse(t, out _)).When(x => x.DueBefore is not null)
                .WithMessage("Must be an RFC 3339 instant.").OverridePropertyName("dueBefore");
            RuleFor(x => x.Limit).MustBeLimit(MaxLimit).OverridePropertyName("limit");
            RuleFor(x => x.Cursor).Must(c => Cursors.TryDecode(c, out _)).When(x => x.Cursor is not null)
                .WithMessage("Malformed cursor.").OverridePropertyName("cursor");
        }
    }

    public sealed class Handler(IDeadlineQueries deadlines, TimeProvider clock) : IRequestHandler<Query, Page>
    {
        public async Task<Page> Handle(Query request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            if (!caller.IsAuditor && !caller.IsOfficer) throw new ForbiddenException("Partners do not list deadlines.");
            var now = clock.GetUtcNow();
            var limit = Paging.Limit(request.Limit, DefaultLimit);
            Cursors.TryDecode(request.Cursor, out var after);
            DateTimeOffset? dueBefore = request.DueBefore is not null && Instants.TryParse(request.DueBefore, out var before) ? before : null;

            var rows = await deadlines.ListAsync(new DeadlineFilter(
                caller.IsAuditor ? null : caller.Country ?? "--",
                request.Status is null ? null : Enum.Parse<DeadlineStatus>(request.Status),
                dueBefore, now, limit + 1, after), cancellationToken);

            var page = rows.Take(limit).ToList();
            var next = rows.Count > limit ? Cursors.Encode(new DeadlineCursor(page[^1].DueAt, page[^1].CaseId, page[^1].Ordinal)) : null;
            return new Page(
                [.. page.Select(d => new Item(d.CaseId, d.Reference, d.Kind, d.StartedAt, d.DueAt, StatusAt(d, now), d.Statute, d.Advisory))],
                next);
        }

        private static DeadlineStatus StatusAt(StoredDeadline d, DateTimeOffset now) => new Deadline
        {
            Ordinal = d.Ordinal, Kind = d.Kind, StartedAt = d.StartedAt, DueAt = d.DueAt, Status = d.Status, Statute = d.Statute, Advisory = d.Advisory,
        }.StatusAt(now);
    }

    public static class Cursors
    {
        public static string Encode(DeadlineCursor c) => OpaqueCursor.Encode(FormattableString.Invariant($"dl1:{c.DueAt.UtcTicks}:{c.CaseId:N}:{c.Ordinal}"));

        public static bool TryDecode(string? text, out DeadlineCursor? cursor)
        {
            cursor = null;
            if (text is null) return true;
            if (!OpaqueCursor.TryRead(text, "dl1", 3, out var parts) || !OpaqueCursor.TryInstant(parts[0], out var dueAt)
                || !Guid.TryParseExact(parts[1], "N", out var caseId)
                || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ordinal))
            {
                return false;
            }

            cursor = new DeadlineCursor(dueAt, caseId, ordinal);
            return true;
        }
    }
}
