using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Domain.Deadlines;

/// <summary>What a recorded transition means for the clocks: the spec's clock table, per statute.</summary>
public sealed record ClockEvent(
    WorkflowTrigger Trigger,
    CaseState From,
    CaseState To,
    DateTimeOffset OccurredAt,
    TriggerData Data,
    bool ConsentRecorded,
    Appellant? Appellant);

public enum Appellant { Person, RequestingState }

public sealed record ClockRules(string Code, TimeZoneInfo Zone, bool Advisory, bool SixtyFiveDayTerritory)
{
    private const string Ea2003 = "Extradition Act 2003";

    public void Apply(ClockEvent e, List<Deadline> clocks)
    {
        var book = new Book(this, clocks, e.OccurredAt);

        // Discharge, Withdraw and Close end every clock still running, except the one a
        // Discharge itself meets (ExecutiveDecision) or starts (RequestingStateAppealWindow).
        if (e.Trigger is WorkflowTrigger.Discharge)
        {
            if (Code == "GB" && e.Data.Text("by") == "Executive") book.Meet(DeadlineKind.ExecutiveDecision);
            book.CancelAll();
            if (Code == "GB" && DischargeIsAppealableByRequestingState(e.From, e.Data))
                book.Start(DeadlineKind.RequestingStateAppealWindow, $"{Ea2003} ss.105, 110", StatutoryPeriod.OfDays(14));
            return;
        }

        if (e.Trigger is WorkflowTrigger.Withdraw or WorkflowTrigger.Close)
        {
            book.CancelAll();
            return;
        }

        switch (Code)
        {
            case "PK":
                ApplyPakistan(e, book);
                break;
            case "US":
                ApplyUnitedStates(e, book);
                break;
            default:
                ApplyGreatBritain(e, book);
                break;
        }
    }

    /// <summary>ss.105 and 110: a discharge at the extradition hearing or by the executive.</summary>
    public static bool DischargeIsAppealableByRequestingState(CaseState from, TriggerData data) =>
        data.Text("by") switch
        {
            "Judge" => from is CaseState.ExtraditionHearing or CaseState.HearingAdjourned,
            "Executive" => from is CaseState.ExecutiveDecision or CaseState.DecisionDeferred,
            _ => false,
        };

    private void ApplyGreatBritain(ClockEvent e, Book book)
    {
        var intoExecutive = e.To == CaseState.ExecutiveDecision && e.From != CaseState.ExecutiveDecision;
        switch (e.Trigger)
        {
            case WorkflowTrigger.ProvisionalArrest:
                book.Start(DeadlineKind.FullRequest, $"{Ea2003} s.74",
                    StatutoryPeriod.OfDays(SixtyFiveDayTerritory ? 65 : 45));
                break;
            case WorkflowTrigger.ReceiveFullRequest:
                book.Meet(DeadlineKind.FullRequest);
                book.Start(DeadlineKind.HearingStart, $"{Ea2003} ss.75-76", StatutoryPeriod.OfMonths(2));
                break;
            case WorkflowTrigger.Arrest:
                book.Start(DeadlineKind.HearingStart, $"{Ea2003} ss.75-76", StatutoryPeriod.OfMonths(2));
                break;
            case WorkflowTrigger.OpenHearing:
                book.Meet(DeadlineKind.HearingStart);
                break;
            case WorkflowTrigger.RecordConsent:
                book.Cancel(DeadlineKind.FullRequest);
                book.Meet(DeadlineKind.HearingStart);
                if (intoExecutive) StartExecutiveClocks(book);
                break;
            case WorkflowTrigger.SendToExecutive:
            case WorkflowTrigger.ResumeDecision:
                StartExecutiveClocks(book);
                break;
            case WorkflowTrigger.DeferDecision:
                book.Cancel(DeadlineKind.Representations);
                book.Cancel(DeadlineKind.ExecutiveDecision);
                break;
            case WorkflowTrigger.OrderExtradition:
                book.Meet(DeadlineKind.ExecutiveDecision);
                // The person is informed of the order that day; consent bars the appeal (s.103(2)).
                if (!e.ConsentRecorded)
                    book.Start(DeadlineKind.AppealWindow, $"{Ea2003} ss.103, 108", StatutoryPeriod.OfDays(14));
                book.Start(DeadlineKind.Surrender, $"{Ea2003} s.117", StatutoryPeriod.OfDays(28));
                break;
            case WorkflowTrigger.LodgeAppeal when e.Appellant == Appellant.RequestingState:
                book.Meet(DeadlineKind.RequestingStateAppealWindow);
                break;
            case WorkflowTrigger.LodgeAppeal:
                book.Meet(DeadlineKind.AppealWindow);
                book.Cancel(DeadlineKind.Surrender);
                break;
            case WorkflowTrigger.DismissAppeal when e.Appellant == Appellant.Person:
                book.Start(DeadlineKind.SurrenderAfterAppeal, $"{Ea2003} s.118", StatutoryPeriod.OfDays(28));
                break;
            case WorkflowTrigger.PostponeSurrender:
                book.Cancel(DeadlineKind.Surrender);
                book.Cancel(DeadlineKind.SurrenderAfterAppeal);
                break;
            case WorkflowTrigger.LiftPostponement:
                book.Start(DeadlineKind.Surrender, $"{Ea2003} s.117", StatutoryPeriod.OfDays(28));
                break;
            case WorkflowTrigger.Surrender:
                book.Meet(DeadlineKind.Surrender);
                book.Meet(DeadlineKind.SurrenderAfterAppeal);
                break;
        }
    }

