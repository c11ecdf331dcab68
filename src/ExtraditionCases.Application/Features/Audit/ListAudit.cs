using System.Globalization;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Json;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Audit;

/// <summary>Auditors' cross-case views: every recorded event, and every access to cases and the feed.</summary>
public static class ListAudit
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public sealed record EventsQuery(string? From, string? To, string? CaseId, string? ActorSubject, string? Limit, string? Cursor) : IRequest<Page>;

    public sealed record AccessQuery(string? From, string? To, string? CaseId, string? Subject, string? Limit, string? Cursor) : IRequest<Page>;

    public sealed record Page(IReadOnlyList<JsonObject> Items, string? NextCursor);

    private static void CommonRules<T>(AbstractValidator<T> v, Func<T, string?> from, Func<T, string?> to, Func<T, string?> caseId, Func<T, string?> limit)
    {
        v.RuleFor(x => from(x)).Must(t => t is null || Instants.TryParse(t, out _)).WithMessage("Must be an RFC 3339 instant.").OverridePropertyName("from");
        v.RuleFor(x => to(x)).Must(t => t is null || Instants.TryParse(t, out _)).WithMessage("Must be an RFC 3339 instant.").OverridePropertyName("to");
        v.RuleFor(x => caseId(x)).Must(t => t is null || Guid.TryParse(t, out _)).WithMessage("Must be a case id.").OverridePropertyName("caseId");
        v.RuleFor(x => limit(x)).MustBeLimit(MaxLimit).OverridePropertyName("limit");
    }

    public sealed class EventsValidator : AbstractValidator<EventsQuery>
    {
        public EventsValidator()
        {
            CommonRules(this, x => x.From, x => x.To, x => x.CaseId, x => x.Limit);
            RuleFor(x => x.ActorSubject).MaximumLength(200).OverridePropertyName("actorSubject");
            RuleFor(x => x.Cursor).Must(c => c is null || TryReadEventCursor(c, out _)).WithMessage("Malformed cursor.").OverridePropertyName("cursor");
        }
    }

    public sealed class AccessValidator : AbstractValidator<AccessQuery>
    {
        public AccessValidator()
        {
            CommonRules(this, x => x.From, x => x.To, x => x.CaseId, x => x.Limit);
            RuleFor(x => x.Subject).MaximumLength(200).OverridePropertyName("subject");
            RuleFor(x => x.Cursor).Must(c => c is null || TryReadAccessCursor(c, out _)).WithMessage("Malformed cursor.").OverridePropertyName("cursor");
        }
    }

    public sealed class Handler(IHistoryQueries history, IAccessLog accessLog) : IRequestHandler<EventsQuery, Page>, IRequestHandler<AccessQuery, Page>
    {
        public async Task<Page> Handle(EventsQuery request, CancellationToken cancellationToken)
        {
            var limit = Limit(request.Limit);
            TryReadEventCursor(request.Cursor, out var after);
            var rows = await history.AuditPageAsync(new AuditEventFilter(Instant(request.From), Instant(request.To),
                request.CaseId is null ? null : Guid.Parse(request.CaseId), request.ActorSubject, limit + 1, after), cancellationToken);
            var page = rows.Take(limit).ToList();
            var next = rows.Count > limit ? OpaqueCursor.Encode(FormattableString.Invariant($"ev2:{page[^1].Seq}")) : null;
            return new Page([.. page.Select(r => { var json = r.Event.ToJson(); json["caseId"] = r.CaseId.ToString(); return json; })], next);
        }

        public async Task<Page> Handle(AccessQuery request, CancellationToken cancellationToken)
        {
            var limit = Limit(request.Limit);
            TryReadAccessCursor(request.Cursor, out var afterId);
            var rows = await accessLog.PageAsync(new AccessFilter(Instant(request.From), Instant(request.To),
                request.CaseId is null ? null : Guid.Parse(request.CaseId), request.Subject, limit + 1, afterId), cancellationToken);
            var page = rows.Take(limit).ToList();
            var next = rows.Count > limit ? OpaqueCursor.Encode(FormattableString.Invariant($"ac1:{page[^1].Id}")) : null;
            return new Page([.. page.Select(r => new JsonObject
            {
                ["at"] = Domain.Instant.ToText(r.Entry.At),
                ["subject"] = r.Entry.Subject,
                ["issuer"] = r.Entry.Issuer,
                ["role"] = r.Entry.Role,
                ["country"] = r.Entry.Country,
                ["caseId"] = r.Entry.CaseId?.ToString(),
                ["method"] = r.Entry.Method,
                ["endpoint"] = r.Entry.Endpoint,
                ["status"] = r.Entry.Status,
                ["traceId"] = r.Entry.TraceId,
                ["clientAddress"] = r.Entry.ClientAddress,
            })], next);
        }

        private static int Limit(string? text) => Paging.Limit(text, DefaultLimit);

        private static DateTimeOffset? Instant(string? text) => text is not null && Instants.TryParse(text, out var at) ? at : null;
    }

    private static bool TryReadEventCursor(string? cursor, out long afterSeq)
    {
        afterSeq = 0;
        if (cursor is null) return true;
        return OpaqueCursor.TryRead(cursor, "ev2", 1, out var parts)
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out afterSeq);
    }

    private static bool TryReadAccessCursor(string? cursor, out long afterId)
    {
        afterId = 0;
        if (cursor is null) return true;
        return OpaqueCursor.TryDecode(cursor, out var text) && text.StartsWith("ac1:", StringComparison.Ordinal)
            && long.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out afterId);
    }
}
