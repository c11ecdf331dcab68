using System.Collections.Concurrent;
using System.Text;
using ExtraditionCases.Application.Telemetry;
using ExtraditionCases.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ExtraditionCases.Tests.Observability;

/// <summary>
/// Traces and metrics leave over OTLP only when an endpoint is configured. The collector here is a
/// loopback HTTP listener that keeps what it is sent (OTLP/HTTP protobuf: strings travel as UTF-8).
/// </summary>
public sealed class OpenTelemetryExportTests
{
    [Test]
    public void Nothing_is_collected_when_no_endpoint_is_configured()
    {
        using var api = new ApiFactory();

        Assert.Multiple(() =>
        {
            Assert.That(api.Services.GetService<TracerProvider>(), Is.Null);
            Assert.That(api.Services.GetService<MeterProvider>(), Is.Null);
        });
    }

    [TestCase("Telemetry:Otlp:Endpoint", "Telemetry:Otlp:Protocol", "Telemetry:ServiceName")]
    [TestCase("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_SERVICE_NAME")]
    public async Task With_an_endpoint_requests_and_business_metrics_are_exported(string endpointKey, string protocolKey, string serviceNameKey)
    {
        // Environment variables reach the service as configuration keys of the same name.
        await using var collector = await Collector.StartAsync();
        using var api = new ApiFactory(new()
        {
            [endpointKey] = collector.Address,
            [protocolKey] = "http/protobuf",
            [serviceNameKey] = "extradition-cases-test",
        });

        var officer = api.ClientFor(Tokens.Officer("PK"));
        await Cases.FileAsync(officer);
        await api.CreateClient().GetAsync("/health/live");
        // The server span ends after the client has its response: flush until it has gone out.
        string traces = "", metrics = "";
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < TimeSpan.FromSeconds(15); await Task.Delay(100))
        {
            Assert.That(api.Services.GetRequiredService<TracerProvider>().ForceFlush(10_000), Is.True);
            Assert.That(api.Services.GetRequiredService<MeterProvider>().ForceFlush(10_000), Is.True);
            traces = collector.Received("/v1/traces");
            metrics = collector.Received("/v1/metrics");
            if (traces.Contains("/api/v1/cases", StringComparison.Ordinal) && metrics.Contains(CaseMetrics.CasesFiled, StringComparison.Ordinal)) break;
        }

        Assert.Multiple(() =>
        {
            Assert.That(traces, Does.Contain("extradition-cases-test"), "the service name");
            Assert.That(traces, Does.Contain("/api/v1/cases"), "the request's route");
            Assert.That(traces, Does.Not.Contain("/health/live"), "probes are not traced");
            Assert.That(metrics, Does.Contain(CaseMetrics.CasesFiled));
            Assert.That(metrics, Does.Contain("http.server.request.duration"), "ASP.NET Core's meter");
            Assert.That(metrics, Does.Contain("dotnet.gc"), "the runtime's meters");
            Assert.That(traces + metrics, Does.Not.Contain(Cases.UrduName));
        });
    }

    /// <summary>A minimal OTLP/HTTP receiver on the loopback interface.</summary>
    private sealed class Collector : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<(string Path, byte[] Body)> _requests;

        private Collector(WebApplication app, ConcurrentQueue<(string Path, byte[] Body)> requests)
        {
            _app = app;
            _requests = requests;
        }

        public string Address => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();

        public static async Task<Collector> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var requests = new ConcurrentQueue<(string Path, byte[] Body)>();
            app.MapPost("/v1/{signal}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                requests.Enqueue((context.Request.Path.Value!, body.ToArray()));
                context.Response.ContentType = "application/x-protobuf";
                return Results.Bytes([], "application/x-protobuf");
            });
            await app.StartAsync();
            return new Collector(app, requests);
        }

        /// <summary>Everything sent to the path, as text (protobuf strings are UTF-8).</summary>
        public string Received(string path) =>
            string.Join('\n', _requests.Where(r => r.Path == path).Select(r => Encoding.UTF8.GetString(r.Body)));

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
