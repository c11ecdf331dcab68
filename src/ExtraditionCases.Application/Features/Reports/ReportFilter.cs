using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Cases;

namespace ExtraditionCases.Application.Features.Reports;

/// <summary>What a period's bounds are compared with: the case's filing (its CaseFiled event, receivedAt) or the dated event itself.</summary>
public enum ReportPeriod { Filed, Event }

/// <summary>Relative to the caller's own country: cases it asked for (outgoing) or was asked for (incoming).</summary>
public enum ReportDirection { Outgoing, Incoming }

/// <summary>
/// The filters every report takes, as the client sent them. <see cref="From"/> is inclusive and
/// <see cref="To"/> exclusive; either may be absent.
/// </summary>
public sealed record ReportFilter(
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    ReportPeriod Period = ReportPeriod.Filed,
    string? RequestingState = null,
    string? RequestedState = null,
    ReportDirection? Direction = null,
    OffenceCategory? OffenceCategory = null,
    LegalBasis? Basis = null);

/// <summary>
/// The filter as the SQL takes it: every member a parameter of the same name in every report statement,
/// null for "any". <see cref="Country"/> is the caller's scope (null for auditors: every case).
/// </summary>
public sealed record ReportParameters(
    string? Country, string? RequestingState, string? RequestedState, string? OffenceCategory, string? Basis,
    DateTimeOffset? FiledFrom, DateTimeOffset? FiledTo, DateTimeOffset? EventFrom, DateTimeOffset? EventTo, DateTimeOffset Now)
{
    /// <summary>No case has this country: a filter that contradicts the caller's scope or direction selects nothing.</summary>
    private const string Nobody = "--";

    /// <summary>
    /// Who may read reports, and on which cases: officers and reporters of a state those to which their state is
    /// a party, auditors every case. Partners read none (403); a caller of no known country sees nothing.
    /// </summary>
    public static ReportParameters For(Caller caller, ReportFilter filter, DateTimeOffset now)
    {
        if (!caller.IsAuditor && !caller.IsOfficer && !caller.IsReporter) throw new ForbiddenException("Reports are for officers, reporters and auditors.");
        if (filter.From is { } from && filter.To is { } to && from >= to) throw BadRequestException.For("to", "'to' must be after 'from'.");
        var country = caller.IsAuditor ? null : caller.Country ?? Nobody;
        string? requesting = filter.RequestingState, requested = filter.RequestedState;
        if (filter.Direction is { } direction)
        {
            if (caller.Country is null) throw BadRequestException.For("direction", "A direction is relative to the caller's country, and this token names none.");
            var side = direction == ReportDirection.Outgoing ? requesting : requested;
            var narrowed = side is null || side == caller.Country ? caller.Country : Nobody;
            if (direction == ReportDirection.Outgoing) requesting = narrowed;
            else requested = narrowed;
        }

        var byFiling = filter.Period == ReportPeriod.Filed;
        return new ReportParameters(country, requesting, requested, filter.OffenceCategory?.ToString(), filter.Basis?.ToString(),
            byFiling ? filter.From : null, byFiling ? filter.To : null, byFiling ? null : filter.From, byFiling ? null : filter.To, now);
    }
}
