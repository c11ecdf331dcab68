using ExtraditionCases.Infrastructure.Persistence;

namespace ExtraditionCases.Infrastructure.Transparency;

/// <summary>
/// The trees' writes, in both dialects: a leaf per entry, appended in the writer's transaction at the tree's
/// next index (SQLite: one writer at a time; SQL Server: UPDLOCK + HOLDLOCK on the tree's last key, as the
/// change feed does), and the publisher's reads and writes of nodes and checkpoints.
/// </summary>
public sealed record TransparencySql(
    string AppendLeaf,
    string TreeSizes,
    string IntegratedSize,
    string LeavesFrom,
    string InsertNode,
    string InsertCheckpoint)
{
    private const string LeafColumns = "Tree, LeafIndex, CaseId, Sequence, AccessId, EntryHash";
    private const string LeafValues = "@Tree, COALESCE(MAX(LeafIndex), -1) + 1, @CaseId, @Sequence, @AccessId, @EntryHash";

    public static readonly Dialect<TransparencySql> Statements = new(
        Sqlite: new TransparencySql(
            AppendLeaf: $"INSERT INTO TransparencyLeaves ({LeafColumns}) SELECT {LeafValues} FROM TransparencyLeaves WHERE Tree = @Tree",
            TreeSizes: "SELECT Tree, MAX(LeafIndex) + 1 AS Size FROM TransparencyLeaves GROUP BY Tree ORDER BY Tree",
            IntegratedSize: "SELECT COALESCE(MAX(NodeIndex) + 1, 0) FROM TransparencyNodes WHERE Tree = @Tree AND Level = 0",
            LeavesFrom: "SELECT LeafIndex, EntryHash FROM TransparencyLeaves WHERE Tree = @Tree AND LeafIndex >= @From AND LeafIndex < @To ORDER BY LeafIndex",
            InsertNode: "INSERT INTO TransparencyNodes (Tree, Level, NodeIndex, Hash) VALUES (@Tree, @Level, @NodeIndex, @Hash)",
            InsertCheckpoint: "INSERT INTO TransparencyCheckpoints (Tree, TreeSize, RootHash, Note, PublishedAt) VALUES (@Tree, @TreeSize, @RootHash, @Note, @PublishedAt)"),
        SqlServer: new TransparencySql(
            AppendLeaf: $"INSERT INTO dbo.TransparencyLeaves ({LeafColumns}) SELECT {LeafValues} FROM dbo.TransparencyLeaves WITH (UPDLOCK, HOLDLOCK) WHERE Tree = @Tree;",
            TreeSizes: "SELECT Tree, MAX(LeafIndex) + 1 AS Size FROM dbo.TransparencyLeaves GROUP BY Tree ORDER BY Tree;",
            IntegratedSize: "SELECT COALESCE(MAX(NodeIndex) + 1, 0) FROM dbo.TransparencyNodes WITH (UPDLOCK, HOLDLOCK) WHERE Tree = @Tree AND Level = 0;",
            LeavesFrom: "SELECT LeafIndex, EntryHash FROM dbo.TransparencyLeaves WHERE Tree = @Tree AND LeafIndex >= @From AND LeafIndex < @To ORDER BY LeafIndex;",
            InsertNode: "INSERT INTO dbo.TransparencyNodes (Tree, Level, NodeIndex, Hash) VALUES (@Tree, @Level, @NodeIndex, @Hash);",
            InsertCheckpoint: "INSERT INTO dbo.TransparencyCheckpoints (Tree, TreeSize, RootHash, Note, PublishedAt) VALUES (@Tree, @TreeSize, @RootHash, @Note, @PublishedAt);"));
}