    private static void StartExecutiveClocks(Book book)
    {
        book.Start(DeadlineKind.Representations, $"{Ea2003} s.93", StatutoryPeriod.OfWeeks(4));
        book.Start(DeadlineKind.ExecutiveDecision, $"{Ea2003} s.99", StatutoryPeriod.OfMonths(2));
    }

    /// <summary>Extradition Act 1972 s.12: discharge if not conveyed out within two months of committal.</summary>
    private static void ApplyPakistan(ClockEvent e, Book book)
    {
        var committal = e.Trigger == WorkflowTrigger.SendToExecutive
            || (e.Trigger == WorkflowTrigger.RecordConsent && e.From != CaseState.ExecutiveDecision);
        if (committal) book.Start(DeadlineKind.Surrender, "Extradition Act 1972 s.12", StatutoryPeriod.OfMonths(2));
        if (e.Trigger == WorkflowTrigger.Surrender) book.Meet(DeadlineKind.Surrender);
    }

    /// <summary>18 U.S.C. 3188: discharge may be sought if not surrendered within two calendar months of commitment.</summary>
    private static void ApplyUnitedStates(ClockEvent e, Book book)
    {
        if (e.Trigger == WorkflowTrigger.SendToExecutive) book.Start(DeadlineKind.Surrender, "18 U.S.C. 3188", StatutoryPeriod.OfMonths(2));
        if (e.Trigger == WorkflowTrigger.Surrender) book.Meet(DeadlineKind.Surrender);
    }

    /// <summary>The deadline a clock of this kind started now would have: used by the time guards.</summary>
    public DateTimeOffset DueAt(StatutoryPeriod period, DateTimeOffset startedAt) => period.DueAt(startedAt, Zone);

    private sealed class Book(ClockRules rules, List<Deadline> clocks, DateTimeOffset at)
    {
        public void Start(DeadlineKind kind, string statute, StatutoryPeriod period)
        {
            Cancel(kind); // a restarted clock replaces the one still running
            clocks.Add(new Deadline
            {
                Ordinal = clocks.Count == 0 ? 1 : clocks.Max(c => c.Ordinal) + 1,
                Kind = kind,
                StartedAt = at,
                DueAt = period.DueAt(at, rules.Zone),
                Status = DeadlineStatus.Pending,
                Statute = statute,
                Advisory = rules.Advisory,
            });
        }

        public void Meet(DeadlineKind kind)
        {
            foreach (var clock in clocks.Where(c => c.Kind == kind && c.IsOpen)) clock.Meet(at);
        }

        public void Cancel(DeadlineKind kind)
        {
            foreach (var clock in clocks.Where(c => c.Kind == kind && c.IsOpen)) clock.Cancel(at);
        }

        public void CancelAll()
        {
            foreach (var clock in clocks.Where(c => c.IsOpen)) clock.Cancel(at);
        }
    }
}
