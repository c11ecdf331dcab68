namespace ExtraditionCases.Api.Features.Webhooks;

/// <summary>Webhook subscriptions of the caller's country (officers and partners), their deliveries and attempts.</summary>
internal static class WebhooksArea
{
    public const string Tag = "Webhooks";

    public static void Map(RouteGroupBuilder api)
    {
        var subscriptions = api.MapGroup("/webhooks/subscriptions").WithTags(Tag);
        CreateSubscriptionEndpoint.Map(subscriptions);
        ListSubscriptionsEndpoint.Map(subscriptions);
        GetSubscriptionEndpoint.Map(subscriptions);
        UpdateSubscriptionEndpoint.Map(subscriptions);
        RotateSecretEndpoint.Map(subscriptions);
        ListDeliveriesEndpoint.Map(subscriptions);
        RedeliverEndpoint.Map(subscriptions);
    }
}
