using System.Text.Json.Nodes;
using ExtraditionCases.Api.Observability;
using ExtraditionCases.Application.Features;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace ExtraditionCases.Api.OpenApi;

/// <summary>Title, the bearer scheme, tags and the health endpoints (which need no token).</summary>
internal sealed class ContractDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "ExtraditionCases API",
            Version = "v1",
            Description =
                "Extradition cases between states, from the first request to surrender. Every /api/v1 operation needs a JWT bearer " +
                "token (claims role, country, agency, sub); the roles each accepts are listed in its security requirement. Errors are " +
                "RFC 9457 problem details (application/problem+json) with a traceId. Writes to a case need If-Match with its current " +
                "ETag; POST /cases, transitions and extensions accept an Idempotency-Key. Every response echoes X-Correlation-Id " +
                "(the caller's, when it is 1-64 visible ASCII characters, else a new one).",
        };
        ApiDocumentation.EnsureBearerScheme(document);
        // No servers: the document is served by the service it describes, on whatever address that is; a
        // client sets its base address (a server list would name one deployment and send "try it" there).
        document.Servers = [];

        document.Tags ??= new HashSet<OpenApiTag>();
        foreach (var (name, description) in TagDescriptions)
        {
            var tag = document.Tags.FirstOrDefault(t => t.Name == name);
            if (tag is null) document.Tags.Add(new OpenApiTag { Name = name, Description = description });
            else tag.Description ??= description;
        }

        document.Paths ??= [];
        document.Paths["/health/live"] = Health("HealthLive", "Liveness", "200 when the process answers. Touches no dependency.");
        document.Paths["/health/ready"] = Health("HealthReady", "Readiness", "200 when the database answers, else 503.");
        StrictDocument.Apply(document);
        UsePatchSchemas(document);
        OutputBounds.Apply(document);
        return Task.CompletedTask;
    }

    private static readonly (string Name, string Description)[] TagDescriptions =
    [
        ("Cases", "Officers file cases and record each step of the legal process; auditors read them."),
        ("Workflow", "The state machine itself."),
        ("Deadlines", "Statutory clocks."),
        ("Partners", "Status polling and the change feed."),
        ("Audit", "Hash-chained histories, events across cases and the access log."),
        ("Health", "Probes for orchestrators. No token."),
    ];

    private static OpenApiPathItem Health(string operationId, string summary, string description) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                OperationId = operationId,
                Summary = summary,
                Description = description,
                Tags = new HashSet<OpenApiTagReference> { new("Health") },
                Security = [],
                Responses = new OpenApiResponses
                {
                    ["200"] = new OpenApiResponse { Description = "Healthy", Content = PlainText() },
                    ["503"] = new OpenApiResponse { Description = "Unhealthy", Content = PlainText() },
                },
            },
        },
    };

    private static Dictionary<string, OpenApiMediaType> PlainText() =>
        new() { ["text/plain"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 2000 } } };

    /// <summary>A merge-patch body of <c>XInput</c> is described by <c>XPatch</c> where the document has one.</summary>
    private static void UsePatchSchemas(OpenApiDocument document)
    {
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation.RequestBody?.Content is not { } content) continue;
            foreach (var (mediaType, body) in content)
            {
                if (mediaType != "application/merge-patch+json" || body.Schema is not OpenApiSchemaReference { Reference.Id: { } id }) continue;
                var patch = id.Replace("Input", "Patch", StringComparison.Ordinal);
                if (patch != id && document.Components?.Schemas?.ContainsKey(patch) == true) body.Schema = new OpenApiSchemaReference(patch, document);
            }
        }
    }
}

