using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Transparency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ExtraditionCases.Infrastructure.Transparency;

public static class TransparencyRegistration
{
    /// <summary>The keys, the publisher (a hosted service that never stops the host) and its status.</summary>
    public static IServiceCollection AddTransparency(this IServiceCollection services)
    {
        services.TryAddSingleton(new TransparencyOptions());
        services.AddSingleton<TransparencyKeys>();
        services.AddSingleton<ITransparencyKeys>(sp => sp.GetRequiredService<TransparencyKeys>());
        services.AddSingleton<TransparencyStatus>();
        services.AddSingleton<CheckpointPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<CheckpointPublisher>());
        return services;
    }
}
