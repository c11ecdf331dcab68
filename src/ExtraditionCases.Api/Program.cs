using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Features;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Webhooks;
using ExtraditionCases.Application.Features.Documents;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Infrastructure;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Webhooks;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

DevelopmentSecrets.EnsureWatchable();
var builder = WebApplication.CreateBuilder(args);

var database = builder.Configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
database.ConnectionString = builder.Configuration.GetConnectionString("Cases") ?? DatabaseOptions.DefaultSqliteConnectionString;
if (database.Provider == DatabaseProvider.Sqlite)
    database.ConnectionString = SqliteFiles.RootedIn(builder.Environment.ContentRootPath, database.ConnectionString);
var deadlines = builder.Configuration.GetSection(DeadlineOptions.SectionName).Get<DeadlineOptions>() ?? new DeadlineOptions();

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(deadlines);
builder.Services.AddSingleton(AgencyPowers.From(
    builder.Configuration.GetSection(AgencyPowers.SectionName).Get<Dictionary<string, Dictionary<string, List<string>>>>()));
builder.Services.AddSingleton(builder.Configuration.GetSection(DocumentOptions.SectionName).Get<DocumentOptions>() ?? new DocumentOptions());
builder.Services.AddSingleton(TransparencySettings.From(builder.Configuration, builder.Environment, database));
builder.Services.AddSingleton(builder.Configuration.GetSection(ExtraditionCases.Infrastructure.Access.AccessLogOptions.SectionName)
    .Get<ExtraditionCases.Infrastructure.Access.AccessLogOptions>() ?? new ExtraditionCases.Infrastructure.Access.AccessLogOptions());
builder.Services.AddApplication();
builder.Services.AddInfrastructure(database);
builder.Services.AddWebhookDelivery(builder.Configuration.GetSection(WebhookOptions.SectionName).Get<WebhookOptions>() ?? new WebhookOptions());
builder.Services.AddBearerAuthentication(builder.Configuration);
builder.Services.ConfigureHttpJsonOptions(o => CaseJson.Configure(o.SerializerOptions));
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
{
    context.ProblemDetails.Type ??= $"https://www.rfc-editor.org/rfc/rfc9110#status.{context.ProblemDetails.Status}";
    context.ProblemDetails.Detail ??= FrameworkProblems.Detail(context.ProblemDetails.Status);
    context.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
});
builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
builder.Services.AddOptions<HealthSettings>().BindConfiguration(HealthSettings.SectionName)
    .Validate(h => h.ReadyTimeoutSeconds is > 0 and <= 60, $"{HealthSettings.SectionName}:ReadyTimeoutSeconds must be 1-60.").ValidateOnStart();
var health = builder.Configuration.GetSection(HealthSettings.SectionName).Get<HealthSettings>() ?? new HealthSettings();
// Bounded, so a hung database makes the probe fail in time rather than hang past the orchestrator's own timeout.
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"], timeout: TimeSpan.FromSeconds(Math.Clamp(health.ReadyTimeoutSeconds, 1, 60)))
    .AddCheck<WebhookDispatcherHealthCheck>("webhooks", tags: ["ready"])
    .AddCheck<TransparencyHealthCheck>("transparency", tags: ["ready"]);
builder.Services.AddApiDocumentation();
builder.AddObservability();
builder.Services.AddRoleRateLimits(builder.Configuration);
builder.Services.AddKnownProxies();
builder.Services.AddStartupChecks(builder.Configuration);
// Bodies past the contract's 256 KiB are refused while reading, not buffered.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes + 1);

// Disposed on every way out, so the console logger flushes what it queued (the migrate command's lines included).
await using var app = builder.Build();

if (database.Provider == DatabaseProvider.Sqlite)
{
    if (SqliteProcessSettings.MemoryStatisticsOff) app.Logger.LogInformation("SQLite memory statistics are off (SqliteProcessSettings)");
    else app.Logger.LogWarning("SQLite was in use before its process settings could be made: memory statistics stay on, and concurrent reads contend on its allocator's mutex");
}

if (args.FirstOrDefault() == "migrate")
{
    // One-shot migration for deployments that run replicas with Database:MigrateOnStartup=false.
    try
    {
        await MigrateAsync(app.Services);
        return 0;
    }
    catch (Exception ex)
    {
        app.Logger.LogCritical(ex, "Migration failed");
        return 1;
    }
}

if (database.MigrateOnStartup) await MigrateAsync(app.Services);

// First: every later step (access log, events' source, the anonymous rate limit) sees the client
// address the known ingress forwarded, and only that ingress's.
app.UseForwardedHeaders();
app.UseMiddleware<AccessLogMiddleware>();
app.UseMiddleware<ResponseHygieneMiddleware>();
// .NET 10 no longer logs exceptions an IExceptionHandler handled; turn that back on for real faults
// (refusals are 4xx outcomes, logged by the handler at Information).
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    SuppressDiagnosticsCallback = context => context.HttpContext.Response.StatusCode < StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.UseAuthentication();
if (RateLimits.Enabled(app.Configuration))
{
    app.UseRateLimiter();
    app.UseRateLimitHeaders();
}

app.UseAuthorization();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = HealthJson.WriteAsync })
    .AllowAnonymous();
app.MapApiDocumentation();
app.MapFeatures();

await app.RunAsync();
return 0;

// The schema first, then the one-off step that brings cases recorded under older rules to the current ones.
static async Task MigrateAsync(IServiceProvider services)
{
    services.GetRequiredService<Migrator>().Migrate();
    await using var scope = services.CreateAsyncScope();
    await scope.ServiceProvider.GetRequiredService<ApplyCorrectedRules>().RunAsync(CancellationToken.None);
    await scope.ServiceProvider.GetRequiredService<ExtraditionCases.Application.Features.Search.IndexCases>().RunAsync(CancellationToken.None);
}

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
