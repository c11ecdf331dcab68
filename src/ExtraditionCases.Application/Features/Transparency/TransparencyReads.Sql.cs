using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Transparency;

public static partial class TransparencyReads
{
    public static class Sql
    {
        private const string CheckpointColumns = "Tree, TreeSize, RootHash, Note, PublishedAt";

        public static readonly SqlStatement LatestCheckpoint = new(
            Sqlite: $"SELECT {CheckpointColumns} FROM TransparencyCheckpoints WHERE Tree = @Tree ORDER BY TreeSize DESC LIMIT 1",
            SqlServer: $"SELECT TOP (1) {CheckpointColumns} FROM dbo.TransparencyCheckpoints WHERE Tree = @Tree ORDER BY TreeSize DESC;");

        public static readonly SqlStatement CheckpointAt = new(
            Sqlite: $"SELECT {CheckpointColumns} FROM TransparencyCheckpoints WHERE Tree = @Tree AND TreeSize = @TreeSize",
            SqlServer: $"SELECT {CheckpointColumns} FROM dbo.TransparencyCheckpoints WHERE Tree = @Tree AND TreeSize = @TreeSize;");

        public static readonly SqlStatement Cosignatures = new(
            Sqlite: "SELECT Witness, Line FROM TransparencyCosignatures WHERE Tree = @Tree AND TreeSize = @TreeSize ORDER BY Witness",
            SqlServer: "SELECT Witness, Line FROM dbo.TransparencyCosignatures WHERE Tree = @Tree AND TreeSize = @TreeSize ORDER BY Witness;");

        public static readonly SqlStatement Node = new(
            Sqlite: "SELECT Hash FROM TransparencyNodes WHERE Tree = @Tree AND Level = @Level AND NodeIndex = @NodeIndex",
            SqlServer: "SELECT Hash FROM dbo.TransparencyNodes WHERE Tree = @Tree AND Level = @Level AND NodeIndex = @NodeIndex;");

        /// <summary>
        /// The stored nodes named in @Ids, a JSON array of [level, index] pairs, in one read (issue 20: a history's audit
        /// paths need about two nodes per event; read one statement each, they were most of a history's cost). Nodes not
        /// stored yet are simply not returned. On SQLite, CROSS JOIN keeps the list outermost (a key lookup per pair): with
        /// a plain JOIN the planner scanned the tree's nodes and probed the list.
        /// </summary>
        public static readonly SqlStatement Nodes = new(
            Sqlite: """
                SELECT n.Level, n.NodeIndex, n.Hash
                FROM json_each(@Ids) j
                CROSS JOIN TransparencyNodes n ON n.Tree = @Tree AND n.Level = json_extract(j.value, '$[0]') AND n.NodeIndex = json_extract(j.value, '$[1]')
                """,
            SqlServer: """
                SELECT n.Level, n.NodeIndex, n.Hash
                FROM OPENJSON(@Ids) WITH (Level int '$[0]', NodeIndex bigint '$[1]') j
                JOIN dbo.TransparencyNodes n ON n.Tree = @Tree AND n.Level = j.Level AND n.NodeIndex = j.NodeIndex;
                """);

        public static readonly SqlStatement LeafOfEvent = new(
            Sqlite: "SELECT LeafIndex, CaseId, Sequence, EntryHash FROM TransparencyLeaves WHERE Tree = @Tree AND CaseId = @CaseId AND Sequence = @Sequence",
            SqlServer: "SELECT LeafIndex, CaseId, Sequence, EntryHash FROM dbo.TransparencyLeaves WHERE Tree = @Tree AND CaseId = @CaseId AND Sequence = @Sequence;");

        public static readonly SqlStatement LeavesOfCase = new(
            Sqlite: "SELECT LeafIndex, CaseId, Sequence, EntryHash FROM TransparencyLeaves WHERE Tree = @Tree AND CaseId = @CaseId ORDER BY Sequence",
            SqlServer: "SELECT LeafIndex, CaseId, Sequence, EntryHash FROM dbo.TransparencyLeaves WHERE Tree = @Tree AND CaseId = @CaseId ORDER BY Sequence;");

        /// <summary>What a history's transparency member needs of the case's leaves: covered by IX_TransparencyLeaves_Event (the key is in it).</summary>
        public static readonly SqlStatement LeafIndexesOfCase = new(
            Sqlite: "SELECT Sequence, LeafIndex FROM TransparencyLeaves WHERE Tree = @Tree AND CaseId = @CaseId ORDER BY Sequence",
            SqlServer: "SELECT Sequence, LeafIndex FROM dbo.TransparencyLeaves WHERE Tree = @Tree AND CaseId = @CaseId ORDER BY Sequence;");

        public static readonly SqlStatement LeafAt = new(
            Sqlite: "SELECT LeafIndex, CaseId, Sequence, EntryHash FROM TransparencyLeaves WHERE Tree = @Tree AND LeafIndex = @LeafIndex",
            SqlServer: "SELECT LeafIndex, CaseId, Sequence, EntryHash FROM dbo.TransparencyLeaves WHERE Tree = @Tree AND LeafIndex = @LeafIndex;");

        /// <summary>A witness's cosignature, once per witness and checkpoint; the size comes back only when it was new.</summary>
        public static readonly SqlStatement InsertCosignature = new(
            Sqlite: """
                INSERT INTO TransparencyCosignatures (Tree, TreeSize, Witness, Line, ReceivedAt)
                SELECT @Tree, @TreeSize, @Witness, @Line, @ReceivedAt
                WHERE NOT EXISTS (SELECT 1 FROM TransparencyCosignatures WHERE Tree = @Tree AND TreeSize = @TreeSize AND Witness = @Witness)
                RETURNING TreeSize
                """,
            SqlServer: """
                INSERT INTO dbo.TransparencyCosignatures (Tree, TreeSize, Witness, Line, ReceivedAt)
                OUTPUT inserted.TreeSize
                SELECT @Tree, @TreeSize, @Witness, @Line, @ReceivedAt
                WHERE NOT EXISTS (SELECT 1 FROM dbo.TransparencyCosignatures WITH (UPDLOCK, HOLDLOCK) WHERE Tree = @Tree AND TreeSize = @TreeSize AND Witness = @Witness);
                """);
    }
}
