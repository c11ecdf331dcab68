using System.Globalization;
using System.Text;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Workflow;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>Lists the cases a caller may see, filtered and keyset-paged. Query strings arrive raw and are validated here.</summary>
public static class ListCases
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public sealed record Query(
        Caller Caller, string? State, string? RequestingState, string? RequestedState, string? Overdue, string? Limit, string? Cursor)
        : IRequest<Page>;

    public sealed record Page(IReadOnlyList<CaseView> Items, string? NextCursor);

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(x => x.State).IsEnumName(typeof(CaseState), caseSensitive: true).When(x => x.State is not null).OverridePropertyName("state");
            RuleFor(x => x.RequestingState).Must(Countries.IsIso3166Alpha2).When(x => x.RequestingState is not null)
                .WithMessage("Must be an ISO 3166-1 alpha-2 code.").OverridePropertyName("requestingState");
            RuleFor(x => x.RequestedState).Must(Countries.IsIso3166Alpha2).When(x => x.RequestedState is not null)
                .WithMessage("Must be an ISO 3166-1 alpha-2 code.").OverridePropertyName("requestedState");
            RuleFor(x => x.Overdue).Must(v => v is "true" or "false").When(x => x.Overdue is not null)
                .WithMessage("Must be true or false.").OverridePropertyName("overdue");
            RuleFor(x => x.Limit).Must(v => int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxLimit)
                .When(x => x.Limit is not null).WithMessage($"Must be a whole number from 1 to {MaxLimit}.").OverridePropertyName("limit");
            RuleFor(x => x.Cursor).Must(c => CaseCursors.TryDecode(c, out _)).When(x => x.Cursor is not null)
                .WithMessage("Malformed cursor.").OverridePropertyName("cursor");
        }
    }

    public sealed class Handler(ICaseStore store, TimeProvider clock) : IRequestHandler<Query, Page>
    {
        public async Task<Page> Handle(Query request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            if (!caller.IsAuditor && !caller.IsOfficer) throw new ForbiddenException("Partners poll status and changes; they do not list cases.");
            var now = clock.GetUtcNow();
            var limit = request.Limit is null ? DefaultLimit : int.Parse(request.Limit, CultureInfo.InvariantCulture);
            CaseCursors.TryDecode(request.Cursor, out var after);

            var cases = await store.ListAsync(new CaseListFilter(
                caller.IsAuditor ? null : caller.Country ?? "--",
                request.State is null ? null : Enum.Parse<CaseState>(request.State),
                request.RequestingState,
                request.RequestedState,
                request.Overdue == "true",
                now,
                limit + 1,
                after), cancellationToken);

            var page = cases.Take(limit).ToList();
            var next = cases.Count > limit ? CaseCursors.Encode(new CaseCursor(page[^1].CreatedAt, page[^1].Id)) : null;
            return new Page([.. page.Select(c => CaseView.Of(c, caller, now))], next);
        }
    }
}

/// <summary>Opaque to clients: base64url of the last item's creation instant and id.</summary>
public static class CaseCursors
{
    public static string Encode(CaseCursor cursor) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{cursor.CreatedAt.UtcTicks}:{cursor.Id:N}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out CaseCursor? cursor)
    {
        cursor = null;
        if (text is null) return true;
        if (text.Length is 0 or > 100) return false;
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split(':');
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks > DateTimeOffset.MaxValue.UtcTicks || !Guid.TryParseExact(parts[1], "N", out var id))
            {
                return false;
            }

            cursor = new CaseCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
