-- Transparency (issue 15): append-only Merkle trees (RFC 9162) over the recorded events, one per feed
-- audience (each party country, and 'all' for the auditors' tree over every case), and later the access
-- log's own ('access'). A leaf is the 32-byte hash an entry stored (EntryHash, hex); LeafIndex is dense
-- per tree and taken in the writing transaction like the feed's Seq, so for case events it equals the
-- feed position minus one. Nodes are the roots of the trees' perfect subtrees (level 0: leaf hashes),
-- written by the checkpoint publisher; checkpoints are the signed notes it published (the signing key is
-- never in the database); cosignatures are witnesses' signatures over them.
CREATE TABLE TransparencyLeaves (
    Tree      TEXT    NOT NULL CHECK (length(Tree) BETWEEN 2 AND 8),
    LeafIndex INTEGER NOT NULL CHECK (LeafIndex >= 0),
    CaseId    TEXT    NULL,
    Sequence  INTEGER NULL,
    AccessId  INTEGER NULL,
    EntryHash TEXT    NOT NULL CHECK (length(EntryHash) = 64),
    CONSTRAINT PK_TransparencyLeaves PRIMARY KEY (Tree, LeafIndex)
) WITHOUT ROWID;

CREATE UNIQUE INDEX IX_TransparencyLeaves_Event ON TransparencyLeaves (Tree, CaseId, Sequence) WHERE CaseId IS NOT NULL;

CREATE TABLE TransparencyNodes (
    Tree      TEXT    NOT NULL,
    Level     INTEGER NOT NULL CHECK (Level BETWEEN 0 AND 62),
    NodeIndex INTEGER NOT NULL CHECK (NodeIndex >= 0),
    Hash      TEXT    NOT NULL CHECK (length(Hash) = 64),
    CONSTRAINT PK_TransparencyNodes PRIMARY KEY (Tree, Level, NodeIndex)
) WITHOUT ROWID;

CREATE TABLE TransparencyCheckpoints (
    Tree        TEXT    NOT NULL,
    TreeSize    INTEGER NOT NULL CHECK (TreeSize >= 1),
    RootHash    TEXT    NOT NULL CHECK (length(RootHash) = 64),
    Note        TEXT    NOT NULL,
    PublishedAt TEXT    NOT NULL,
    CONSTRAINT PK_TransparencyCheckpoints PRIMARY KEY (Tree, TreeSize)
) WITHOUT ROWID;

CREATE TABLE TransparencyCosignatures (
    Tree       TEXT    NOT NULL,
    TreeSize   INTEGER NOT NULL,
    Witness    TEXT    NOT NULL,
    Line       TEXT    NOT NULL,
    ReceivedAt TEXT    NOT NULL,
    CONSTRAINT PK_TransparencyCosignatures PRIMARY KEY (Tree, TreeSize, Witness)
) WITHOUT ROWID;

CREATE TRIGGER TR_TransparencyLeaves_NoUpdate BEFORE UPDATE ON TransparencyLeaves BEGIN SELECT RAISE(ABORT, 'TransparencyLeaves is append-only'); END;
CREATE TRIGGER TR_TransparencyLeaves_NoDelete BEFORE DELETE ON TransparencyLeaves BEGIN SELECT RAISE(ABORT, 'TransparencyLeaves is append-only'); END;
CREATE TRIGGER TR_TransparencyNodes_NoUpdate BEFORE UPDATE ON TransparencyNodes BEGIN SELECT RAISE(ABORT, 'TransparencyNodes is append-only'); END;
CREATE TRIGGER TR_TransparencyNodes_NoDelete BEFORE DELETE ON TransparencyNodes BEGIN SELECT RAISE(ABORT, 'TransparencyNodes is append-only'); END;
CREATE TRIGGER TR_TransparencyCheckpoints_NoUpdate BEFORE UPDATE ON TransparencyCheckpoints BEGIN SELECT RAISE(ABORT, 'TransparencyCheckpoints is append-only'); END;
CREATE TRIGGER TR_TransparencyCheckpoints_NoDelete BEFORE DELETE ON TransparencyCheckpoints BEGIN SELECT RAISE(ABORT, 'TransparencyCheckpoints is append-only'); END;
CREATE TRIGGER TR_TransparencyCosignatures_NoUpdate BEFORE UPDATE ON TransparencyCosignatures BEGIN SELECT RAISE(ABORT, 'TransparencyCosignatures is append-only'); END;
CREATE TRIGGER TR_TransparencyCosignatures_NoDelete BEFORE DELETE ON TransparencyCosignatures BEGIN SELECT RAISE(ABORT, 'TransparencyCosignatures is append-only'); END;

-- Events recorded before the trees existed, at the positions the feed gave them.
INSERT INTO TransparencyLeaves (Tree, LeafIndex, CaseId, Sequence, EntryHash)
SELECT CASE f.Audience WHEN '**' THEN 'all' ELSE f.Audience END, f.Seq - 1, f.CaseId, f.Version, e.Hash
FROM ChangeFeed f
JOIN CaseEvents e ON e.CaseId = f.CaseId AND e.Sequence = f.Version;

-- Verification reads a case's feed rows (every event in each audience, at its leaf's position).
CREATE INDEX IX_ChangeFeed_Case ON ChangeFeed (CaseId, Version);

-- The access log (issue 15): rolled-up refusals (RequestCount), the cases a list, search, feed or export read
-- returned (CaseIds, a JSON array), each entry's hash (its leaf in the 'access' tree), and append-only rows.
ALTER TABLE AccessLog ADD COLUMN RequestCount INTEGER NOT NULL DEFAULT 1 CHECK (RequestCount >= 1);
ALTER TABLE AccessLog ADD COLUMN CaseIds TEXT NULL;
ALTER TABLE AccessLog ADD COLUMN EntryHash TEXT NULL;
CREATE TRIGGER TR_AccessLog_NoUpdate BEFORE UPDATE ON AccessLog BEGIN SELECT RAISE(ABORT, 'AccessLog is append-only'); END;
CREATE TRIGGER TR_AccessLog_NoDelete BEFORE DELETE ON AccessLog BEGIN SELECT RAISE(ABORT, 'AccessLog is append-only'); END;
