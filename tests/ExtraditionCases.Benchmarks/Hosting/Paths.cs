using System.Reflection;

namespace ExtraditionCases.Benchmarks.Hosting;

internal static class Paths
{
    /// <summary>The folder holding ExtraditionCases.sln, found from the benchmark's own output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExtraditionCases.sln"))) return dir.FullName;
        }

        throw new InvalidOperationException("ExtraditionCases.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Debug or Release: the configuration this benchmark was built in, and so the service beside it.</summary>
    public static string Configuration =>
        typeof(Paths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    /// <summary>The service's dll, built with this project (a build-only project reference) in the same configuration.</summary>
    public static string ServiceDll(string? overridePath)
    {
        var path = overridePath ?? Path.Combine(RepositoryRoot(), "src", "ExtraditionCases.Api", "bin", Configuration, "net10.0", "ExtraditionCases.Api.dll");
        if (!File.Exists(path)) throw new FileNotFoundException($"The service is not built: {path}. Run with -c Release, or pass --api-dll.");
        return Path.GetFullPath(path);
    }

    /// <summary>This program's own dll: the baseline runs as a second instance of it.</summary>
    public static string SelfDll => typeof(Paths).Assembly.Location;

    public static string NewTempFolder(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), "extradition-bench", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
