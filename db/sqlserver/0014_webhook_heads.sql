-- Webhooks (issue 16): the pending deliveries of each subscription in order, so that the claim's "no earlier
-- pending delivery" test is one seek per candidate instead of a walk over every earlier delivery of the
-- subscription (found by the webhooks benchmark: 1,000 transitions, 3 subscribers).
CREATE INDEX IX_WebhookDeliveries_PendingBySubscription ON dbo.WebhookDeliveries (SubscriptionId, Seq) WHERE Status = 'Pending';
GO
