namespace ExtraditionCases.Tests.Support;

public static class Repository
{
    /// <summary>The folder that holds ExtraditionCases.sln, found from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExtraditionCases.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("ExtraditionCases.sln not found above the test binaries.");
    }
}
