using System.Text.RegularExpressions;

namespace ExtraditionCases.Tests.Support;

/// <summary>Finds the repository's files from the test assembly's folder, wherever the tests run.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static IReadOnlyList<string> SqlServerMigrationPaths =>
        [.. Directory.GetFiles(Path.Combine(Root, "db", "sqlserver"), "*.sql").Order(StringComparer.Ordinal)];

    /// <summary>Removes one column's line from a CREATE TABLE, to prove the checks notice a column going missing.</summary>
    public static string WithoutColumnLine(string script, string column) =>
        Regex.Replace(script, $@"^[ \t]*{Regex.Escape(column)}[ \t]+[^\r\n]*\r?\n", "", RegexOptions.Multiline);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ExtraditionCases.sln"))) return folder.FullName;
        }

        throw new InvalidOperationException($"No folder above {AppContext.BaseDirectory} holds ExtraditionCases.sln.");
    }
}
