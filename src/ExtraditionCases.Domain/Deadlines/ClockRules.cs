using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Domain.Deadlines;

public enum Appellant { Person, RequestingState }

/// <summary>A clock kind's statute and period under one law.</summary>
public sealed record ClockSpec(string Statute, StatutoryPeriod Period);

/// <summary>
/// The statute table: which clocks a requested state's law has, the statute that sets each and its
/// period, and how its days are counted. Which trigger starts, meets or cancels a clock is the
/// trigger's own definition (<see cref="ExtraditionCase"/>'s trigger table).
/// </summary>
public sealed record ClockRules(string Code, TimeZoneInfo Zone, bool Advisory, bool SixtyFiveDayTerritory)
{
    /// <summary>
    /// The current version of the rules, recorded with every event (CaseEvents.RulesVersion) so that a replay
    /// applies the rules in force when the event was made. 1: as first built; 2: the corrected law
    /// (finality and LeaveToAppeal, PK and US periods after the event, windows from informedAt and the
    /// first appearance, requesting-state appeals under GB rules only, a step at dueAt is late).
    /// </summary>
    public const int Version = 2;

    /// <summary>The oldest version this code can still compute clocks under.</summary>
    public const int FirstVersion = 1;

    /// <summary>
    /// The version these rules compute clocks under: <see cref="Version"/> unless a replay (or a case whose
    /// row was last computed under older rules) asked for an older one with <see cref="AtVersion"/>. Only the
    /// clock computations differ between versions; the trigger table is one.
    /// </summary>
    public int RulesVersion { get; init; } = Version;

    /// <summary>The same law and zone under rules version <paramref name="version"/>.</summary>
    public ClockRules AtVersion(int version) =>
        version is >= FirstVersion and <= Version
            ? this with { RulesVersion = version }
            : throw new ArgumentOutOfRangeException(nameof(version), version, $"Rules versions {FirstVersion} to {Version} are known.");

    /// <summary>
    /// Version 2 runs a clock from the instant its statute names when the step gives it (the person informed,
    /// ss.100, 103(9), 110(5); the first appearance, s.75(2); the end of the LeaveToAppeal window, s.118(2));
    /// version 1 started every clock at its step.
    /// </summary>
    public bool RunsFromStatutoryInstant => RulesVersion >= 2;

    /// <summary>
    /// Whether a step at <paramref name="at"/> stops <paramref name="clock"/> in time. Version 2: only before
    /// dueAt (the statutes' "before the end of the permitted period": dueAt is the first instant out);
    /// version 1 counted dueAt itself in.
    /// </summary>
    public bool InTime(Deadline clock, DateTimeOffset at) => RulesVersion >= 2 ? clock.IsBeforeEnd(at) : at <= clock.DueAt;

    /// <summary>Clock kinds a court may extend: the statute gives the power only for these (ss.76(4), 99(4)).</summary>
    public static bool IsExtendable(DeadlineKind kind) => kind is DeadlineKind.HearingStart or DeadlineKind.ExecutiveDecision;

    private const string Ea2003 = "Extradition Act 2003";

    /// <summary>This law's clock of <paramref name="kind"/>, or null when the law has none.</summary>
    public ClockSpec? For(DeadlineKind kind) => (Code, kind) switch
    {
        // "Within two months after" committal: the day of committal is not counted (version 1 counted it).
        ("PK", DeadlineKind.Surrender) => new("Extradition Act 1972 s.12", AfterCommittal(StatutoryPeriod.OfMonths(2))),
        ("US", DeadlineKind.Surrender) => new("18 U.S.C. 3188", AfterCommittal(StatutoryPeriod.OfMonths(2))),
        ("PK" or "US", _) => null,
        // Version 1 kept no window for leave to appeal: a dismissed appeal was final at once.
        (_, DeadlineKind.LeaveToAppeal) when RulesVersion < 2 => null,
        (_, DeadlineKind.FullRequest) => new($"{Ea2003} s.74", StatutoryPeriod.OfDays(SixtyFiveDayTerritory ? 65 : 45)),
        (_, DeadlineKind.HearingStart) => new($"{Ea2003} ss.75-76", StatutoryPeriod.OfMonths(2)),
        (_, DeadlineKind.Representations) => new($"{Ea2003} s.93", StatutoryPeriod.OfWeeks(4)),
        (_, DeadlineKind.ExecutiveDecision) => new($"{Ea2003} s.99", StatutoryPeriod.OfMonths(2)),
        (_, DeadlineKind.AppealWindow) => new($"{Ea2003} ss.103, 108", StatutoryPeriod.OfDays(14)),
        (_, DeadlineKind.RequestingStateAppealWindow) => new($"{Ea2003} ss.105, 110", StatutoryPeriod.OfDays(14)),
        (_, DeadlineKind.LeaveToAppeal) => new($"{Ea2003} s.114", StatutoryPeriod.OfDays(14)),
        (_, DeadlineKind.Surrender) => new($"{Ea2003} s.117", StatutoryPeriod.OfDays(28)),
        (_, DeadlineKind.SurrenderAfterAppeal) => new($"{Ea2003} s.118", StatutoryPeriod.OfDays(28)),
        _ => null,
    };

