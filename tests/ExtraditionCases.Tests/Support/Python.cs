using System.Diagnostics;

namespace ExtraditionCases.Tests.Support;

/// <summary>Runs the repository's Python tools (standard library only) as an auditor would.</summary>
public static class Python
{
    public static string VerifyHistoryScript => Path.Combine(Repository.Root, "tools", "verify_history.py");

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] arguments)
    {
        var python = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists) ?? "python3";
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
