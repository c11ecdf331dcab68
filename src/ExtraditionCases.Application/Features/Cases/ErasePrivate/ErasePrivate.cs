using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>
/// Erases one member of the caller's state's private file under data-protection law: every entry's salt
/// and content go, the commitments stay, so the shared chain and its hashes are untouched and no event is
/// recorded (the case's version does not move). The access log records who erased what.
/// </summary>
public static class ErasePrivate
{
    public static readonly IReadOnlyDictionary<string, string> MembersByName = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["asylumClaim"] = PrivateFile.AsylumClaim,
        ["healthNotes"] = PrivateFile.HealthNotes,
        ["counsel"] = PrivateFile.Counsel,
        ["legalAid"] = PrivateFile.LegalAid,
    };

    public sealed record Command(Caller Caller, CaseToWrite Target, string Member) : ICommand<Result>;

    public sealed record Result(Guid CaseId, string Country, string Member, int ErasedEntries);

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command request, CancellationToken cancellationToken)
        {
            if (!MembersByName.TryGetValue(request.Member, out var member))
                throw BadRequestException.For("member", $"One of {string.Join(", ", MembersByName.Keys)}.");
            var country = request.Caller.Country!;
            var erased = await session.ExecuteAsync(PrivateFile.Sql.Erase,
                new { CaseId = request.Target.Case.Id, Country = country, Member = member, ErasedAt = clock.GetUtcNow() }, cancellationToken);
            return new Result(request.Target.Case.Id, country, request.Member, erased);
        }
    }
}
