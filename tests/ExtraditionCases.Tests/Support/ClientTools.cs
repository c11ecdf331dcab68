using System.Diagnostics;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// The tools other people wrote that check the API from a client's side: Graphviz, Chromium, Node with
/// tools/apidocs' packages (npm ci), the Kiota dotnet tool (dotnet tool restore). .ci/run installs them;
/// a test that needs one fails in CI when it is missing, and is ignored (with the command that installs
/// it) on a developer machine that has not installed it.
/// </summary>
public static class ClientTools
{
    public static string ToolsFolder => Path.Combine(Repository.Root, "tools", "apidocs");

    public const string Chromium = "/usr/bin/chromium";

    public static void RequireFile(string path, string install)
    {
        if (File.Exists(path) || Directory.Exists(path)) return;
        var message = $"{path} is missing: {install}";
        if (Environment.GetEnvironmentVariable("CI") == "true") Assert.Fail(message);
        Assert.Ignore(message);
    }

    public static void RequireGraphviz() => RequireFile("/usr/bin/dot", "apt-get install -y graphviz (.ci/run does)");

    public static void RequireNodeTools()
    {
        RequireFile(Path.Combine(ToolsFolder, "node_modules"), "npm ci --prefix tools/apidocs (.ci/run does)");
    }

    public static void RequireChromium()
    {
        RequireNodeTools();
        RequireFile(Chromium, "apt-get install -y chromium (.ci/run does)");
    }

    /// <summary>The Kiota dotnet tool at the version .config/dotnet-tools.json pins, restored into the NuGet package folder.</summary>
    public static void RequireKiota()
    {
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, ".config", "dotnet-tools.json")))!;
        var version = (string)manifest["tools"]!["microsoft.openapi.kiota"]!["version"]!;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        RequireFile(Path.Combine(packages, "microsoft.openapi.kiota", version), "dotnet tool restore (.ci/run does)");
    }

    /// <summary>
    /// The dotnet CLI for a nested command (kiota, build), without the MSBuild variables the test host may have
    /// inherited from dotnet test (they would point the nested build at the outer one's MSBuild).
    /// </summary>
    public static Task<(int ExitCode, string Output, string Error)> DotnetAsync(IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1", ["KIOTA_UPDATE_DISABLED"] = "true", ["KIOTA_OFFLINE_ENABLED"] = "true",
        };
        return RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", arguments, workingDirectory, environment: environment,
            timeout: timeout, removeEnvironment: name => name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase));
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string program, IEnumerable<string> arguments, string? workingDirectory = null, string? input = null,
        IDictionary<string, string>? environment = null, TimeSpan? timeout = null, Func<string, bool>? removeEnvironment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = input is not null,
            WorkingDirectory = workingDirectory ?? Repository.Root,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(removeEnvironment ?? (_ => false)).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish in time: {await output}{await error}");
        }

        return (process.ExitCode, await output, await error);
    }

    /// <summary>Runs one of tools/apidocs' Node scripts.</summary>
    public static Task<(int ExitCode, string Output, string Error)> NodeAsync(string script, params string[] arguments) =>
        RunAsync("node", [Path.Combine(ToolsFolder, script), .. arguments], ToolsFolder);
}
