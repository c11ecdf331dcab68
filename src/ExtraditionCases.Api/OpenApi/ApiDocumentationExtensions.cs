using ExtraditionCases.Api.OpenApi;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

// In the namespace of the types it extends, so Program.cs needs no using for it.
namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// The OpenAPI 3.1 document at <c>/openapi/v1.json</c> (anonymous) and, in Development or with
/// <c>ApiDocs:EnableReference=true</c>, an interactive reference (Scalar) at <c>/scalar</c>.
/// </summary>
public static class ApiDocumentationExtensions
{
    public static IServiceCollection AddApiDocumentation(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, ContractResponseTypes>());
        services.AddOpenApi(ApiDocumentation.DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.CreateSchemaReferenceId = SchemaNames.For;
            options.AddSchemaTransformer<ContractSchemaTransformer>();
            options.AddSchemaTransformer<HintSchemaTransformer>();
            options.AddOperationTransformer<ContractOperationTransformer>();
            options.AddDocumentTransformer<ContractDocumentTransformer>();
        });
        return services;
    }

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOpenApi(ApiDocumentation.DocumentPattern).AllowAnonymous();
        if (app.Environment.IsDevelopment() || app.Configuration.GetValue(ApiDocumentation.EnableReferenceKey, defaultValue: false))
        {
            // Offline: the script is the package's own (no CDN), system fonts instead of fonts.scalar.com, and
            // none of Scalar's hosted services (agent, MCP, developer tools' Share/Generate SDK/Deploy, telemetry).
            // The "try it" bodies are the document's examples, which the ApiDocs tests file and fire for real.
            app.MapScalarApiReference(ApiDocumentation.ReferencePath, options => options
                    .WithTitle("ExtraditionCases API")
                    .WithOpenApiRoutePattern(ApiDocumentation.DocumentPattern)
                    .AddPreferredSecuritySchemes(ApiDocumentation.BearerScheme)
                    .DisableDefaultFonts()
                    .DisableTelemetry()
                    .DisableAgent()
                    .DisableMcp()
                    .HideDeveloperTools())
                .AllowAnonymous();
        }

        return app;
    }
}
