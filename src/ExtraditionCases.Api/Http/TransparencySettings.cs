using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Transparency;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ExtraditionCases.Api.Http;

internal static class TransparencySettings
{
    /// <summary>
    /// Transparency:* from configuration. In Development, without a key, one is made once in a file beside
    /// the SQLite database (data/transparency-signing.key), so that `dotnet run` publishes checkpoints signed
    /// by the same key across restarts; everywhere else the key is given (a secret or a mounted file).
    /// </summary>
    public static TransparencyOptions From(IConfiguration configuration, IHostEnvironment environment, DatabaseOptions database)
    {
        var options = configuration.GetSection(TransparencyOptions.SectionName).Get<TransparencyOptions>() ?? new TransparencyOptions();
        if (options.CheckpointInterval <= TimeSpan.Zero) throw new InvalidOperationException("Transparency:CheckpointInterval must be positive.");
        if (environment.IsDevelopment() && string.IsNullOrWhiteSpace(options.SigningKey) && string.IsNullOrWhiteSpace(options.SigningKeyFile)
            && database.Provider == DatabaseProvider.Sqlite)
        {
            var dbFile = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dbFile)) ?? ".", "transparency-signing.key");
            if (!File.Exists(file))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, TransparencyKeys.Generate("extradition-cases-dev").PrivateKey);
            }

            options.SigningKeyFile = file;
        }

        return options;
    }
}

/// <summary>Checkpoints that cannot be published degrade the service (reported, logged) but never take it out of traffic.</summary>
public sealed class TransparencyHealthCheck(TransparencyStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(status.Fault is { } fault
            ? HealthCheckResult.Degraded($"Checkpoints are not being published: {fault}")
            : HealthCheckResult.Healthy());
}
