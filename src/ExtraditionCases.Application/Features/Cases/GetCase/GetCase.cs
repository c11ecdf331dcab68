using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>Reads one case: officers of either party, and auditors.</summary>
public static class GetCase
{
    public sealed record Query(Caller Caller, Guid Id) : IRequest<CaseView>;

    public sealed class Handler(ICaseStore store, TimeProvider clock, AgencyPowers agencies, IDatabaseSession session, Documents.DocumentOptions documents)
        : IRequestHandler<Query, CaseView>
    {
        public async Task<CaseView> Handle(Query request, CancellationToken cancellationToken)
        {
            var loaded = await store.FindAsync(request.Id, cancellationToken);
            if (loaded is null || !CaseAccess.MaySee(request.Caller, loaded.Case.File.RequestingState, loaded.Case.File.RequestedState))
                throw new NotFoundException($"No case {request.Id}.");
            var links = await Links.CaseLinks.OfCaseAsync(session, request.Caller, loaded.Case.Id, cancellationToken);
            return CaseView.Of(loaded.Case, request.Caller, clock.GetUtcNow(), agencies) with
            {
                Links = links,
                CompetingRequests = Links.CaseLinks.Competing(links),
                MissingDocuments = await Documents.GetChecklist.NextStagesAsync(session, documents, loaded.Case, cancellationToken),
                Private = request.Caller.Country is { } country
                    ? PrivateFile.View(country, await PrivateFile.CurrentAsync(session, loaded.Case.Id, country, cancellationToken))
                    : null,
                Assignees = await AssignOfficer.ReadAsync(session, loaded.Case.Id, cancellationToken),
            };
        }
    }
}
