using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Cases;

public static class CaseAccess
{
    /// <summary>Auditors see every case; anyone else only the cases of their own state (404 otherwise).</summary>
    public static bool MaySee(Caller caller, string requestingState, string requestedState) =>
        caller.IsAuditor || caller.IsPartyTo(requestingState, requestedState);
}
