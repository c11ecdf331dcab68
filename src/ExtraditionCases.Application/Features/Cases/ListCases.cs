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
            RuleFor(x => x.Limit).MustBeLimit(MaxLimit).OverridePropertyName("limit");
            RuleFor(x => x.Cursor).Must(c => CaseCursors.TryDecode(c, out _)).When(x => x.Cursor is not null)
                .WithMessage("Malformed cursor.").OverridePropertyName("cursor");
        }
    }

    public sealed class Handler(ICaseStore store, TimeProvider clock, AgencyPowers agencies) : IRequestHandler<Query, Page>
    {
        public async Task<Page> Handle(Query request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            if (!caller.IsAuditor && !caller.IsOfficer) throw new ForbiddenException("Partners poll status and changes; they do not list cases.");
            var now = clock.GetUtcNow();
            var limit = Paging.Limit(request.Limit, DefaultLimit);
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
            return new Page([.. page.Select(c => CaseView.Of(c, caller, now, agencies))], next);
        }
    }
}

/// <summary>Opaque to clients: the last item's creation instant and id.</summary>
public static class CaseCursors
{
    public static string Encode(CaseCursor cursor) => OpaqueCursor.Encode(FormattableString.Invariant($"case1:{cursor.CreatedAt.UtcTicks}:{cursor.Id:N}"));

    public static bool TryDecode(string? text, out CaseCursor? cursor)
    {
        cursor = null;
        if (text is null) return true;
        if (!OpaqueCursor.TryRead(text, "case1", 2, out var parts) || !OpaqueCursor.TryInstant(parts[0], out var createdAt)
            || !Guid.TryParseExact(parts[1], "N", out var id))
        {
            return false;
        }

        cursor = new CaseCursor(createdAt, id);
        return true;
    }
}
