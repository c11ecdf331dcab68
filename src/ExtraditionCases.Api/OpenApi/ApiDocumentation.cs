using Microsoft.OpenApi;

namespace ExtraditionCases.Api.OpenApi;

/// <summary>
/// Names and parts of the OpenAPI 3.1 document at <c>/openapi/v1.json</c> (anonymous) and, in Development or with
/// <c>ApiDocs:EnableReference=true</c>, an interactive reference (Scalar) at <c>/scalar</c>.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentName = "v1";
    public const string DocumentPattern = "/openapi/{documentName}.json";
    public const string ReferencePath = "/scalar";
    public const string EnableReferenceKey = "ApiDocs:EnableReference";
    public const string BearerScheme = "Bearer";

    /// <summary>The JWT bearer scheme, registered once so that requirements can refer to it.</summary>
    internal static void EnsureBearerScheme(OpenApiDocument document)
    {
        if (document.Components?.SecuritySchemes?.ContainsKey(BearerScheme) == true) return;
        document.AddComponent<IOpenApiSecurityScheme>(BearerScheme, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A JWT validated for issuer, audience, lifetime and signature, following RFC8725 (JWT best current practices): " +
                "only the configured asymmetric algorithms (RS256, PS256, ES256 by default), never none; expiry required. " +
                "Claims used: role (officer, partner, auditor), country, agency, sub.",
        });
    }
}
