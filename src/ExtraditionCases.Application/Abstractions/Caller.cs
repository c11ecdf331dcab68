namespace ExtraditionCases.Application.Abstractions;

/// <summary>
/// Who is asking, from the validated token: the claims the contract uses. The caller's identity is
/// <see cref="Issuer"/> + <see cref="Subject"/>: two identity providers may hand out the same <c>sub</c>.
/// </summary>
public sealed record Caller(string Subject, string Role, string? Country, string? Agency, string Issuer)
{
    public const string Officer = "officer";
    public const string Partner = "partner";
    public const string Auditor = "auditor";

    /// <summary>A minister's office: reads its own country's reports and nothing else.</summary>
    public const string Reporter = "reporter";

    public bool IsOfficer => Role == Officer;
    public bool IsAuditor => Role == Auditor;
    public bool IsReporter => Role == Reporter;

    /// <summary>A party to a case is a caller whose country is one of its two states.</summary>
    public bool IsPartyTo(string requestingState, string requestedState) =>
        Country is not null && (Country == requestingState || Country == requestedState);
}

/// <summary>Where a request came from, for the event's <c>source</c>.</summary>
public sealed record RequestSource(string? RequestId, string? ClientAddress);
