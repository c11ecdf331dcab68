-- Webhooks (issue 16): the pending deliveries of each subscription in order, so that the dispatcher finds each
-- subscription's head (its lowest pending position) with one probe, instead of comparing every pending delivery
-- with every earlier one: the claim runs under the writer gate, and with a backlog of thousands it held the gate
-- for seconds (found by the webhooks benchmark: 1,000 transitions, 3 subscribers).
CREATE INDEX IX_WebhookDeliveries_PendingBySubscription ON WebhookDeliveries (SubscriptionId, Seq) WHERE Status = 'Pending';
