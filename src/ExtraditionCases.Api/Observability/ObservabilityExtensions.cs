using System.Reflection;
using ExtraditionCases.Api.Observability;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Telemetry;
using ExtraditionCases.Application.Validation;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

// In the namespace of the type it extends, so Program.cs needs no using for it.
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Logs, traces and metrics: JSON console logs outside Development with trace, span and correlation
/// ids on every request's lines; OpenTelemetry traces and metrics over OTLP when an endpoint is
/// configured; the business meter <see cref="CaseMetrics.MeterName"/>. Call after the application and
/// infrastructure services are added.
/// </summary>
public static class ObservabilityExtensions
{
    public const string TelemetrySection = "Telemetry";
    public const string OtlpEndpointKey = "Telemetry:Otlp:Endpoint";
    public const string OtlpProtocolKey = "Telemetry:Otlp:Protocol";
    public const string ServiceNameKey = "Telemetry:ServiceName";
    public const string DefaultServiceName = "extradition-cases-api";
    public const string OtelEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtelServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>RFC 3339 UTC with milliseconds, like every instant the API writes; culture-proof.</summary>
    public const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

    public static WebApplicationBuilder AddObservability(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddLogging(builder);
        builder.Services.AddTransient<IStartupFilter, CorrelationIdStartupFilter>();
        AddOpenTelemetry(builder);
        return builder;
    }

    private static void AddLogging(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        // Configuration binding ran first; these only fill in what configuration leaves unset.
        builder.Services.Configure<ConsoleLoggerOptions>(o =>
        {
            if (configuration["Logging:Console:FormatterName"] is null && !builder.Environment.IsDevelopment())
                o.FormatterName = ConsoleFormatterNames.Json;
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            var section = configuration.GetSection("Logging:Console:FormatterOptions");
            if (section["IncludeScopes"] is null) o.IncludeScopes = true;
            if (section["UseUtcTimestamp"] is null) o.UseUtcTimestamp = true;
            if (section["TimestampFormat"] is null) o.TimestampFormat = TimestampFormat;
        });

        // Refusals are logged with their validation messages' members; no message may quote a value.
        ValueFreeLanguageManager.Install();
    }

    /// <summary>Traces and metrics over OTLP, only when an endpoint is configured: otherwise nothing is collected.</summary>
    private static void AddOpenTelemetry(WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var endpoint = configuration[OtlpEndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint) && string.IsNullOrWhiteSpace(configuration[OtelEndpointVariable])) return;

        var serviceName = configuration[ServiceNameKey] ?? configuration[OtelServiceNameVariable] ?? DefaultServiceName;
        var version = typeof(ObservabilityExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName, serviceVersion: version))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
                .AddHttpClientInstrumentation()
                .AddSqlClientInstrumentation()
                .AddOtlpExporter(o => ConfigureExporter(o, configuration, "traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(CaseMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddSqlClientInstrumentation()
                .AddOtlpExporter(o => ConfigureExporter(o, configuration, "metrics")));
    }

    /// <summary>
    /// <c>Telemetry:Otlp:Endpoint</c> (and <c>:Protocol</c>), when set, win over the OTEL_EXPORTER_OTLP_*
    /// variables, which the exporter reads by itself otherwise. Over http/protobuf the endpoint is a base
    /// address, as with the variable: the signal's path is appended.
    /// </summary>
    private static void ConfigureExporter(OtlpExporterOptions options, IConfiguration configuration, string signal)
    {
        if (configuration[OtlpProtocolKey] is { Length: > 0 } protocol)
        {
            options.Protocol = protocol.Trim().ToLowerInvariant() switch
            {
                "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                _ => throw new InvalidOperationException($"{OtlpProtocolKey} must be grpc or http/protobuf."),
            };
        }

        if (configuration[OtlpEndpointKey] is not { Length: > 0 } endpoint) return;
        var baseAddress = new Uri(endpoint, UriKind.Absolute);
        options.Endpoint = options.Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(baseAddress.ToString().TrimEnd('/') + "/v1/" + signal)
            : baseAddress;
    }
}