/// <summary>
/// Per operation (whose summary and description the endpoint declares itself): the bearer security
/// requirement with the roles of the endpoint's authorization policy; the request headers
/// (If-Match, If-None-Match, Idempotency-Key, X-Correlation-Id); the response headers (ETag,
/// Location, Idempotent-Replayed, Retry-After, X-Correlation-Id); descriptions of the refusals.
/// </summary>
internal sealed class ContractOperationTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var ifMatch = Shape.Has<HttpContract.IfMatchRequired>(description);
        var idempotent = Shape.Has<HttpContract.IdempotencyKeyAccepted>(description);
        var etag = Shape.Has<HttpContract.ETagReturned>(description);
        var alsoAs = description.ActionDescriptor.EndpointMetadata.OfType<HttpContract.AlsoAsText>().SelectMany(a => a.MediaTypes).ToList();

        if (Shape.RequiresAuthorization(description) && context.Document is { } document)
        {
            var roles = await RolesAsync(description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>(), context.ApplicationServices);
            ApiDocumentation.EnsureBearerScheme(document);
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiDocumentation.BearerScheme, document)] = roles }];
            var who = $"Roles: {string.Join(", ", roles)}.";
            operation.Description = operation.Description is null ? who : $"{operation.Description}\n\n{who}";
        }

        operation.Parameters ??= [];
        DescribeParameters(operation, description, context.Document);
        if (ifMatch)
        {
            operation.Parameters.Add(Header("If-Match", required: true,
                "The case's current ETag, exactly (for example \"7\"). Without it: 428 (* is not accepted); another tag: 412.", ETag()));
        }

        if (Shape.Has<HttpContract.IfNoneMatchHonoured>(description))
        {
            operation.Parameters.Add(Header("If-None-Match", required: false, "The ETag last seen: 304 with no body while it is current.",
                new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1000, Pattern = "^[!-~ ]+$" }));
        }

        if (description.ActionDescriptor.EndpointMetadata.OfType<HttpContract.RequestExample>().FirstOrDefault() is { } example
            && operation.RequestBody?.Content is { } requestContent)
        {
            foreach (var mediaType in requestContent.Values) mediaType.Example = JsonNode.Parse(example.Json);
        }
        if (idempotent)
        {
            operation.Parameters.Add(Header("Idempotency-Key", required: false,
                "1-255 visible ASCII characters, scoped to the caller (sub), kept at least 24 hours. A retry of a request that succeeded gets " +
                "the first response with Idempotent-Replayed: true; the same key with a different body: 422; a duplicate still running: 409.",
                new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255, Pattern = "^[!-~]+$" }));
        }

        operation.Parameters.Add(Header(CorrelationIdMiddleware.Header, required: false,
            "Correlates this request in logs and traces; echoed on the response. 1-64 visible ASCII characters, else a new one is made.",
            new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = CorrelationIdMiddleware.MaxLength, Pattern = "^[!-~]+$" }));

        foreach (var (code, response) in operation.Responses ?? [])
        {
            if (response is not OpenApiResponse concrete) continue;
            var status = int.Parse(code, System.Globalization.CultureInfo.InvariantCulture);
            if (RefusalDescriptions.TryGetValue(status, out var refusal)) concrete.Description = refusal;
            concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
            concrete.Headers[CorrelationIdMiddleware.Header] = ResponseHeader("The request's correlation id.",
                new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = CorrelationIdMiddleware.MaxLength, Pattern = "^[!-~]+$" });
            if (Shape.RequiresAuthorization(description))
            {
                concrete.Headers["RateLimit"] = ResponseHeader(
                    "While rate limiting is on (the default), the caller's bucket now: \"role\";r=<requests left>;t=<seconds until full> (IETF RateLimit fields).", RateLimitField());
                concrete.Headers["RateLimit-Policy"] = ResponseHeader(
                    "While rate limiting is on, the caller's policy: \"role\";q=<burst>;w=<seconds to refill>.", RateLimitField());
            }

            var success = status is >= 200 and < 300;
            if (etag && (success || status == StatusCodes.Status304NotModified))
                concrete.Headers["ETag"] = ResponseHeader("The strong tag of the case's version, for example \"7\".", ETag());
            if (status == StatusCodes.Status201Created)
            {
                concrete.Headers["Location"] = ResponseHeader("The new case: /api/v1/cases/{id}.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference", MaxLength = 64 });
            }

            if (idempotent && success)
            {
                concrete.Headers["Idempotent-Replayed"] = ResponseHeader("true when this is the stored first response to an Idempotency-Key seen before.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")!] });
            }

            if (status == StatusCodes.Status429TooManyRequests)
            {
                concrete.Headers["Retry-After"] = ResponseHeader("Seconds to wait before retrying.",
                    new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            }

            if (success && alsoAs.Count > 0)
            {
                concrete.Content ??= new Dictionary<string, OpenApiMediaType>();
                foreach (var mediaType in alsoAs) concrete.Content[mediaType] = new OpenApiMediaType { Schema = Text() };
            }

            foreach (var body in concrete.Content?.Values ?? [])
            {
                if (body.Schema is OpenApiSchema { Type: JsonSchemaType.String, MaxLength: null } text) text.MaxLength = Text().MaxLength;
            }
        }
    }

    private static readonly Dictionary<int, string> RefusalDescriptions = new()
    {
        [StatusCodes.Status304NotModified] = "Not modified: If-None-Match names the current ETag. No body.",
        [StatusCodes.Status400BadRequest] = "The request is not valid: malformed JSON, a wrong type, an unknown or duplicate member, an invalid value or query parameter. errors names the members at fault.",
        [StatusCodes.Status401Unauthorized] = "No token, or the token is not valid (issuer, audience, lifetime, signature).",
        [StatusCodes.Status403Forbidden] = "The caller's role may not use this endpoint, or this caller may not do this to this case.",
        [StatusCodes.Status404NotFound] = "No such case, or the caller may not see it.",
        [StatusCodes.Status409Conflict] = "Conflict: the current state permits no such step (allowedActions lists what it does), or a request with the same Idempotency-Key is still running.",
        [StatusCodes.Status412PreconditionFailed] = "If-Match does not name the case's current version.",
        [StatusCodes.Status413PayloadTooLarge] = "The body is larger than 256 KiB.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body is not of a media type this operation accepts.",
        [StatusCodes.Status422UnprocessableEntity] = "A guard or rule is not met (unmetGuards lists them), or the Idempotency-Key was used with a different body.",
        [StatusCodes.Status428PreconditionRequired] = "If-Match is missing (or *).",
        [StatusCodes.Status429TooManyRequests] = "Over the caller's rate limit.",
        [StatusCodes.Status500InternalServerError] = "A fault of the service: the problem carries only a traceId to quote, never the fault's details.",
    };

    /// <summary>Query and path parameters: as the endpoint declared them (HttpContract.Documents), else by a name's one meaning.</summary>
    private static void DescribeParameters(OpenApiOperation operation, Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description, OpenApiDocument? document)
    {
        var declared = description.ActionDescriptor.EndpointMetadata.OfType<HttpContract.DocumentedParameters>()
            .SelectMany(d => d.Parameters).ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var parameter in operation.Parameters!.OfType<OpenApiParameter>().Where(p => p.In is ParameterLocation.Query or ParameterLocation.Path))
        {
            if (parameter.Name is not { } name) continue;
            if (!declared.TryGetValue(name, out var documented) && !Parameter.Conventional.TryGetValue(name, out documented)) continue;
            parameter.Description = documented.Description;
            if (document is not null) parameter.Schema = documented.Schema(document);
        }
    }

    private static OpenApiSchema ETag() => new() { Type = JsonSchemaType.String, MaxLength = 12, Pattern = "^\"[0-9]{1,10}\"$" };

    private static OpenApiSchema RateLimitField() => new() { Type = JsonSchemaType.String, MaxLength = 200, Pattern = "^[!-~ ]+$" };

    private static async Task<List<string>> RolesAsync(IEnumerable<IAuthorizeData> authorize, IServiceProvider services)
    {
        var policies = services.GetRequiredService<IAuthorizationPolicyProvider>();
        var roles = new List<string>();
        foreach (var data in authorize)
        {
            roles.AddRange(data.Roles?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? []);
            if (data.Policy is { } name && await policies.GetPolicyAsync(name) is { } policy)
                roles.AddRange(policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles));
        }

        return [.. roles.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>A text body (a diagram, CSV, NDJSON): bounded by the size of what the service writes.</summary>
    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String, MaxLength = 16 * 1024 * 1024 };

    private static OpenApiParameter Header(string name, bool required, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Header, Required = required, Description = description, Schema = schema };

    private static OpenApiHeader ResponseHeader(string description, OpenApiSchema schema) => new() { Description = description, Schema = schema };
}

