-- Webhooks (issue 16): subscriptions scoped to a country, the transactional outbox of deliveries
-- (written in the same transaction as each event), their attempts, and the clocks the sweep has
-- already announced as missed.
CREATE TABLE dbo.WebhookSubscriptions (
    Id                      uniqueidentifier  NOT NULL CONSTRAINT PK_WebhookSubscriptions PRIMARY KEY,
    Country                 nchar(2)          NOT NULL,
    CreatedBy               nvarchar(200)     NOT NULL,
    Url                     nvarchar(2000)    NOT NULL,
    -- ',CaseFiled,Transitioned,' (matched with LIKE on both dialects) or NULL for every type.
    EventTypes              nvarchar(1000)    NULL,
    CaseId                  uniqueidentifier  NULL,
    Secret                  nvarchar(100)     NOT NULL,
    PreviousSecret          nvarchar(100)     NULL,
    PreviousSecretExpiresAt datetimeoffset(7) NULL,
    Enabled                 bit               NOT NULL,
    DisabledReason          nvarchar(1000)    NULL,
    FailingSince            datetimeoffset(7) NULL,
    CreatedAt               datetimeoffset(7) NOT NULL,
    UpdatedAt               datetimeoffset(7) NOT NULL
);
GO

CREATE INDEX IX_WebhookSubscriptions_Country ON dbo.WebhookSubscriptions (Country, CreatedAt, Id);
GO

-- One row per subscriber and event (or missed clock). Seq is dense per subscription and taken inside
-- the writing transaction under an update lock on the subscription's last key (see WebhookSql), so a
-- subscription's deliveries are ordered as the events were committed.
CREATE TABLE dbo.WebhookDeliveries (
    Id             uniqueidentifier  NOT NULL CONSTRAINT PK_WebhookDeliveries PRIMARY KEY NONCLUSTERED,
    SubscriptionId uniqueidentifier  NOT NULL,
    Seq            bigint            NOT NULL,
    EventType      nvarchar(40)      NOT NULL,
    CaseId         uniqueidentifier  NOT NULL,
    CaseVersion    int               NOT NULL,
    Payload        nvarchar(max)     NOT NULL,
    CreatedAt      datetimeoffset(7) NOT NULL,
    Status         nvarchar(16)      NOT NULL CONSTRAINT CK_WebhookDeliveries_Status CHECK (Status IN ('Pending', 'Delivered')),
    Attempts       int               NOT NULL,
    NextAttemptAt  datetimeoffset(7) NOT NULL,
    LeaseToken     uniqueidentifier  NULL,
    LeaseUntil     datetimeoffset(7) NULL,
    DeliveredAt    datetimeoffset(7) NULL,
    LastAttemptAt  datetimeoffset(7) NULL,
    LastStatusCode int               NULL,
    LastLatencyMs  int               NULL,
    LastError      nvarchar(1000)    NULL,
    CONSTRAINT UQ_WebhookDeliveries_Seq UNIQUE CLUSTERED (SubscriptionId, Seq),
    CONSTRAINT FK_WebhookDeliveries_Subscriptions FOREIGN KEY (SubscriptionId) REFERENCES dbo.WebhookSubscriptions (Id)
);
GO

-- What the dispatcher claims: pending deliveries by due instant.
CREATE INDEX IX_WebhookDeliveries_Due ON dbo.WebhookDeliveries (NextAttemptAt, SubscriptionId, Seq) WHERE Status = 'Pending';
GO

CREATE TABLE dbo.WebhookAttempts (
    DeliveryId     uniqueidentifier  NOT NULL,
    Attempt        int               NOT NULL,
    SubscriptionId uniqueidentifier  NOT NULL,
    Seq            bigint            NOT NULL,
    AttemptedAt    datetimeoffset(7) NOT NULL,
    Outcome        nvarchar(16)      NOT NULL CONSTRAINT CK_WebhookAttempts_Outcome CHECK (Outcome IN ('Delivered', 'Failed')),
    StatusCode     int               NULL,
    LatencyMs      int               NOT NULL,
    Error          nvarchar(1000)    NULL,
    CONSTRAINT PK_WebhookAttempts PRIMARY KEY (DeliveryId, Attempt),
    CONSTRAINT FK_WebhookAttempts_Deliveries FOREIGN KEY (DeliveryId) REFERENCES dbo.WebhookDeliveries (Id)
);
GO

CREATE INDEX IX_WebhookAttempts_Subscription ON dbo.WebhookAttempts (SubscriptionId, Seq, Attempt);
GO

-- A clock that ran out writes nothing by itself: the sweep announces each (case, clock, due instant) once.
CREATE TABLE dbo.WebhookDeadlineNotices (
    CaseId    uniqueidentifier  NOT NULL,
    Ordinal   int               NOT NULL,
    DueAt     datetimeoffset(7) NOT NULL,
    NoticedAt datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_WebhookDeadlineNotices PRIMARY KEY (CaseId, Ordinal, DueAt)
);
GO
