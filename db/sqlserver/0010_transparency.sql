-- Transparency (issue 15): append-only Merkle trees (RFC 9162) over the recorded events, one per feed
-- audience (each party country, and 'all' for the auditors' tree over every case), and later the access
-- log's own ('access'). A leaf is the 32-byte hash an entry stored (EntryHash, hex); LeafIndex is dense
-- per tree and taken in the writing transaction under the same lock discipline as the feed's Seq, so for
-- case events it equals the feed position minus one. Nodes are the roots of the trees' perfect subtrees
-- (level 0: leaf hashes), written by the checkpoint publisher; checkpoints are the signed notes it
-- published (the signing key is never in the database); cosignatures are witnesses' signatures over them.
-- All four are append-only ledger tables.
CREATE TABLE dbo.TransparencyLeaves (
    Tree      nvarchar(8)       NOT NULL,
    LeafIndex bigint            NOT NULL,
    CaseId    uniqueidentifier  NULL,
    Sequence  int               NULL,
    AccessId  bigint            NULL,
    EntryHash nchar(64)         NOT NULL,
    CONSTRAINT PK_TransparencyLeaves PRIMARY KEY (Tree, LeafIndex),
    CONSTRAINT CK_TransparencyLeaves_LeafIndex CHECK (LeafIndex >= 0)
)
WITH (LEDGER = ON (APPEND_ONLY = ON));
GO

CREATE UNIQUE INDEX IX_TransparencyLeaves_Event ON dbo.TransparencyLeaves (Tree, CaseId, Sequence) WHERE CaseId IS NOT NULL;
GO

CREATE TABLE dbo.TransparencyNodes (
    Tree      nvarchar(8) NOT NULL,
    Level     int         NOT NULL,
    NodeIndex bigint      NOT NULL,
    Hash      nchar(64)   NOT NULL,
    CONSTRAINT PK_TransparencyNodes PRIMARY KEY (Tree, Level, NodeIndex),
    CONSTRAINT CK_TransparencyNodes_Level CHECK (Level BETWEEN 0 AND 62)
)
WITH (LEDGER = ON (APPEND_ONLY = ON));
GO

CREATE TABLE dbo.TransparencyCheckpoints (
    Tree        nvarchar(8)       NOT NULL,
    TreeSize    bigint            NOT NULL,
    RootHash    nchar(64)         NOT NULL,
    Note        nvarchar(4000)    NOT NULL,
    PublishedAt datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_TransparencyCheckpoints PRIMARY KEY (Tree, TreeSize),
    CONSTRAINT CK_TransparencyCheckpoints_TreeSize CHECK (TreeSize >= 1)
)
WITH (LEDGER = ON (APPEND_ONLY = ON));
GO

CREATE TABLE dbo.TransparencyCosignatures (
    Tree       nvarchar(8)       NOT NULL,
    TreeSize   bigint            NOT NULL,
    Witness    nvarchar(200)     NOT NULL,
    Line       nvarchar(1000)    NOT NULL,
    ReceivedAt datetimeoffset(7) NOT NULL,
    CONSTRAINT PK_TransparencyCosignatures PRIMARY KEY (Tree, TreeSize, Witness)
)
WITH (LEDGER = ON (APPEND_ONLY = ON));
GO

-- Events recorded before the trees existed, at the positions the feed gave them.
INSERT INTO dbo.TransparencyLeaves (Tree, LeafIndex, CaseId, Sequence, EntryHash)
SELECT CASE f.Audience WHEN N'**' THEN N'all' ELSE f.Audience END, f.Seq - 1, f.CaseId, f.Version, e.Hash
FROM dbo.ChangeFeed f
JOIN dbo.CaseEvents e ON e.CaseId = f.CaseId AND e.Sequence = f.Version;
GO

-- Verification reads a case's feed rows (every event in each audience, at its leaf's position).
CREATE INDEX IX_ChangeFeed_Case ON dbo.ChangeFeed (CaseId, Version);
GO

-- The access log (issue 15): rolled-up refusals (RequestCount), the cases a list, search, feed or export read
-- returned (CaseIds, a JSON array), each entry's hash (its leaf in the 'access' tree). Rows are append-only
-- for the service: its role may INSERT and SELECT only (the grants below; see docs/sqlserver.md).
ALTER TABLE dbo.AccessLog ADD
    RequestCount int NOT NULL CONSTRAINT DF_AccessLog_RequestCount DEFAULT 1 CONSTRAINT CK_AccessLog_RequestCount CHECK (RequestCount >= 1),
    CaseIds nvarchar(max) NULL,
    EntryHash nchar(64) NULL;
GO

-- Least privilege (issue 15): the role the service's own login is a member of (docs/sqlserver.md). It reads
-- what it serves and writes only what the model writes: INSERT only on the append-only records (events,
-- feed, access log, the trees and their checkpoints and cosignatures), UPDATE only on the case row and the
-- reference counter, DELETE only on the clocks it rewrites and on expired idempotency keys. Schema changes
-- and everything else stay with the migration's login. Later migrations grant their own tables.
IF DATABASE_PRINCIPAL_ID(N'extradition_service') IS NULL CREATE ROLE extradition_service;
GO

GRANT SELECT ON SCHEMA::dbo TO extradition_service;
GRANT INSERT ON dbo.CaseEvents TO extradition_service;
GRANT INSERT ON dbo.ChangeFeed TO extradition_service;
GRANT INSERT ON dbo.AccessLog TO extradition_service;
GRANT INSERT ON dbo.TransparencyLeaves TO extradition_service;
GRANT INSERT ON dbo.TransparencyNodes TO extradition_service;
GRANT INSERT ON dbo.TransparencyCheckpoints TO extradition_service;
GRANT INSERT ON dbo.TransparencyCosignatures TO extradition_service;
GRANT INSERT, UPDATE ON dbo.Cases TO extradition_service;
GRANT UPDATE ON dbo.ReferenceCounter TO extradition_service;
GRANT INSERT, DELETE ON dbo.Deadlines TO extradition_service;
GRANT INSERT, DELETE ON dbo.IdempotencyKeys TO extradition_service;
-- Explicit, so that a broader grant added later (db_datawriter, say) cannot reopen them: DENY wins.
DENY UPDATE, DELETE ON dbo.CaseEvents TO extradition_service;
DENY UPDATE, DELETE ON dbo.ChangeFeed TO extradition_service;
DENY UPDATE, DELETE ON dbo.AccessLog TO extradition_service;
DENY UPDATE, DELETE ON dbo.TransparencyLeaves TO extradition_service;
DENY UPDATE, DELETE ON dbo.TransparencyNodes TO extradition_service;
DENY UPDATE, DELETE ON dbo.TransparencyCheckpoints TO extradition_service;
DENY UPDATE, DELETE ON dbo.TransparencyCosignatures TO extradition_service;
DENY DELETE ON dbo.Cases TO extradition_service;
GO