/// <summary>
/// Types the JSON schema exporter cannot see through: instants (written by a custom converter) are
/// RFC 3339 strings, enums (written by name) are strings, and problems carry a traceId.
/// </summary>
internal sealed class ContractSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type);
        if ((underlying ?? type) == typeof(DateTimeOffset))
        {
            schema.Type = underlying is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Format = "date-time";
            schema.Description ??= "RFC 3339 UTC instant with milliseconds, for example 2026-11-20T10:00:00.000Z.";
        }
        else if ((underlying ?? type).IsEnum && schema.Enum is { Count: > 0 })
        {
            schema.Type = underlying is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
        }
        else if (typeof(ProblemDetails).IsAssignableFrom(type) && context.JsonPropertyInfo is null)
        {
            schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
            schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The trace id of the request, as in the logs." };
            schema.Properties["allowedActions"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Metadata = new Dictionary<string, object> { [HintSchemaTransformer.EnumMarker] = typeof(Domain.Workflow.WorkflowTrigger) },
                },
                MaxItems = Enum.GetValues<Domain.Workflow.WorkflowTrigger>().Length,
                Description = "On a 409 for a trigger the current state does not permit: the triggers this caller may fire now.",
            };
            schema.Properties["unmetGuards"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 1000 },
                MaxItems = 100,
                Description = "On a 422: the guards or rules that are not met (their full text, as GET /api/v1/workflow gives it).",
            };
            // Problems are open to extension members (RFC 9457), whatever the JSON options say of our own types.
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = null;
        }

        return Task.CompletedTask;
    }
}

