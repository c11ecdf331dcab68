using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>One of the caller's country's subscriptions, with why it was disabled if it was.</summary>
public static class GetSubscription
{
    public sealed record Query(Caller Caller, Guid Id) : IRequest<SubscriptionView>;

    public sealed class Handler(IDatabaseSession session, TimeProvider clock) : IRequestHandler<Query, SubscriptionView>
    {
        public async Task<SubscriptionView> Handle(Query request, CancellationToken cancellationToken)
        {
            Subscriptions.CountryOf(request.Caller);
            return (await Subscriptions.FindOwnAsync(session, request.Caller, request.Id, cancellationToken)).ToView(clock.GetUtcNow());
        }
    }
}
