using System.Text.RegularExpressions;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.ApiDocs;

/// <summary>
/// A C# client as a partner would make it: Kiota (the version .config/dotnet-tools.json pins) generates it from
/// docs/openapi.json into tools/kiota-client/Generated, dotnet builds tools/kiota-client (the README flow written
/// against the generated types), and the program runs the flow against the real service, started as its own
/// process on 127.0.0.1. A failure here is a description bug. The same project with Refused.cs must not compile,
/// with exactly the errors Refused.cs marks (an unknown enum member, text for an enum or a number, another
/// trigger's data). Kiota and the Kiota packages come from NuGet (.ci/run restores the tool).
/// </summary>
[NonParallelizable]
public sealed partial class KiotaClientTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(4);
    private static string Project => Path.Combine(Repository.Root, "tools", "kiota-client");

    private string _folder = null!;
    private Task<(int ExitCode, string Output, string Error)>? _built;

    [OneTimeSetUp]
    public async Task GenerateAndBuild()
    {
        ClientTools.RequireKiota();
        var generated = await ClientTools.DotnetAsync(
        [
            "kiota", "generate", "-l", "CSharp", "-d", OpenApiSnapshotTests.CommittedPath, "-o", Path.Combine(Project, "Generated"),
            "-n", "ExtraditionCases.Client", "-c", "ExtraditionCasesClient", "--exclude-backward-compatible", "--clean-output", "--log-level", "Error",
        ], Repository.Root, Step);
        Assert.That(generated.ExitCode, Is.Zero, generated.Output + generated.Error);
        Assert.That(Path.Combine(Project, "Generated", "ExtraditionCasesClient.cs"), Does.Exist);
        // Built while the service starts (in the flow test): the two are the slow parts.
        _built = ClientTools.DotnetAsync(["build", Project, "-nologo", "-v", "q", "-nodeReuse:false", "-c", "Release"], Repository.Root, Step);
    }

    [OneTimeTearDown]
    public async Task BuildFinished()
    {
        if (_built is null) return;
        await _built;
        _built.Dispose();
    }

    [SetUp]
    public void Folder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "extradition-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void RemoveFolder()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // left for the OS
        }
    }

    [Test, Order(1)]
    public async Task The_generated_client_runs_the_README_flow_against_the_service_on_loopback()
    {
        var service = ServiceProcess.StartAsync(_folder, Path.Combine(_folder, "cases.db"));
        var build = await _built!;
        await using var running = await service;
        Assert.That(build.ExitCode, Is.Zero, "the generated client and the flow compile: " + build.Output + build.Error);

        var program = Path.Combine(Project, "bin", "Release", "net10.0", "KiotaClient.dll");
        var run = await ClientTools.RunAsync(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [program, running.BaseAddress.ToString().TrimEnd('/')],
            Project, environment: new Dictionary<string, string>
            {
                ["KIOTA_FLOW_PK"] = Tokens.Officer("PK"),
                ["KIOTA_FLOW_GB"] = Tokens.Officer("GB", agency: "NCA"),
                ["KIOTA_FLOW_PARTNER"] = Tokens.Partner("PK"),
                ["KIOTA_FLOW_AUDITOR"] = Tokens.Auditor(),
            }, timeout: TimeSpan.FromMinutes(1));

        Assert.That(run.ExitCode, Is.Zero, run.Output + run.Error);
        Assert.That(run.Output, Does.Contain("etag \"1\"")
            .And.Contain("submitted UnderReview")
            .And.Contain("stale If-Match refused 412")
            .And.Contain("certified Lodged")
            .And.Contain("again with If-None-Match: 304")
            .And.Contain("feed CaseFiled@1,Transitioned@2,Transitioned@3")
            .And.Contain("history CaseFiled,Submit,Certify")
            .And.Contain("kiota: the README flow ran"));
    }

    [Test, Order(2)]
    public async Task What_the_service_refuses_does_not_compile_against_the_generated_client()
    {
        var build = await _built!;
        Assume.That(build.ExitCode, Is.Zero, "the project builds without Refused.cs (the flow test says why not)");
        var refusedSource = Path.Combine(Project, "Refused.cs");
        var expected = File.ReadAllLines(refusedSource)
            .Select((line, index) => (Line: index + 1, Mark: RefusedMark().Match(line)))
            .Where(l => l.Mark.Success)
            .Select(l => $"{l.Line}:{l.Mark.Groups[1].Value}")
            .ToList();

        // Its own output folders, so the flow's build stays as it is.
        var refused = await ClientTools.DotnetAsync(
            ["build", Project, "-nologo", "-v", "q", "-nodeReuse:false", "-c", "Release", "--no-restore", "-p:CompileRefused=true",
             "-p:IntermediateOutputPath=obj/refused/", "-p:OutputPath=bin/refused/"], Repository.Root, Step);
        var errors = CompilerError().Matches(refused.Output + refused.Error).Select(m => (File: m.Groups[1].Value, Line: m.Groups[2].Value, Code: m.Groups[3].Value)).Distinct().ToList();

        Assert.Multiple(() =>
        {
            Assert.That(expected, Has.Count.EqualTo(6));
            Assert.That(refused.ExitCode, Is.Not.Zero, "Refused.cs compiled: the description lets through what the service refuses");
            Assert.That(errors.Where(e => !e.File.EndsWith("Refused.cs", StringComparison.Ordinal)), Is.Empty, "only Refused.cs fails");
            Assert.That(errors.Select(e => $"{e.Line}:{e.Code}"), Is.EquivalentTo(expected), refused.Output);
        });
    }

    [GeneratedRegex(@"// refused: (CS\d{4})")]
    private static partial Regex RefusedMark();

    [GeneratedRegex(@"([^\s(]+)\((\d+),\d+\): error (CS\d{4})")]
    private static partial Regex CompilerError();
}