/// <summary>The reference ids of component schemas.</summary>
internal static class SchemaNames
{
    private static readonly Dictionary<Type, string> Named = new()
    {
        [typeof(Application.Features.Audit.GetHistory.View)] = "CaseHistory",
        [typeof(Application.History.CaseEvent)] = "HistoryEvent",
        [typeof(JsonObject)] = "JsonObject",
        // One page type serves every list; each list's page keeps a schema of its own, named for its use case.
        [typeof(Page<Application.Features.Cases.CaseView>)] = "ListCasesPage",
        [typeof(Page<Application.Features.Deadlines.ListDeadlines.Item>)] = "ListDeadlinesPage",
        [typeof(Page<Application.Features.Audit.AuditEvent>)] = "AuditEventPage",
        [typeof(Page<Application.Features.Audit.AccessLogEntry>)] = "AccessLogPage",
    };

    /// <summary>
    /// Use-case types nest in their feature (ListDeadlines.Item, GetChanges.Page): they are named with it,
    /// so that two use cases never share one schema.
    /// </summary>
    public static string? For(System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        if (Named.TryGetValue(info.Type, out var name)) return name;
        var type = info.Type;
        if (type.IsNested && type.DeclaringType is { } outer && !type.IsGenericType && OpenApiOptions.CreateDefaultSchemaReferenceId(info) is not null)
            return outer.Name + type.Name;
        return OpenApiOptions.CreateDefaultSchemaReferenceId(info);
    }
}
