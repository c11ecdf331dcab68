using System.Diagnostics;

namespace ExtraditionCases.Tests.Deploy;

/// <summary>
/// The compose one-shot and the Kubernetes Job run the built service with the argument <c>migrate</c>
/// and trust its exit code: these run the same dll as a separate process, as the container does.
/// </summary>
public sealed class MigrateCommandTests
{
    private string _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "extradition-migrate", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task Migrate_on_sqlite_creates_the_database_and_exits_0_without_serving()
    {
        var database = Path.Combine(_folder, "data", "cases.db");

        var (exitCode, output) = await RunMigrateAsync(new()
        {
            ["ConnectionStrings__Cases"] = $"Data Source={database}",
        });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Zero, output);
            Assert.That(File.Exists(database), Is.True);
            Assert.That(output, Does.Contain("Applied migration sqlite.0001_cases.sql"));
            Assert.That(output, Does.Not.Contain("Now listening"));
        });
    }

    [Test]
    public async Task Migrate_on_sql_server_without_a_database_name_exits_non_zero_instead_of_migrating_master()
    {
        // No server is contacted: the missing database name is refused before any connection opens.
        var (exitCode, output) = await RunMigrateAsync(new()
        {
            ["Database__Provider"] = "SqlServer",
            ["ConnectionStrings__Cases"] = "Server=127.0.0.1,1;User ID=migrator;Password=not-a-secret;Encrypt=false",
        });

        Assert.Multiple(() =>
        {
            Assert.That(exitCode, Is.Not.Zero);
            Assert.That(output, Does.Contain("Migration failed"));
            Assert.That(output, Does.Contain("does not specify a database name"));
        });
    }

    private async Task<(int ExitCode, string Output)> RunMigrateAsync(Dictionary<string, string> environment)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ExtraditionCases.Api.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            // The folder is the content root, so no appsettings.json is found: only what is set here counts.
            WorkingDirectory = _folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("migrate");
        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || name.StartsWith("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                || name.Contains("__", StringComparison.Ordinal))
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment) start.Environment[name] = value;

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
