using System.Net;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The OpenAPI document served by the real host describes every endpoint the app maps, with the
/// contract's security, refusals and headers. The expectations are written out from the contract
/// here, independently of the table the document is built from.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private const string Problem = "application/problem+json";

    /// <summary>The contract's refusals per operation ("Which error wins", and each endpoint's section), and 500 for any.</summary>
    private static readonly Dictionary<string, int[]> Refusals = new()
    {
        ["FileCase"] = [400, 401, 403, 409, 413, 415, 422, 429, 500],
        ["GetCase"] = [401, 403, 404, 429, 500],
        ["ListCases"] = [400, 401, 403, 429, 500],
        ["PatchCase"] = [400, 401, 403, 404, 409, 412, 413, 415, 428, 429, 500],
        ["RecordTransition"] = [400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429, 500],
        ["ExtendDeadline"] = [400, 401, 403, 404, 409, 412, 413, 415, 422, 428, 429, 500],
        ["DescribeWorkflow"] = [401, 403, 429, 500],
        ["WorkflowDiagram"] = [400, 401, 403, 429, 500],
        ["ListDeadlines"] = [400, 401, 403, 429, 500],
        ["GetCaseStatus"] = [401, 403, 404, 429, 500],
        ["GetChanges"] = [400, 401, 403, 429, 500],
        ["GetHistory"] = [401, 403, 404, 429, 500],
        ["VerifyHistory"] = [401, 403, 404, 429, 500],
        ["ListAuditEvents"] = [400, 401, 403, 429, 500],
        ["ListAccess"] = [400, 401, 403, 429, 500],
        ["CreateWebhookSubscription"] = [400, 401, 403, 413, 415, 422, 429, 500],
        ["ListWebhookSubscriptions"] = [400, 401, 403, 429, 500],
        ["GetWebhookSubscription"] = [401, 403, 404, 429, 500],
        ["UpdateWebhookSubscription"] = [400, 401, 403, 404, 413, 415, 422, 429, 500],
        ["RotateWebhookSecret"] = [401, 403, 404, 429, 500],
        ["ListWebhookDeliveries"] = [400, 401, 403, 404, 429, 500],
        ["RedeliverWebhook"] = [400, 401, 403, 404, 429, 500],
        ["UploadDocument"] = [400, 401, 403, 404, 409, 413, 415, 429, 500],
        ["ListDocuments"] = [400, 401, 403, 404, 429, 500],
        ["GetDocument"] = [400, 401, 403, 404, 429, 500],
        ["DownloadDocument"] = [400, 401, 403, 404, 429, 500],
        ["GetChecklist"] = [401, 403, 404, 429, 500],
        ["RecordNote"] = [400, 401, 403, 404, 413, 415, 422, 429, 500],
        ["ListNotes"] = [400, 401, 403, 404, 429, 500],
        ["ErasePrivate"] = [400, 401, 403, 404, 429, 500],
        ["SearchCases"] = [400, 401, 403, 429, 500],
        ["AssignOfficer"] = [400, 401, 403, 404, 412, 413, 415, 428, 429, 500],
        ["LinkCases"] = [400, 401, 403, 404, 409, 413, 415, 422, 429, 500],
        ["GetLink"] = [400, 401, 403, 404, 429, 500],
        ["SuggestLinks"] = [401, 403, 404, 429, 500],
        ["GetCaseload"] = [400, 401, 403, 429, 500],
        ["GetStageTimes"] = [400, 401, 403, 429, 500],
        ["GetClockCompliance"] = [400, 401, 403, 429, 500],
        ["GetCountryPairs"] = [400, 401, 403, 429, 500],
        ["GetReportChart"] = [400, 401, 403, 404, 429, 500],
        ["AuditVerify"] = [401, 403, 429, 500],
        ["GetCheckpoint"] = [400, 401, 403, 404, 429, 500],
        ["GetTransparencyKey"] = [401, 403, 429, 500, 503],
        ["GetInclusionProof"] = [400, 401, 403, 404, 429, 500],
        ["GetConsistencyProof"] = [400, 401, 403, 404, 429, 500],
        ["AddCosignature"] = [400, 401, 403, 404, 413, 415, 429, 500],
    };

    private static readonly Dictionary<string, string[]> Roles = new()
    {
        ["FileCase"] = ["officer"],
        ["GetCase"] = ["officer", "auditor"],
        ["ListCases"] = ["officer", "auditor"],
        ["PatchCase"] = ["officer"],
        ["RecordTransition"] = ["officer"],
        ["ExtendDeadline"] = ["officer"],
        ["DescribeWorkflow"] = ["officer", "partner", "auditor"],
        ["WorkflowDiagram"] = ["officer", "partner", "auditor"],
        ["ListDeadlines"] = ["officer", "auditor"],
        ["GetCaseStatus"] = ["officer", "partner", "auditor"],
        ["GetChanges"] = ["officer", "partner", "auditor"],
        ["GetHistory"] = ["officer", "auditor"],
        ["VerifyHistory"] = ["officer", "auditor"],
        ["ListAuditEvents"] = ["auditor"],
        ["ListAccess"] = ["auditor"],
        ["CreateWebhookSubscription"] = ["officer", "partner"],
        ["ListWebhookSubscriptions"] = ["officer", "partner"],
        ["GetWebhookSubscription"] = ["officer", "partner"],
        ["UpdateWebhookSubscription"] = ["officer", "partner"],
        ["RotateWebhookSecret"] = ["officer", "partner"],
        ["ListWebhookDeliveries"] = ["officer", "partner"],
        ["RedeliverWebhook"] = ["officer", "partner"],
        ["UploadDocument"] = ["officer"],
        ["ListDocuments"] = ["officer", "auditor"],
        ["GetDocument"] = ["officer", "auditor"],
        ["DownloadDocument"] = ["officer", "auditor"],
        ["GetChecklist"] = ["officer", "auditor"],
        ["RecordNote"] = ["officer"],
        ["SearchCases"] = ["officer", "auditor"],
        ["ListNotes"] = ["officer", "auditor"],
        ["ErasePrivate"] = ["officer"],
        ["AssignOfficer"] = ["officer"],
        ["LinkCases"] = ["officer"],
        ["GetLink"] = ["officer", "auditor"],
        ["SuggestLinks"] = ["officer"],
        ["GetCaseload"] = ["officer", "auditor", "reporter"],
        ["GetStageTimes"] = ["officer", "auditor", "reporter"],
        ["GetClockCompliance"] = ["officer", "auditor", "reporter"],
        ["GetCountryPairs"] = ["officer", "auditor", "reporter"],
        ["GetReportChart"] = ["officer", "auditor", "reporter"],
        ["AuditVerify"] = ["auditor"],
        ["GetCheckpoint"] = ["officer", "partner", "auditor"],
        ["GetTransparencyKey"] = ["officer", "partner", "auditor"],
        ["GetInclusionProof"] = ["officer", "partner", "auditor"],
        ["GetConsistencyProof"] = ["officer", "partner", "auditor"],
        ["AddCosignature"] = ["officer", "partner", "auditor"],
    };

    /// <summary>Actions on a resource named by the path alone: posts without a body.</summary>
    private static readonly string[] Bodyless = ["RotateWebhookSecret", "RedeliverWebhook"];

    private static readonly string[] IfMatch = ["PatchCase", "RecordTransition", "ExtendDeadline", "AssignOfficer"];
    private static readonly string[] Idempotent = ["FileCase", "RecordTransition", "ExtendDeadline", "AssignOfficer"];
    private static readonly string[] Tagged = ["FileCase", "GetCase", "PatchCase", "RecordTransition", "ExtendDeadline", "GetCaseStatus", "AssignOfficer"];

    private ApiFactory _api = null!;
    private JsonObject _document = null!;

    [SetUp]
    public async Task FetchDocument()
    {
        _api = new ApiFactory();
        var response = await _api.CreateClient().GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the document needs no token");
        _document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [TearDown]
    public void StopService() => _api.Dispose();

    [Test]
    public async Task The_document_is_valid_OpenAPI_3_with_info_paths_and_a_bearer_scheme()
    {
        var text = await _api.CreateClient().GetStringAsync("/openapi/v1.json");
        var read = Microsoft.OpenApi.OpenApiDocument.Parse(text, "json", new Microsoft.OpenApi.Reader.OpenApiReaderSettings());
        var scheme = _document["components"]?["securitySchemes"]?["Bearer"];

        Assert.Multiple(() =>
        {
            Assert.That((string?)_document["openapi"], Does.Match(@"^3\.\d+\.\d+$"));
            Assert.That((string?)_document["info"]?["title"], Is.Not.Null.And.Not.Empty);
            Assert.That((string?)_document["info"]?["version"], Is.Not.Null.And.Not.Empty);
            Assert.That(_document["paths"]?.AsObject(), Is.Not.Empty);
            Assert.That(read.Diagnostic?.Errors.Select(e => $"{e.Pointer}: {e.Message}"), Is.Empty, "the OpenAPI reader's validation");
            Assert.That((string?)scheme?["type"], Is.EqualTo("http"));
            Assert.That((string?)scheme?["scheme"], Is.EqualTo("bearer"));
            Assert.That((string?)scheme?["bearerFormat"], Is.EqualTo("JWT"));
            Assert.That(Refs(_document).Where(r => Resolve(r) is null), Is.Empty, "every $ref resolves");
        });
    }

    [Test]
    public void Every_api_endpoint_of_the_app_is_an_operation_with_its_method_and_name()
    {
        var endpoints = ApiEndpoints().ToList();
        Assert.That(endpoints.Select(e => e.Name), Is.EquivalentTo(Refusals.Keys), "the contract table of this test is complete");

        Assert.Multiple(() =>
        {
            foreach (var (name, path, method) in endpoints)
            {
                var operation = _document["paths"]?[path]?[method.ToLowerInvariant()];
                Assert.That(operation, Is.Not.Null, $"{method} {path} ({name}) is not in the document");
                Assert.That((string?)operation?["operationId"], Is.EqualTo(name), $"{method} {path}");
                Assert.That((string?)operation?["summary"], Is.Not.Null.And.Not.Empty, name);
            }

            var documented = Operations().Where(o => o.Path.StartsWith("/api/v1", StringComparison.Ordinal)).Select(o => $"{o.Method} {o.Path}");
            Assert.That(documented, Is.EquivalentTo(endpoints.Select(e => $"{e.Method.ToLowerInvariant()} {e.Path}")), "no operation the app does not serve");
        });
    }

    [Test]
    public void Every_api_endpoint_declares_its_summary_and_description_itself()
    {
        var sources = _api.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var api = sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(api, Is.Not.Empty);
            foreach (var endpoint in api)
            {
                var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
                Assert.That(name, Is.Not.Null.And.Not.Empty, endpoint.RoutePattern.RawText);
                Assert.That(endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary, Is.Not.Null.And.Not.Empty, name);
                Assert.That(endpoint.Metadata.GetMetadata<IEndpointDescriptionMetadata>()?.Description, Is.Not.Null.And.Not.Empty, name);
            }
        });
    }

    [Test]
    public void Every_api_operation_needs_the_bearer_token_with_the_roles_of_its_policy_and_health_needs_none()
    {
        Assert.Multiple(() =>
        {
            foreach (var (path, method, operation) in Operations())
            {
                var security = operation["security"]?.AsArray();
                if (path.StartsWith("/api/v1", StringComparison.Ordinal))
                {
                    var name = (string)operation["operationId"]!;
                    Assert.That(security, Has.Count.EqualTo(1), $"{method} {path}");
                    var requirement = security![0]!.AsObject();
                    Assert.That(requirement.Select(p => p.Key), Is.EqualTo(new[] { "Bearer" }), $"{method} {path}");
                    Assert.That(requirement["Bearer"]!.AsArray().Select(r => (string?)r), Is.EquivalentTo(Roles[name]), name);
                }
                else
                {
                    Assert.That(security is null || security.Count == 0, Is.True, $"{method} {path} needs no token");
                }
            }

            Assert.That(_document["paths"]?["/health/live"]?["get"], Is.Not.Null);
            Assert.That(_document["paths"]?["/health/ready"]?["get"], Is.Not.Null);
            Assert.That(_document["security"], Is.Null, "no document-wide requirement: health and the document are anonymous");
        });
    }

    [Test]
    public void Every_api_operation_lists_the_contracts_refusals_as_problem_details()
    {
        Assert.Multiple(() =>
        {
            foreach (var (path, method, operation) in Operations().Where(o => o.Path.StartsWith("/api/v1", StringComparison.Ordinal)))
            {
                var name = (string)operation["operationId"]!;
                var responses = operation["responses"]!.AsObject();
                var errors = responses.Select(r => int.Parse(r.Key, System.Globalization.CultureInfo.InvariantCulture)).Where(s => s >= 400);
                Assert.That(errors, Is.EquivalentTo(Refusals[name]), $"{method} {path} ({name})");

                foreach (var status in Refusals[name])
                {
                    var schema = responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?[Problem]?["schema"];
                    var expected = status == 400 ? "HttpValidationProblemDetails" : "ProblemDetails";
                    Assert.That((string?)schema?["$ref"], Is.EqualTo($"#/components/schemas/{expected}"), $"{name} {status}");
                }
            }

            var problem = Resolve("#/components/schemas/ProblemDetails")!;
            Assert.That(problem["properties"]!.AsObject().Select(p => p.Key), Is.SupersetOf(new[] { "type", "title", "status", "detail", "traceId" }));
            Assert.That(Resolve("#/components/schemas/HttpValidationProblemDetails")!["properties"]!["errors"], Is.Not.Null);
        });
    }

    [Test]
    public void Every_api_operation_documents_a_success_response_with_a_body()
    {
        Assert.Multiple(() =>
        {
            foreach (var (path, method, operation) in Operations().Where(o => o.Path.StartsWith("/api/v1", StringComparison.Ordinal)))
            {
                var success = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).ToList();
                Assert.That(success, Has.Count.EqualTo(1), $"{method} {path}");
                var content = success[0].Value?["content"]?.AsObject();
                Assert.That(content, Is.Not.Null.And.Not.Empty, $"{method} {path}");
                foreach (var (mediaType, body) in content ?? [])
                    Assert.That(body?["schema"], Is.Not.Null, $"{method} {path} {mediaType}");
            }

            var status = Operation("GetCaseStatus");
            Assert.That((string?)status["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["$ref"], Is.EqualTo("#/components/schemas/CaseStatus"));
            Assert.That(status["responses"]?["304"], Is.Not.Null);
            Assert.That(status["responses"]?["304"]?["content"], Is.Null, "304 has no body");
            Assert.That(Operation("GetHistory")["responses"]?["200"]?["content"]?.AsObject().Select(c => c.Key),
                Is.EquivalentTo(new[] { "application/json", "application/x-ndjson", "text/csv" }));
            Assert.That(Operation("FileCase")["responses"]?["201"], Is.Not.Null);
        });
    }

    [Test]
    public void Posts_and_patches_have_request_bodies_with_schemas()
    {
        Assert.Multiple(() =>
        {
            foreach (var (path, method, operation) in Operations().Where(o => o.Method is "post" or "patch" or "put"))
            {
                if (Bodyless.Contains((string)operation["operationId"]!))
                {
                    Assert.That(operation["requestBody"], Is.Null, $"{method} {path} takes no body");
                    continue;
                }

                var content = operation["requestBody"]?["content"]?.AsObject();
                Assert.That(content, Is.Not.Null.And.Not.Empty, $"{method} {path}");
                Assert.That(operation["requestBody"]?["required"]?.GetValue<bool>(), Is.True, $"{method} {path}");
                foreach (var (mediaType, body) in content ?? [])
                {
                    var schema = body?["schema"];
                    var resolved = schema?["$ref"] is { } reference ? Resolve((string)reference!) : schema;
                    // An object with members, or one of several (the transition body: one schema per trigger).
                    var variants = resolved?["oneOf"] is JsonArray oneOf ? oneOf.Select(v => Resolve((string)v!["$ref"]!)).ToList() : [resolved];
                    foreach (var variant in variants)
                        Assert.That(variant?["properties"]?.AsObject(), Is.Not.Null.And.Not.Empty, $"{method} {path} {mediaType}");
                }
            }

            Assert.That(Operation("PatchCase")["requestBody"]?["content"]?["application/merge-patch+json"], Is.Not.Null);
            Assert.That(Resolve("#/components/schemas/CaseFileInput")?["properties"]?["person"], Is.Not.Null);
            Assert.That(Resolve("#/components/schemas/TransitionInput")?["oneOf"]?.AsArray().Select(v => Resolve((string)v!["$ref"]!)?["properties"]?["trigger"]).ToList(),
                Has.Count.EqualTo(26).And.All.Not.Null);
            Assert.That(Resolve("#/components/schemas/ExtensionInput")?["properties"]?["dueAt"], Is.Not.Null);
        });
    }

    [Test]
    public void Request_and_response_headers_are_where_the_contract_puts_them()
    {
        Assert.Multiple(() =>
        {
            foreach (var (path, method, operation) in Operations().Where(o => o.Path.StartsWith("/api/v1", StringComparison.Ordinal)))
            {
                var name = (string)operation["operationId"]!;
                var headers = (operation["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "header")
                    .ToDictionary(p => (string)p!["name"]!, p => p!.AsObject());
                var responses = operation["responses"]!.AsObject();
                var success = responses.Single(r => r.Key.StartsWith('2'));

                Assert.That(headers.ContainsKey("If-Match"), Is.EqualTo(IfMatch.Contains(name)), $"{name}: If-Match");
                if (IfMatch.Contains(name)) Assert.That(headers["If-Match"]["required"]?.GetValue<bool>(), Is.True, $"{name}: If-Match is required");
                Assert.That(headers.ContainsKey("If-None-Match"), Is.EqualTo(name == "GetCaseStatus"), $"{name}: If-None-Match");
                Assert.That(headers.ContainsKey("Idempotency-Key"), Is.EqualTo(Idempotent.Contains(name)), $"{name}: Idempotency-Key");
                if (Idempotent.Contains(name))
                {
                    Assert.That(headers["Idempotency-Key"]["required"]?.GetValue<bool>() ?? false, Is.False, name);
                    Assert.That((int?)headers["Idempotency-Key"]["schema"]?["maxLength"], Is.EqualTo(255), name);
                }

                Assert.That(headers.ContainsKey("X-Correlation-Id"), Is.True, $"{name}: X-Correlation-Id");

                var successHeaders = success.Value?["headers"]?.AsObject().Select(h => h.Key).ToList() ?? [];
                Assert.That(successHeaders.Contains("ETag"), Is.EqualTo(Tagged.Contains(name)), $"{name} {success.Key}: ETag");
                Assert.That(successHeaders.Contains("Location"), Is.EqualTo(success.Key == "201"), $"{name} {success.Key}: Location");
                Assert.That(successHeaders.Contains("Idempotent-Replayed"), Is.EqualTo(Idempotent.Contains(name)), $"{name}: Idempotent-Replayed");
                Assert.That(responses["429"]?["headers"]?["Retry-After"], Is.Not.Null, $"{name} 429: Retry-After");
                foreach (var (status, response) in responses)
                    Assert.That(response?["headers"]?["X-Correlation-Id"], Is.Not.Null, $"{name} {status}: X-Correlation-Id");
            }

            Assert.That(Operation("FileCase")["responses"]?["201"]?["headers"]?["Location"], Is.Not.Null);
            Assert.That(Operation("GetCaseStatus")["responses"]?["304"]?["headers"]?["ETag"], Is.Not.Null);
        });
    }

    [Test]
    public void Instants_and_enums_are_typed_strings_and_use_case_pages_each_have_their_own_schema()
    {
        var caseView = Resolve("#/components/schemas/CaseView")!;
        var pages = new[] { "ListCases", "ListDeadlines", "GetChanges", "ListAuditEvents", "ListAccess", "SearchCases" }
            .Select(n => (string?)Operation(n)["responses"]?["200"]?["content"]?["application/json"]?["schema"]?["$ref"]).ToList();

        Assert.Multiple(() =>
        {
            Assert.That((string?)caseView["properties"]?["createdAt"]?["type"], Is.EqualTo("string"));
            Assert.That((string?)caseView["properties"]?["createdAt"]?["format"], Is.EqualTo("date-time"));
            Assert.That((string?)Resolve("#/components/schemas/CaseState")?["type"], Is.EqualTo("string"));
            Assert.That(Resolve("#/components/schemas/CaseState")?["enum"]?.AsArray().Select(v => (string?)v), Does.Contain("Draft"));
            Assert.That(pages, Is.Unique);
            Assert.That(pages, Has.All.Not.Null);
        });
    }

    [Test]
    public async Task The_hand_built_responses_have_exactly_the_members_their_schemas_list()
    {
        var c = await CaseDriver.FileAsync(_api);
        await c.FireAsync("GB", "ProvisionalArrest");
        var auditor = _api.ClientFor(Tokens.Auditor());

        var history = await (await auditor.GetAsync($"/api/v1/cases/{c.Id}/history")).ReadObjectAsync();
        var events = await (await auditor.GetAsync("/api/v1/audit/events")).ReadObjectAsync();
        var access = await (await auditor.GetAsync("/api/v1/audit/access")).ReadObjectAsync();
        var status = await (await _api.ClientFor(Tokens.Partner("GB")).GetAsync($"/api/v1/cases/{c.Id}/status")).ReadObjectAsync();

        Assert.Multiple(() =>
        {
            Assert.That(history.Select(p => p.Key), Is.EquivalentTo(PropertiesOf("CaseHistory")));
            Assert.That(history["events"]![0]!.AsObject().Select(p => p.Key), Is.EquivalentTo(PropertiesOf("HistoryEvent")));
            Assert.That(events["items"]![0]!.AsObject().Select(p => p.Key), Is.EquivalentTo(PropertiesOf("AuditEvent")));
            Assert.That(events.Select(p => p.Key), Is.EquivalentTo(PropertiesOf("AuditEventPage")));
            Assert.That(access["items"]![0]!.AsObject().Select(p => p.Key), Is.EquivalentTo(PropertiesOf("AccessLogEntry")));
            Assert.That(access.Select(p => p.Key), Is.EquivalentTo(PropertiesOf("AccessLogPage")));
            Assert.That(status.Select(p => p.Key), Is.EquivalentTo(PropertiesOf("CaseStatus")));
        });
    }

    [Test]
    public async Task The_interactive_reference_is_off_outside_development_unless_enabled()
    {
        var off = await _api.CreateClient().GetAsync("/scalar/v1");

        using var enabled = new ApiFactory(new() { ["ApiDocs:EnableReference"] = "true" });
        var on = await enabled.CreateClient().GetAsync("/scalar/v1");
        var script = await enabled.CreateClient().GetAsync("/scalar/scalar.js");

        Assert.Multiple(async () =>
        {
            Assert.That(off.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(on.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(on.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(await on.Content.ReadAsStringAsync(), Does.Contain("openapi/v1.json"));
            Assert.That(script.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the page's script is served from the package, not a CDN");
        });
    }

    // ---- helpers ----

    /// <summary>RouteEndpoints the app maps under /api/v1, as OpenAPI paths (constraints dropped).</summary>
    private IEnumerable<(string Name, string Path, string Method)> ApiEndpoints()
    {
        var sources = _api.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(Segment));
            if (!path.StartsWith("/api/v1/", StringComparison.Ordinal)) continue;
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? endpoint.DisplayName ?? path;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                yield return (name, path, method);
        }
    }

    private static string Segment(RoutePatternPathSegment segment) => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternParameterPart parameter => $"{{{parameter.Name}}}",
        RoutePatternSeparatorPart separator => separator.Content,
        _ => throw new InvalidOperationException(part.GetType().Name),
    }));

    private IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(op => (path.Key, op.Key, op.Value!.AsObject())));

    private JsonObject Operation(string operationId) => Operations().Single(o => (string?)o.Operation["operationId"] == operationId).Operation;

    private IEnumerable<string> PropertiesOf(string schema) => Resolve($"#/components/schemas/{schema}")!["properties"]!.AsObject().Select(p => p.Key);

    private JsonNode? Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) return null;
        JsonNode? node = _document;
        foreach (var part in reference[2..].Split('/')) node = node is JsonObject o ? o[part.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)] : null;
        return node;
    }

    private static IEnumerable<string> Refs(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => p.Key == "$ref" && p.Value is JsonValue v ? [v.GetValue<string>()] : Refs(p.Value)),
        JsonArray a => a.SelectMany(Refs),
        _ => [],
    };
}