    private StatutoryPeriod AfterCommittal(StatutoryPeriod period) => RulesVersion >= 2 ? period.AfterTheDay() : period;

    /// <summary>The GB clocks (Extradition Act 2003), binding or advisory; PK and US have their own.</summary>
    public bool IsGreatBritain => Code is not ("PK" or "US");

    /// <summary>ss.105 and 110: a discharge at the extradition hearing or by the executive.</summary>
    public static bool DischargeIsAppealableByRequestingState(CaseState from, TriggerData data) =>
        data.Text("by") switch
        {
            "Judge" => from is CaseState.ExtraditionHearing or CaseState.HearingAdjourned,
            "Executive" => from is CaseState.ExecutiveDecision or CaseState.DecisionDeferred,
            _ => false,
        };

    /// <summary>The deadline a clock of this kind started now would have: used by the time guards.</summary>
    public DateTimeOffset DueAt(StatutoryPeriod period, DateTimeOffset startedAt) => period.DueAt(startedAt, Zone);
}

/// <summary>What one recorded step did to the clocks: the report <see cref="ExtraditionCase.Fire"/> returns.</summary>
public sealed record ClockReport(
    IReadOnlyList<DeadlineKind> Started,
    IReadOnlyList<DeadlineKind> Met,
    IReadOnlyList<DeadlineKind> Missed,
    IReadOnlyList<DeadlineKind> Expired,
    IReadOnlyList<DeadlineKind> Cancelled)
{
    public static readonly ClockReport None = new([], [], [], [], []);
}

/// <summary>
/// The clocks of one case as one step changes them, at that step's occurredAt. A trigger's definition
/// says what to start, meet or cancel; this book applies it under the case's law and keeps the report.
/// Stopping a clock after its due instant records it Missed (Expired for a window), whichever way it stops.
/// </summary>
public sealed class ClockBook
{
    private readonly List<Deadline> _clocks;
    private readonly List<DeadlineKind> _started = [], _met = [], _missed = [], _expired = [], _cancelled = [];

    internal ClockBook(ClockRules rules, List<Deadline> clocks, DateTimeOffset at)
    {
        Rules = rules;
        _clocks = clocks;
        At = at;
    }

    public ClockRules Rules { get; }
    public DateTimeOffset At { get; }

    /// <summary>
    /// Starts this law's clock of <paramref name="kind"/> (none if the law has no such clock) at the step,
    /// or at <paramref name="from"/> when the statute runs it from another instant (when the person was
    /// informed, the first appearance, or the end of another clock); a running one is replaced.
    /// </summary>
    public Deadline? Start(DeadlineKind kind, DateTimeOffset? from = null)
    {
        if (Rules.For(kind) is not { } spec) return null;
        Cancel(kind);
        var startedAt = (Rules.RunsFromStatutoryInstant ? from : null) ?? At;
        var clock = new Deadline
        {
            Ordinal = _clocks.Count == 0 ? 1 : _clocks.Max(c => c.Ordinal) + 1,
            Kind = kind,
            StartedAt = startedAt,
            DueAt = spec.Period.DueAt(startedAt, Rules.Zone),
            Status = DeadlineStatus.Pending,
            Statute = spec.Statute,
            Advisory = Rules.Advisory,
        };
        _clocks.Add(clock);
        _started.Add(kind);
        return clock;
    }

    public void Meet(DeadlineKind kind) => Stop(c => c.Kind == kind, c => c.MetAt(Rules.InTime(c, At)));

    public void Cancel(DeadlineKind kind) => Stop(c => c.Kind == kind, c => c.CancelledAt(Rules.InTime(c, At)));

    public void CancelAll() => Stop(_ => true, c => c.CancelledAt(Rules.InTime(c, At)));

    public ClockReport Report() => new([.. _started], [.. _met], [.. _missed], [.. _expired], [.. _cancelled]);

    private void Stop(Func<Deadline, bool> which, Func<Deadline, Deadline> stop)
    {
        for (var i = 0; i < _clocks.Count; i++)
        {
            if (!_clocks[i].IsOpen || !which(_clocks[i])) continue;
            _clocks[i] = stop(_clocks[i]);
            (_clocks[i].Status switch
            {
                DeadlineStatus.Met => _met,
                DeadlineStatus.Missed => _missed,
                DeadlineStatus.Expired => _expired,
                _ => _cancelled,
            }).Add(_clocks[i].Kind);
        }
    }
}
