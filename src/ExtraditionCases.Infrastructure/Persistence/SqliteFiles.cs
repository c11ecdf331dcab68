using Microsoft.Data.Sqlite;

namespace ExtraditionCases.Infrastructure.Persistence;

public static class SqliteFiles
{
    /// <summary>
    /// A relative SQLite path is taken from the service's content root, not from wherever the process
    /// was started, so <c>./data/</c> always means the same folder.
    /// </summary>
    public static string RootedIn(string contentRoot, string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource is { Length: > 0 } source && source != ":memory:" && !Path.IsPathRooted(source)
            && builder.Mode != SqliteOpenMode.Memory)
        {
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, source));
        }

        return builder.ToString();
    }
}
