namespace ExtraditionCases.Domain.Deadlines;

public enum DeadlineKind
{
    FullRequest,
    HearingStart,
    Representations,
    ExecutiveDecision,
    AppealWindow,
    RequestingStateAppealWindow,
    LeaveToAppeal,
    Surrender,
    SurrenderAfterAppeal,
}

public enum DeadlineStatus { Pending, Met, Missed, Expired, Extended, Cancelled }

/// <summary>
/// One statutory clock of a case, immutable: the case replaces it when an event stops or extends it.
/// The stored status only changes through events; the status a reader sees is <see cref="StatusAt"/>,
/// which also turns an open clock Missed or Expired once its due instant has passed, so no write is
/// needed for a clock to run out.
/// </summary>
public sealed record Deadline
{
    public required int Ordinal { get; init; }
    public required DeadlineKind Kind { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset DueAt { get; init; }
    public required DeadlineStatus Status { get; init; }
    public required string Statute { get; init; }
    public required bool Advisory { get; init; }

    /// <summary>Windows close unused (Expired); the other clocks are overdue (Missed).</summary>
    public bool IsWindow => Kind is DeadlineKind.Representations or DeadlineKind.AppealWindow
        or DeadlineKind.RequestingStateAppealWindow or DeadlineKind.LeaveToAppeal;

    public bool IsOpen => Status is DeadlineStatus.Pending or DeadlineStatus.Extended;

    public DeadlineStatus StatusAt(DateTimeOffset now) =>
        IsOpen && !IsBeforeEnd(now) ? (IsWindow ? DeadlineStatus.Expired : DeadlineStatus.Missed) : Status;

    /// <summary>
    /// The statutes' "before the end of the period": <see cref="DueAt"/> is the end of the last day (local
    /// midnight), so that instant is already the first day out, and a step dated at it is late.
    /// </summary>
    public bool IsBeforeEnd(DateTimeOffset at) => at < DueAt;

    /// <summary>Stopped by the event that the clock waits for: Met in time, Missed when late (in time as the rules version counts it).</summary>
    internal Deadline MetAt(bool inTime) =>
        this with { Status = inTime ? DeadlineStatus.Met : RanOut };

    /// <summary>Stopped before it ran out; a clock already past its due instant keeps reading Missed or Expired.</summary>
    internal Deadline CancelledAt(bool inTime) =>
        this with { Status = inTime ? DeadlineStatus.Cancelled : RanOut };

    private DeadlineStatus RanOut => IsWindow ? DeadlineStatus.Expired : DeadlineStatus.Missed;
}
