using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>
/// "Never reveal existence": answers 404 for a case that does not exist or that the caller may not see,
/// before the request body is even read, as the contract's order of errors requires.
/// </summary>
public static class CheckCaseAccess
{
    public sealed record Query(Caller Caller, Guid Id) : IRequest<CaseParties>;

    public sealed class Handler(ICaseStore store) : IRequestHandler<Query, CaseParties>
    {
        public async Task<CaseParties> Handle(Query request, CancellationToken cancellationToken)
        {
            var parties = await store.FindPartiesAsync(request.Id, cancellationToken);
            if (parties is null || !CaseAccess.MaySee(request.Caller, parties.RequestingState, parties.RequestedState))
                throw new NotFoundException($"No case {request.Id}.");
            return parties;
        }
    }
}
