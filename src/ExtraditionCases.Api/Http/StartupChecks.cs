using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure.Persistence;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;

namespace ExtraditionCases.Api.Http;

/// <summary>Readiness probe settings (<c>Health</c>).</summary>
public sealed class HealthSettings
{
    public const string SectionName = "Health";

    /// <summary>How long the readiness check may take before it reports unhealthy; under the probe's own timeout.</summary>
    public int ReadyTimeoutSeconds { get; set; } = 2;
}

/// <summary>
/// Settings that are bound and checked when the host starts (<c>ValidateOnStart</c>), so a wrong value
/// stops the service with a message naming the key, instead of surfacing as a 500 on some later request.
/// </summary>
public static class StartupChecks
{
    public static IServiceCollection AddStartupChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName)
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("Cases") ?? DatabaseOptions.DefaultSqliteConnectionString)
            .Validate(o => !o.ConnectionString.Contains("<set-me", StringComparison.OrdinalIgnoreCase),
                "ConnectionStrings:Cases is still a <set-me> placeholder.")
            .Validate(o => o.Provider != DatabaseProvider.SqlServer || NamesSqlServerDatabase(o.ConnectionString),
                "Database:Provider is SqlServer, but ConnectionStrings:Cases does not name a SQL Server database (Server=...;Database=...).")
            .Validate(o => o.SqliteBusyTimeoutMs >= 0, "Database:SqliteBusyTimeoutMs must not be negative.")
            .Validate(o => o.SqliteCheckpointIntervalMs is 0 or (>= 10 and <= 60_000),
                "Database:SqliteCheckpointIntervalMs is 0 (off) or 10-60000.")
            .Validate(o => o.SqliteGroupCommitWrites is >= 1 and <= 1_000,
                "Database:SqliteGroupCommitWrites is 1 (every write commits on its own) to 1000.")
            .ValidateOnStart();

        services.AddOptions<DeadlineOptions>().BindConfiguration(DeadlineOptions.SectionName)
            .Validate(o => o.TimeZones.Values.All(zone => TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)),
                "Deadlines:TimeZones holds a zone this machine does not know (use IANA ids such as Europe/London).")
            .Validate(o => o.TimeZones.Keys.Concat(o.RuleSets.Keys).Concat(o.SixtyFiveDayTerritories).All(c => Countries.IsIso3166Alpha2(c.ToUpperInvariant())),
                "Deadlines: every state must be an ISO 3166-1 alpha-2 code.")
            .Validate(o => o.RuleSets.Values.All(r => r.ToUpperInvariant() is "GB" or "PK" or "US"),
                "Deadlines:RuleSets maps a state to an unknown rule set (GB, PK or US).")
            .ValidateOnStart();
        return services;
    }

    private static bool NamesSqlServerDatabase(string connectionString)
    {
        try
        {
            var builder = new SqlConnectionStringBuilder(connectionString);
            return !string.IsNullOrWhiteSpace(builder.InitialCatalog) && !string.IsNullOrWhiteSpace(builder.DataSource)
                && !builder.DataSource.EndsWith(".db", StringComparison.OrdinalIgnoreCase);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
