namespace ExtraditionCases.Application.Features.Audit;

/// <summary>
/// The filters both audit lists take: recorded from (inclusive) and to (exclusive), one case, and one
/// subject compared exactly (the actor of an event, the caller of a request).
/// </summary>
public sealed record AuditWindow(DateTimeOffset? From, DateTimeOffset? To, Guid? CaseId, string? Subject)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public const int MaxSubjectLength = 200;

    public static readonly AuditWindow All = new(null, null, null, null);
}
