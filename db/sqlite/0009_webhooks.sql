-- Webhooks (issue 16): subscriptions scoped to a country, the transactional outbox of deliveries
-- (written in the same transaction as each event), their attempts, and the clocks the sweep has
-- already announced as missed. Instants are TEXT in RFC 3339 UTC with milliseconds, as elsewhere.
CREATE TABLE WebhookSubscriptions (
    Id                      TEXT    NOT NULL PRIMARY KEY,
    Country                 TEXT    NOT NULL CHECK (length(Country) = 2),
    CreatedBy               TEXT    NOT NULL,
    Url                     TEXT    NOT NULL,
    -- ',CaseFiled,Transitioned,' (matched with LIKE on both dialects) or NULL for every type.
    EventTypes              TEXT    NULL,
    CaseId                  TEXT    NULL,
    Secret                  TEXT    NOT NULL,
    PreviousSecret          TEXT    NULL,
    PreviousSecretExpiresAt TEXT    NULL,
    Enabled                 INTEGER NOT NULL CHECK (Enabled IN (0, 1)),
    DisabledReason          TEXT    NULL,
    FailingSince            TEXT    NULL,
    CreatedAt               TEXT    NOT NULL,
    UpdatedAt               TEXT    NOT NULL
);

CREATE INDEX IX_WebhookSubscriptions_Country ON WebhookSubscriptions (Country, CreatedAt, Id);

-- One row per subscriber and event (or missed clock). Seq is dense per subscription and taken inside
-- the writing transaction, so a subscription's deliveries are ordered as the events were committed.
CREATE TABLE WebhookDeliveries (
    Id             TEXT    NOT NULL PRIMARY KEY,
    SubscriptionId TEXT    NOT NULL REFERENCES WebhookSubscriptions (Id),
    Seq            INTEGER NOT NULL,
    EventType      TEXT    NOT NULL,
    CaseId         TEXT    NOT NULL,
    CaseVersion    INTEGER NOT NULL,
    Payload        TEXT    NOT NULL,
    CreatedAt      TEXT    NOT NULL,
    Status         TEXT    NOT NULL CHECK (Status IN ('Pending', 'Delivered')),
    Attempts       INTEGER NOT NULL,
    NextAttemptAt  TEXT    NOT NULL,
    LeaseToken     TEXT    NULL,
    LeaseUntil     TEXT    NULL,
    DeliveredAt    TEXT    NULL,
    LastAttemptAt  TEXT    NULL,
    LastStatusCode INTEGER NULL,
    LastLatencyMs  INTEGER NULL,
    LastError      TEXT    NULL,
    CONSTRAINT UQ_WebhookDeliveries_Seq UNIQUE (SubscriptionId, Seq)
);

-- What the dispatcher claims: pending deliveries by due instant.
CREATE INDEX IX_WebhookDeliveries_Due ON WebhookDeliveries (NextAttemptAt, SubscriptionId, Seq) WHERE Status = 'Pending';

CREATE TABLE WebhookAttempts (
    DeliveryId     TEXT    NOT NULL REFERENCES WebhookDeliveries (Id),
    Attempt        INTEGER NOT NULL,
    SubscriptionId TEXT    NOT NULL,
    Seq            INTEGER NOT NULL,
    AttemptedAt    TEXT    NOT NULL,
    Outcome        TEXT    NOT NULL CHECK (Outcome IN ('Delivered', 'Failed')),
    StatusCode     INTEGER NULL,
    LatencyMs      INTEGER NOT NULL,
    Error          TEXT    NULL,
    CONSTRAINT PK_WebhookAttempts PRIMARY KEY (DeliveryId, Attempt)
);

CREATE INDEX IX_WebhookAttempts_Subscription ON WebhookAttempts (SubscriptionId, Seq, Attempt);

-- A clock that ran out writes nothing by itself: the sweep announces each (case, clock, due instant) once.
CREATE TABLE WebhookDeadlineNotices (
    CaseId    TEXT    NOT NULL,
    Ordinal   INTEGER NOT NULL,
    DueAt     TEXT    NOT NULL,
    NoticedAt TEXT    NOT NULL,
    CONSTRAINT PK_WebhookDeadlineNotices PRIMARY KEY (CaseId, Ordinal, DueAt)
) WITHOUT ROWID;
