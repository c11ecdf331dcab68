using System.Net.Http.Headers;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ExtraditionCases.Tests.Support;

/// <summary>
/// The real service in memory: real pipeline, real MediatR, a real SQLite file of its own in a
/// temporary folder, a clock the test controls.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, string?> _settings;

    public ApiFactory(Dictionary<string, string?>? settings = null)
    {
        Folder = Path.Combine(Path.GetTempPath(), "extradition-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, "cases.db");
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Cases"] = $"Data Source={DatabasePath}",
            ["Database:Provider"] = "Sqlite",
            // Most tests fire many requests as one caller; the rate-limit tests switch limits back on.
            ["RateLimiting:Enabled"] = "false",
            ["Authentication:Schemes:Bearer:ValidIssuer"] = Tokens.Issuer,
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Tokens.Audience,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Tokens.Issuer,
            ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = Convert.ToBase64String(Tokens.Key),
            ["Transparency:SigningKey"] = TestKeys.Log.PrivateKey,
            ["Transparency:Origin"] = TestKeys.Origin,
            ["Transparency:Witnesses:0"] = TestKeys.Witness.PublicKey.VerifierKey,
        };
        // A null value removes a default setting (the development-key layout, for a test of another layout).
        foreach (var (key, value) in settings ?? [])
        {
            if (value is null) _settings.Remove(key);
            else _settings[key] = value;
        }
    }

    public string Folder { get; }
    public string DatabasePath { get; }
    public FakeTimeProvider Clock { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(_startUpFailures));
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
    }

    private readonly StartUpFailureLog _startUpFailures = new();

    /// <summary>
    /// Starts the host expecting it to refuse, and returns why. WebApplicationFactory can lose the
    /// reason to its own race (the failed host is disposed before its deferred start reads the
    /// provider, so it throws ObjectDisposedException instead), so the reason is taken from the
    /// host's own "Hosting failed to start" log entry, which is always written before that.
    /// </summary>
    public OptionsValidationException StartUpRefusal()
    {
        var thrown = NUnit.Framework.Assert.Catch(() => CreateClient());
        var refusal = thrown as OptionsValidationException
            ?? thrown?.InnerException as OptionsValidationException
            ?? _startUpFailures.Failures.OfType<OptionsValidationException>().FirstOrDefault();
        NUnit.Framework.Assert.That(refusal, NUnit.Framework.Is.Not.Null, $"start-up failed for another reason: {thrown}");
        return refusal!;
    }

    public HttpClient ClientFor(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public DatabaseOptions Database => Services.GetRequiredService<DatabaseOptions>();

    /// <summary>Waits until the access log has stored every entry queued so far (its writer gathers entries for a commit window).</summary>
    public Task FlushAccessLogAsync() =>
        Services.GetRequiredService<ExtraditionCases.Infrastructure.Access.AccessLog>().FlushAsync(CancellationToken.None);

    /// <summary>
    /// Publishes the checkpoints of every tree that grew now, as the publisher does each interval, once the access log has
    /// stored what was queued (its writer gathers entries for a commit window): the access tree then holds every request made before.
    /// </summary>
    public async Task<IReadOnlyList<ExtraditionCases.Application.Features.Transparency.Checkpoint>> PublishCheckpointsAsync()
    {
        await FlushAccessLogAsync();
        return await Services.GetRequiredService<ExtraditionCases.Infrastructure.Transparency.CheckpointPublisher>().PublishAsync(CancellationToken.None);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean; the test already has its result.
        }
    }
}

/// <summary>Keeps the exceptions the host logs as it fails to start.</summary>
internal sealed class StartUpFailureLog : ILoggerProvider, ILogger
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<Exception> _failures = new();

    public IEnumerable<Exception> Failures => _failures;

    public ILogger CreateLogger(string categoryName) =>
        categoryName == "Microsoft.Extensions.Hosting.Internal.Host" ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (exception is not null && logLevel >= LogLevel.Error) _failures.Enqueue(exception);
    }

    public void Dispose() { }
}
