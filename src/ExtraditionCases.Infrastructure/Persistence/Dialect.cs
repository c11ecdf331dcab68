namespace ExtraditionCases.Infrastructure.Persistence;

/// <summary>
/// Every statement a repository runs, in both dialects, side by side. The SQL Server text is what
/// runs against SQL Server; the ScriptDom test parses each one and checks its names against the
/// migrations.
/// </summary>
public sealed record Dialect<TStatements>(TStatements Sqlite, TStatements SqlServer)
{
    public TStatements For(DatabaseProvider provider) => provider == DatabaseProvider.SqlServer ? SqlServer : Sqlite;
}
