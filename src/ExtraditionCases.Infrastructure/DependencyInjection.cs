using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Infrastructure.Cases;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Infrastructure.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Infrastructure;

public static class DependencyInjection
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, DatabaseOptions database)
    {
        DapperTypeHandlers.Register();
        if (database.Provider == DatabaseProvider.Sqlite) SqliteProcessSettings.Apply();
        services.AddSingleton(database);
        // The system clock, not the host's TimeProvider: a test's frozen clock must not hold a grouped write back. A value
        // out of range is refused by the start-up checks, which may run after this is made.
        services.AddSingleton(_ => new SqliteWriterGate(Math.Clamp(database.SqliteGroupCommitWrites, 1, 1_000), TimeProvider.System));
        services.AddSingleton<SqliteReaders>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<SqliteCheckpointer>();
        if (database.SqliteCheckpointerOn) services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
        services.AddScoped<DatabaseSession>();
        services.AddScoped<IDatabaseSession>(sp => sp.GetRequiredService<DatabaseSession>());
        services.AddScoped<ICaseStore, CaseStore>();
        if (database.Provider == DatabaseProvider.SqlServer) services.AddScoped<IDocumentStore, Documents.SqlServerDocumentStore>();
        else services.AddScoped<IDocumentStore, Documents.SqliteDocumentStore>();
        services.AddScoped<IIdempotencyStore, Idempotency.IdempotencyStore>();
        services.AddHostedService<Idempotency.IdempotencyCleanup>();
        services.AddSingleton<Access.AccessLog>();
        services.AddSingleton<IAccessLog>(sp => sp.GetRequiredService<Access.AccessLog>());
        services.AddHostedService(sp => sp.GetRequiredService<Access.AccessLog>());
        services.AddWebhookOutbox();
        Transparency.TransparencyRegistration.AddTransparency(services);
        return services;
    }
}
