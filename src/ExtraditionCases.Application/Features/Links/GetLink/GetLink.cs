using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Application.Features.Links;

/// <summary>
/// The details of a link, both cases named: only for a caller who may see both cases (auditors; officers of a
/// state party to both, which for a competing request is the requested state). Anyone else, a requesting state
/// shown a competing request included, gets 404: the case and its history say only that the link exists.
/// </summary>
public static class GetLink
{
    public sealed record Query(Caller Caller, Guid CaseId, Guid LinkId) : IRequest<LinkView>;

    public sealed class Handler(IDatabaseSession session) : IRequestHandler<Query, LinkView>
    {
        public async Task<LinkView> Handle(Query request, CancellationToken cancellationToken)
        {
            var link = await CaseLinks.FindAsync(session, request.LinkId, cancellationToken);
            if (link is null || !link.Cases.Any(c => c.Id == request.CaseId)
                || !link.Cases.All(c => CaseAccess.MaySee(request.Caller, c.RequestingState, c.RequestedState)))
                throw new NotFoundException($"No link {request.LinkId} of case {request.CaseId} that you may see.");
            return link;
        }
    }
}
