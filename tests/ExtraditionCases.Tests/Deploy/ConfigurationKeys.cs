using System.Text.RegularExpressions;

namespace ExtraditionCases.Tests.Deploy;

/// <summary>
/// The configuration keys the service reads, written out by hand: a deployment file that sets
/// anything else sets nothing (a misspelt variable is silently ignored by .NET configuration).
/// <c>&lt;n&gt;</c> is an array index, the other placeholders a dictionary key. The Database and
/// Deadlines entries are checked against the options classes, so they cannot drift from the code.
/// </summary>
internal static class ConfigurationKeys
{
    public static readonly IReadOnlyList<string> Known =
    [
        "Database:Provider",
        "Database:MigrateOnStartup",
        "Database:SqliteBusyTimeoutMs",
        "Database:SqliteCheckpointIntervalMs",
        "Database:SqliteGroupCommitWrites",
        "ConnectionStrings:Cases",
        "Authentication:Schemes:Bearer:ValidIssuer",
        "Authentication:Schemes:Bearer:ValidIssuers:<n>",
        "Authentication:Schemes:Bearer:ValidAudience",
        "Authentication:Schemes:Bearer:ValidAudiences:<n>",
        "Authentication:Schemes:Bearer:SigningKeys:<n>:Issuer",
        "Authentication:Schemes:Bearer:SigningKeys:<n>:Value",
        "Authentication:Schemes:Bearer:SigningKeys:<n>:Id",
        // The framework's single provider with published keys (bound by ASP.NET Core itself).
        "Authentication:Schemes:Bearer:Authority",
        "Authentication:Schemes:Bearer:MetadataAddress",
        "Authentication:Schemes:Bearer:RequireHttpsMetadata",
        // One provider per state; checked against IssuerSettings and TokenSettings.
        "Authentication:Issuers:<name>:Authority",
        "Authentication:Issuers:<name>:MetadataAddress",
        "Authentication:Issuers:<name>:Issuer",
        "Authentication:Issuers:<name>:Audience",
        "Authentication:Issuers:<name>:Countries:<n>",
        "Authentication:Issuers:<name>:RequireHttpsMetadata",
        "Authentication:Validation:ValidAlgorithms:<n>",
        "Authentication:Validation:ValidTypes:<n>",
        "Authentication:Validation:ClockSkewSeconds",
        "Authentication:Validation:MaxLifetimeMinutes",
        "Authentication:Validation:RememberedTokens",
        "ForwardedHeaders:KnownProxies:<n>",
        "ForwardedHeaders:KnownNetworks:<n>",
        "ForwardedHeaders:ForwardLimit",
        "Health:ReadyTimeoutSeconds",
        // Rate limiting is specified by the API contract (Configuration); its defaults are in docs/operations.md.
        "RateLimiting:Enabled",
        "RateLimiting:<role>:TokensPerSecond",
        "RateLimiting:<role>:Burst",
        "Deadlines:TimeZones:<state>",
        "Deadlines:RuleSets:<state>",
        "Deadlines:SixtyFiveDayTerritories:<n>",
        // Issue 15: signed checkpoints and the access log that loses nothing acknowledged.
        "Transparency:Origin",
        "Transparency:SigningKey",
        "Transparency:SigningKeyFile",
        "Transparency:CheckpointInterval",
        "Transparency:Witnesses:<n>",
        "AccessLog:QueueCapacity",
        "AccessLog:FailClosed",
        "AccessLog:RollUpKeys",
        "AccessLog:CommitWindow",
        "Logging:LogLevel:<category>",
        "Logging:Console:FormatterName",
        "Logging:Console:FormatterOptions:IncludeScopes",
        "Logging:Console:FormatterOptions:UseUtcTimestamp",
        "Logging:Console:FormatterOptions:TimestampFormat",
        "Telemetry:Otlp:Endpoint",
        "Telemetry:Otlp:Protocol",
        "Telemetry:ServiceName",
        "ApiDocs:EnableReference",
        "Webhooks:AllowInsecureLoopback",
        "Webhooks:AllowPrivateNetworks",
        "Webhooks:DispatcherEnabled",
        "Webhooks:TimeoutSeconds",
        "Webhooks:LeaseSeconds",
        "Webhooks:PollIntervalMilliseconds",
        "Webhooks:SweepIntervalSeconds",
        "Webhooks:MaxInFlight",
        "Webhooks:FailureWindowHours",
        "Webhooks:SecretGraceHours",
        "AllowedHosts",
        // OpenTelemetry's standard variables, read by the exporter under these names only.
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_HEADERS",
        "OTEL_EXPORTER_OTLP_TIMEOUT",
        "OTEL_SERVICE_NAME",
        "OTEL_RESOURCE_ATTRIBUTES",
        "OTEL_METRIC_EXPORT_INTERVAL",
        // Read by the ASP.NET Core host itself, under these names only.
        "ASPNETCORE_ENVIRONMENT",
        "ASPNETCORE_HTTP_PORTS",
        "ASPNETCORE_URLS",
    ];

    private static readonly Regex[] Patterns = Known.Select(ToPattern).ToArray();

    public static bool IsKnownEnvironmentVariable(string name) => Patterns.Any(p => p.IsMatch(name));

    /// <summary>The environment variable form: ":" becomes "__"; names are case-insensitive, as in .NET configuration.</summary>
    private static Regex ToPattern(string key)
    {
        var pattern = Regex.Escape(key.Replace(":", "__", StringComparison.Ordinal))
            .Replace("<n>", @"\d+", StringComparison.Ordinal)
            .Replace("<role>", "(officer|partner|auditor)", StringComparison.Ordinal)
            .Replace("<state>", "[A-Za-z]{2}", StringComparison.Ordinal)
            .Replace("<name>", "[A-Za-z0-9-]+", StringComparison.Ordinal)
            .Replace("<category>", @"[A-Za-z0-9.]+", StringComparison.Ordinal);
        return new Regex($"^{pattern}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
