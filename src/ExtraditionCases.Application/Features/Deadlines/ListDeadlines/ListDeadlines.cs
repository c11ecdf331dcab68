using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Deadlines;
using MediatR;

namespace ExtraditionCases.Application.Features.Deadlines;

/// <summary>The statutory clocks of the cases a caller may see, soonest first: an indexed query, not a scan of cases.</summary>
public static partial class ListDeadlines
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Opaque to clients: the last clock's due instant, case id and ordinal.</summary>
    public static readonly CursorFormat<Position> Cursor = new("dl1", p => [p.DueAt, p.CaseId, p.Ordinal], r => new(r.Instant(), r.Guid(), r.Int()));

    /// <summary>The longest dueWithin a work list takes.</summary>
    public static readonly TimeSpan MaxDueWithin = TimeSpan.FromDays(366);

    /// <param name="AssignedToMe">assignee=me: only clocks of the cases assigned to the calling officer for their state.</param>
    /// <param name="DueWithin">Only clocks still running (stored Pending or Extended: coming up, or already overdue) due before now + this.</param>
    public sealed record Query(Caller Caller, DeadlineStatus? Status, DateTimeOffset? DueBefore, int Limit, Position? After,
        bool AssignedToMe = false, TimeSpan? DueWithin = null) : IRequest<Page<Item>>;

    public sealed record Item(
        Guid CaseId, string Reference, DeadlineKind Kind, DateTimeOffset StartedAt, DateTimeOffset DueAt, DeadlineStatus Status,
        string Statute, bool Advisory);

    /// <summary>Keyset position in the list: soonest first.</summary>
    public sealed record Position(DateTimeOffset DueAt, Guid CaseId, int Ordinal);

    /// <summary>Clocks of the cases visible to <see cref="Country"/> (all when null) that read <see cref="Status"/> at <see cref="Now"/>.</summary>
    /// <param name="AssignedTo">Only the cases this officer is assigned for their state.</param>
    /// <param name="OpenOnly">Only clocks stored as running (Pending or Extended), whatever they read now.</param>
    public sealed record Filter(string? Country, DeadlineStatus? Status, DateTimeOffset? DueBefore, DateTimeOffset Now, int Limit, Position? After,
        AssignedOfficer? AssignedTo = null, bool OpenOnly = false);

    /// <summary>A clock as stored; the status a reader sees is derived from it and the time.</summary>
    public sealed record StoredDeadline(
        Guid CaseId, string Reference, int Ordinal, DeadlineKind Kind, DateTimeOffset StartedAt, DateTimeOffset DueAt,
        DeadlineStatus Status, string Statute, bool Advisory)
    {
        public DeadlineStatus StatusAt(DateTimeOffset now) => new Deadline
        {
            Ordinal = Ordinal, Kind = Kind, StartedAt = StartedAt, DueAt = DueAt, Status = Status, Statute = Statute, Advisory = Advisory,
        }.StatusAt(now);
    }

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Query, Page<Item>>
    {
        public async Task<Page<Item>> Handle(Query request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            if (!caller.IsAuditor && !caller.IsOfficer) throw new ForbiddenException("Partners do not list deadlines.");
            var now = clock.GetUtcNow();
            AssignedOfficer? officer = null;
            if (request.AssignedToMe)
            {
                if (!caller.IsOfficer || caller.Country is null) throw new ForbiddenException("Cases are assigned to officers of a party state; assignee=me is an officer's work list.");
                officer = new AssignedOfficer(caller.Country, caller.Issuer, caller.Subject);
            }

            // dueWithin bounds the due instant like dueBefore (the earlier of the two wins) and keeps running clocks only.
            var dueBefore = request.DueWithin is { } within && (request.DueBefore is null || now + within < request.DueBefore) ? now + within : request.DueBefore;
            var rows = await ReadAsync(session, new Filter(caller.IsAuditor ? null : caller.Country ?? "--", request.Status, dueBefore, now,
                request.Limit + 1, request.After, officer, request.DueWithin is not null), cancellationToken);
            return Paging.Of(rows, request.Limit, Cursor, d => new Position(d.DueAt, d.CaseId, d.Ordinal),
                d => new Item(d.CaseId, d.Reference, d.Kind, d.StartedAt, d.DueAt, d.StatusAt(now), d.Statute, d.Advisory));
        }
    }

    /// <summary>Before any clock: the keyset's lower bound on the first page.</summary>
    private static readonly DateTimeOffset FirstPage = DateTimeOffset.MinValue;

    /// <summary>The clocks of one page, as stored, with one statement per kind of status filter (see <see cref="Sql"/>).</summary>
    public static async Task<IReadOnlyList<StoredDeadline>> ReadAsync(IDatabaseSession session, Filter filter, CancellationToken cancellationToken)
    {
        var statement = filter.Status switch
        {
            null => Sql.All,
            DeadlineStatus.Pending or DeadlineStatus.Extended => Sql.Running,
            DeadlineStatus.Missed or DeadlineStatus.Expired => Sql.RanOut,
            _ => Sql.Stored,
        };
        var rows = await session.QueryAsync<Row>(statement, new
        {
            filter.Country,
            Status = filter.Status?.ToString(),
            filter.DueBefore,
            filter.Now,
            filter.Limit,
            AfterDueAt = filter.After?.DueAt ?? FirstPage,
            AfterCaseId = filter.After?.CaseId ?? Guid.Empty,
            AfterOrdinal = filter.After?.Ordinal ?? 0,
            AssigneeCountry = filter.AssignedTo?.Country,
            AssigneeIssuer = filter.AssignedTo?.Issuer,
            AssigneeSubject = filter.AssignedTo?.Subject,
            filter.OpenOnly,
        }, cancellationToken);
        return [.. rows.Select(r => new StoredDeadline(r.CaseId, r.Reference, r.Ordinal, Enum.Parse<DeadlineKind>(r.Kind), r.StartedAt, r.DueAt,
            Enum.Parse<DeadlineStatus>(r.Status), r.Statute, r.Advisory))];
    }

    // Property-mapped: SQLite hands back TEXT and INTEGER where SQL Server has typed columns, and the
    // session's mapper converts per property (with the GUID and instant handlers), not per constructor.
    private sealed class Row
    {
        public Guid CaseId { get; init; }
        public string Reference { get; init; } = "";
        public int Ordinal { get; init; }
        public string Kind { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public string Status { get; init; } = "";
        public string Statute { get; init; } = "";
        public bool Advisory { get; init; }
    }
}
