using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Application.Features.Partners;

/// <summary>The small status document partners poll.</summary>
public sealed record CaseStatus(
    Guid Id, string Reference, [property: NamesOf(typeof(CaseState))] string State, DateTimeOffset StateSince, int Version, DateTimeOffset UpdatedAt,
    NextDeadline? NextDeadline)
{
    /// <summary>Each party state's officer for the case (issue 14); read for a 200, never for a 304.</summary>
    public IReadOnlyList<AssigneeView>? Assignees { get; init; }
}

public sealed record NextDeadline([property: NamesOf(typeof(DeadlineKind))] string Kind, DateTimeOffset DueAt);

/// <summary>
/// The small status document partners poll. A poll that names the current version as one it has
/// (If-None-Match) is answered from the version alone: the case itself is never loaded or serialised for it.
/// </summary>
public static partial class GetCaseStatus
{
    /// <param name="Known">The versions the caller already has, when it sent any (If-None-Match); null otherwise.</param>
    public sealed record Query(Caller Caller, Guid Id, KnownVersions? Known) : IRequest<Result>;

    /// <summary>The status, or none when the caller's copy is current; <see cref="Version"/> either way.</summary>
    public sealed record Result(CaseStatus? Status, int Version)
    {
        public bool NotModified => Status is null;
    }

    /// <summary>The few columns a conditional poll needs: who may see the case, and its version.</summary>
    public sealed record Head
    {
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public int Version { get; init; }
    }

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Query, Result>
    {
        public async Task<Result> Handle(Query request, CancellationToken cancellationToken)
        {
            // A conditional poll is answered from the version alone; an unconditional one needs one read.
            if (request.Known is { } known)
            {
                var head = await HeadAsync(session, request.Id, cancellationToken);
                if (head is null || !CaseAccess.MaySee(request.Caller, head.RequestingState, head.RequestedState))
                    throw new NotFoundException($"No case {request.Id}.");
                if (known.Includes(head.Version)) return new Result(null, head.Version);
            }

            var read = await ReadWithAssigneesAsync(session, request.Id, clock.GetUtcNow(), cancellationToken);
            if (read is null || !CaseAccess.MaySee(request.Caller, read.Value.Head.RequestingState, read.Value.Head.RequestedState))
                throw new NotFoundException($"No case {request.Id}.");
            return new Result(read.Value.Status, read.Value.Status.Version);
        }
    }

    public static Task<Head?> HeadAsync(IDatabaseSession session, Guid id, CancellationToken cancellationToken) =>
        session.QuerySingleOrDefaultAsync<Head>(Sql.Head, new { Id = id }, cancellationToken);

    /// <summary>
    /// The status document and its parties, in one read: all a 200 needs. <c>nextDeadline</c> is the
    /// soonest clock still running at <paramref name="now"/>.
    /// </summary>
    public static async Task<(Head Head, CaseStatus Status)?> ReadAsync(IDatabaseSession session, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await session.QuerySingleOrDefaultAsync<StatusRow>(Sql.Status, new { Id = id, Now = now }, cancellationToken);
        if (row is null) return null;
        return (new Head { RequestingState = row.RequestingState, RequestedState = row.RequestedState, Version = row.Version },
            new CaseStatus(row.Id, row.Reference, row.State, row.StateSince, row.Version, row.UpdatedAt,
                row.NextKind is null || row.NextDueAt is null ? null : new NextDeadline(row.NextKind, row.NextDueAt.Value)));
    }

    /// <summary><see cref="ReadAsync"/> with the status's assignees (as <see cref="AssignOfficer.ReadAsync"/> gives them), in one statement.</summary>
    public static async Task<(Head Head, CaseStatus Status)?> ReadWithAssigneesAsync(IDatabaseSession session, Guid id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rows = await session.QueryAsync<StatusRow>(Sql.StatusWithAssignees, new { Id = id, Now = now }, cancellationToken);
        if (rows.Count == 0) return null;
        var row = rows[0];
        return (new Head { RequestingState = row.RequestingState, RequestedState = row.RequestedState, Version = row.Version },
            new CaseStatus(row.Id, row.Reference, row.State, row.StateSince, row.Version, row.UpdatedAt,
                row.NextKind is null || row.NextDueAt is null ? null : new NextDeadline(row.NextKind, row.NextDueAt.Value))
            {
                Assignees = [.. rows.Where(r => r.AssigneeCountry is not null)
                    .Select(r => new AssigneeView(r.AssigneeCountry!, r.AssigneeSubject!, r.AssigneeIssuer!, r.AssigneeAssignedAt!.Value))],
            });
    }

    private sealed class StatusRow
    {
        public string? AssigneeCountry { get; init; }
        public string? AssigneeSubject { get; init; }
        public string? AssigneeIssuer { get; init; }
        public DateTimeOffset? AssigneeAssignedAt { get; init; }

        public Guid Id { get; init; }
        public string Reference { get; init; } = "";
        public string State { get; init; } = "";
        public DateTimeOffset StateSince { get; init; }
        public int Version { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string RequestingState { get; init; } = "";
        public string RequestedState { get; init; } = "";
        public string? NextKind { get; init; }
        public DateTimeOffset? NextDueAt { get; init; }
    }
}

/// <summary>Versions a caller says it holds (If-None-Match, already parsed at the edge): any at all, or these.</summary>
public sealed record KnownVersions(bool Any, IReadOnlySet<int> Versions)
{
    public bool Includes(int version) => Any || Versions.Contains(version);
}
