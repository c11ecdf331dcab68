using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.ApiDocs;

/// <summary>
/// The description is as strict as the service, read from the served document so that endpoints added
/// later are held to it too: every input member bounded and typed, every parameter described and typed,
/// the documented examples succeed, and every constraint the document states is one the service
/// enforces (a request that breaks only that constraint is a 400 naming the member).
/// </summary>
public sealed class DescriptionStrictnessTests
{
    private ApiFactory _api = null!;
    private JsonObject _document = null!;

    [SetUp]
    public async Task FetchDocument()
    {
        _api = new ApiFactory();
        _document = JsonNode.Parse(await _api.CreateClient().GetStringAsync("/openapi/v1.json"))!.AsObject();
    }

    [TearDown]
    public void StopService() => _api.Dispose();

    [Test]
    public void Every_member_a_client_sends_is_bounded_and_typed()
    {
        var faults = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, method, operation) in Operations())
        {
            foreach (var (mediaType, body) in operation["requestBody"]?["content"]?.AsObject() ?? [])
                Check(body!["schema"]!, $"{method} {path} {mediaType}", faults, seen);
        }

        Assert.That(faults, Is.Empty);
        Assert.That(seen, Does.Contain("#/components/schemas/CertifyData").And.Contain("#/components/schemas/PersonPatch"));
    }

    [Test]
    public void Every_parameter_is_described_and_typed()
    {
        var faults = new List<string>();
        foreach (var (path, method, operation) in Operations())
        {
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                var where = $"{method} {path} {(string?)parameter!["in"]} {(string?)parameter["name"]}";
                if (string.IsNullOrWhiteSpace((string?)parameter["description"])) faults.Add($"{where}: no description");
                Check(parameter["schema"]!, where, faults, []);
            }
        }

        Assert.That(faults, Is.Empty);
    }

    [Test]
    public void Closed_sets_are_one_enum_everywhere_and_event_types_an_open_set()
    {
        string? Ref(string schema, string member) => (string?)Schema(schema)["properties"]?[member]?["$ref"]
            ?? (string?)Schema(schema)["properties"]?[member]?["oneOf"]?.AsArray().Select(o => o?["$ref"]).FirstOrDefault(r => r is not null);

        Assert.Multiple(() =>
        {
            Assert.That(Ref("CaseStatus", "state"), Is.EqualTo("#/components/schemas/CaseState"));
            Assert.That(Ref("NextDeadline", "kind"), Is.EqualTo("#/components/schemas/DeadlineKind"));
            Assert.That(Ref("GetChangesItem", "state"), Is.EqualTo("#/components/schemas/CaseState"));
            Assert.That(Ref("HistoryEvent", "trigger"), Is.EqualTo("#/components/schemas/WorkflowTrigger"));
            Assert.That(Ref("HistoryEvent", "fromState"), Is.EqualTo("#/components/schemas/CaseState"));
            Assert.That(Ref("AuditEvent", "toState"), Is.EqualTo("#/components/schemas/CaseState"));
            Assert.That((string?)Schema("CaseView")["properties"]?["allowedActions"]?["items"]?["$ref"], Is.EqualTo("#/components/schemas/WorkflowTrigger"));
            Assert.That((string?)Schema("ProblemDetails")["properties"]?["allowedActions"]?["items"]?["$ref"], Is.EqualTo("#/components/schemas/WorkflowTrigger"));
            Assert.That((string?)Schema("DescribeWorkflowDescription")["properties"]?["states"]?["items"]?["$ref"], Is.EqualTo("#/components/schemas/CaseState"));
            Assert.That(Ref("CaseFileInput", "basis"), Is.EqualTo("#/components/schemas/LegalBasis"));
            Assert.That(Ref("OffenceInput", "category"), Is.EqualTo("#/components/schemas/OffenceCategory"));
            foreach (var schema in new[] { "HistoryEvent", "AuditEvent", "GetChangesItem" })
            {
                var type = Schema(schema)["properties"]!["type"]!;
                Assert.That(type["enum"], Is.Null, $"{schema}.type is open: a client must not break on a new type");
                Assert.That((string?)type["type"], Is.EqualTo("string"), schema);
                Assert.That(type["x-extensible-enum"]!.AsArray().Select(v => (string?)v), Is.SupersetOf(new[] { "CaseFiled", "Transitioned" }), schema);
            }
        });
    }

    [Test]
    public async Task The_documented_examples_succeed()
    {
        var pk = _api.ClientFor(Tokens.Officer("PK"));
        var gb = _api.ClientFor(Tokens.Officer("GB", "officer-2", "NCA"));
        var filed = await Send(pk, HttpMethod.Post, "/api/v1/cases", Example("FileCase"), "application/json");
        Assert.That(filed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await filed.Content.ReadAsStringAsync());
        var id = filed.Headers.Location!.ToString().Split('/')[^1];

        var patched = await Send(pk, HttpMethod.Patch, $"/api/v1/cases/{id}", Example("PatchCase"), "application/merge-patch+json", "\"1\"");
        Assert.That(patched.StatusCode, Is.EqualTo(HttpStatusCode.OK), await patched.Content.ReadAsStringAsync());
        var submitted = await Send(pk, HttpMethod.Post, $"/api/v1/cases/{id}/transitions", Example("RecordTransition"), "application/json", "\"2\"");
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.OK), await submitted.Content.ReadAsStringAsync());
        // The hearing-start clock is one a judge may extend (ss.75(3), 76(4)): reached through a provisional arrest.
        var arrested = await Send(gb, HttpMethod.Post, $"/api/v1/cases/{id}/transitions", """{"trigger":"ProvisionalArrest"}""", "application/json", "\"3\"");
        Assert.That(arrested.StatusCode, Is.EqualTo(HttpStatusCode.OK), await arrested.Content.ReadAsStringAsync());
        var full = await Send(gb, HttpMethod.Post, $"/api/v1/cases/{id}/transitions", """{"trigger":"ReceiveFullRequest","data":{"certificateReference":"C-1"}}""", "application/json", "\"4\"");
        Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.OK), await full.Content.ReadAsStringAsync());
        var extended = await Send(gb, HttpMethod.Post, $"/api/v1/cases/{id}/deadlines/HearingStart/extensions", Example("ExtendDeadline"), "application/json", "\"5\"");
        Assert.That(extended.StatusCode, Is.EqualTo(HttpStatusCode.OK), await extended.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Every_constraint_of_the_filing_body_is_one_the_service_enforces()
    {
        var officer = _api.ClientFor(Tokens.Officer("PK"));
        var example = JsonNode.Parse(Example("FileCase"))!.AsObject();
        var violations = Violations(Schema("CaseFileInput"), example, "").ToList();
        Assert.That(violations, Has.Count.GreaterThan(30), "the document states the constraints");

        var faults = new List<string>();
        foreach (var (member, body) in violations)
        {
            var response = await Send(officer, HttpMethod.Post, "/api/v1/cases", body.ToJsonString(), "application/json");
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.BadRequest) faults.Add($"{member}: {(int)response.StatusCode} {text}");
            else if (!text.Contains(Leaf(member), StringComparison.OrdinalIgnoreCase)) faults.Add($"{member}: the 400 does not name it: {text}");
        }

        Assert.That(faults, Is.Empty);
    }

    [Test]
    public async Task Every_constraint_of_each_triggers_data_is_one_the_service_enforces()
    {
        var c = await CaseDriver.FileAsync(_api);
        var officer = _api.ClientFor(Tokens.Officer("GB", "officer-2", "NCA"));
        var faults = new List<string>();
        var checkedCount = 0;
        foreach (var variant in Schema("TransitionInput")["oneOf"]!.AsArray())
        {
            var transition = Resolve((string)variant!["$ref"]!)!;
            var trigger = (string)transition["properties"]!["trigger"]!["enum"]![0]!;
            var data = Resolve((string)transition["properties"]!["data"]!["$ref"]!)!;
            var valid = new JsonObject();
            foreach (var (name, member) in data["properties"]?.AsObject() ?? []) valid[name] = ValidValue(member!);
            foreach (var (member, body) in Violations(data, valid, "data.").Append(("data.unknownMember", Merge(valid, "unknownMember", "x"))))
            {
                checkedCount++;
                var request = new JsonObject { ["trigger"] = trigger, ["data"] = body };
                var response = await Send(officer, HttpMethod.Post, $"/api/v1/cases/{c.Id}/transitions", request.ToJsonString(), "application/json", "\"1\"");
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.BadRequest || !text.Contains(member, StringComparison.Ordinal))
                    faults.Add($"{trigger} {member}: {(int)response.StatusCode} {text}");
            }
        }

        Assert.That(checkedCount, Is.GreaterThan(40));
        Assert.That(faults, Is.Empty);
    }

    [Test]
    public async Task Every_constraint_of_a_query_parameter_is_one_the_service_enforces()
    {
        var auditor = _api.ClientFor(Tokens.Auditor());
        var faults = new List<string>();
        var checkedCount = 0;
        foreach (var (path, method, operation) in Operations().Where(o => o.Method == "get" && !o.Path.Contains('{', StringComparison.Ordinal)))
        {
            var roles = operation["security"]?.AsArray().FirstOrDefault()?["Bearer"]?.AsArray().Select(r => (string?)r).ToList() ?? [];
            if (!roles.Contains("auditor")) continue;
            foreach (var parameter in (operation["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "query"))
            {
                var name = (string)parameter!["name"]!;
                var schema = parameter["schema"]!["$ref"] is { } r ? Resolve((string)r!)! : parameter["schema"]!;
                foreach (var bad in BadValues(schema))
                {
                    checkedCount++;
                    var response = await auditor.GetAsync($"{path}?{name}={Uri.EscapeDataString(bad)}");
                    var text = await response.Content.ReadAsStringAsync();
                    if (response.StatusCode != HttpStatusCode.BadRequest || !text.Contains(name, StringComparison.Ordinal))
                        faults.Add($"{path}?{name}={bad}: {(int)response.StatusCode} {text}");
                }
            }
        }

        Assert.That(checkedCount, Is.GreaterThan(15));
        Assert.That(faults, Is.Empty);
    }

    // ---- what the document says, and breaking it ----

    /// <summary>A schema a client sends is bounded: strings by maxLength and a form, arrays by maxItems, integers by range, objects closed.</summary>
    private void Check(JsonNode schema, string where, List<string> faults, HashSet<string> seen)
    {
        if (schema["$ref"] is { } reference)
        {
            if (seen.Add((string)reference!)) Check(Resolve((string)reference!)!, $"{where} > {(string)reference!}", faults, seen);
            return;
        }

        foreach (var part in (schema["oneOf"]?.AsArray() ?? []).Concat(schema["anyOf"]?.AsArray() ?? []).Concat(schema["allOf"]?.AsArray() ?? []))
            Check(part!, where, faults, seen);
        var types = schema["type"] switch
        {
            JsonArray list => list.Select(t => (string)t!).ToList(),
            JsonValue one => [(string)one!],
            _ => [],
        };
        if (types.Contains("string") && schema["enum"] is null)
        {
            if (schema["maxLength"] is null) faults.Add($"{where}: string without maxLength");
            if (schema["format"] is null && schema["pattern"] is null) faults.Add($"{where}: string without format or pattern");
        }

        if (types.Contains("integer") && (schema["minimum"] is null || schema["maximum"] is null)) faults.Add($"{where}: integer without range");
        if (types.Contains("array"))
        {
            if (schema["maxItems"] is null) faults.Add($"{where}: array without maxItems");
            Check(schema["items"]!, $"{where}[]", faults, seen);
        }

        if (types.Contains("object"))
        {
            if (schema["additionalProperties"]?.GetValue<bool>() != false) faults.Add($"{where}: object open to unknown members");
            foreach (var (name, member) in schema["properties"]?.AsObject() ?? []) Check(member!, $"{where}.{name}", faults, seen);
        }
    }

    /// <summary>For each constraint of each member (one level into objects and the first array item): the valid body with only that broken.</summary>
    private IEnumerable<(string Member, JsonObject Body)> Violations(JsonNode schema, JsonObject valid, string prefix)
    {
        foreach (var name in schema["required"]?.AsArray().Select(r => (string)r!) ?? [])
        {
            var without = (JsonObject)valid.DeepClone();
            without.Remove(name);
            yield return (prefix + name, without);
        }

        foreach (var (name, memberSchema) in schema["properties"]?.AsObject() ?? [])
        {
            var member = Concrete(memberSchema!);
            if (TypeOf(member).Contains("object", StringComparison.Ordinal) && valid[name] is JsonObject inner)
            {
                foreach (var (innerName, innerBody) in Violations(member, inner, $"{prefix}{name}."))
                    yield return (innerName, Merge(valid, name, innerBody));
                continue;
            }

            if (TypeOf(member).Contains("array", StringComparison.Ordinal) && valid[name] is JsonArray { Count: > 0 } items)
            {
                if (member["maxItems"] is { } maxItems)
                    yield return ($"{prefix}{name}", Merge(valid, name, new JsonArray([.. Enumerable.Range(0, (int)maxItems + 1).Select(_ => items[0]!.DeepClone())])));
                var itemSchema = Concrete(member["items"]!);
                if (items[0] is JsonObject first)
                {
                    foreach (var (innerName, innerBody) in Violations(itemSchema, first, $"{prefix}{name}[0]."))
                        yield return (innerName, Merge(valid, name, new JsonArray(innerBody)));
                }
                else
                {
                    foreach (var bad in BadValues(itemSchema)) yield return ($"{prefix}{name}", Merge(valid, name, new JsonArray(JsonValue.Create(bad))));
                }

                continue;
            }

            foreach (var bad in BadValues(member)) yield return ($"{prefix}{name}", Merge(valid, name, bad));
            if (TypeOf(member).Contains("boolean", StringComparison.Ordinal)) yield return ($"{prefix}{name}", Merge(valid, name, "yes"));
            if (member["minimum"] is { } min) yield return ($"{prefix}{name}", Merge(valid, name, (long)min - 1));
            if (member["maximum"] is { } max) yield return ($"{prefix}{name}", Merge(valid, name, (long)max + 1));
        }
    }

    /// <summary>Strings that break one stated constraint each.</summary>
    private static IEnumerable<string> BadValues(JsonNode schema)
    {
        if (schema["enum"] is not null) yield return "Bogus";
        if (schema["maxLength"] is { } max && schema["enum"] is null && schema["format"] is null && (int)max < 100_000)
            yield return new string('A', (int)max + 1);
        switch ((string?)schema["format"])
        {
            case "date": yield return "2026-13-45"; break;
            case "date-time": yield return "yesterday at noon"; break;
            case "uuid": yield return "not-a-uuid"; break;
        }

        var pattern = (string?)schema["pattern"];
        if (pattern == "^[A-Z]{2}$") yield return "pk";
        else if (pattern?.Contains("u202A", StringComparison.Ordinal) == true) yield return "Ali\u202Eila";
        else if (pattern == "^[A-Za-z0-9_-]+$") yield return "not a cursor";
        if (TypeOf(schema).Contains("integer", StringComparison.Ordinal))
        {
            if (schema["maximum"] is { } maximum) yield return ((long)maximum + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return "many";
        }
        else if (TypeOf(schema).Contains("boolean", StringComparison.Ordinal))
        {
            yield return "maybe";
        }
    }

    /// <summary>The schema's type or types, as one text ("null string").</summary>
    private static string TypeOf(JsonNode schema) => schema["type"] switch
    {
        JsonArray list => string.Join(' ', list.Select(t => (string)t!)),
        JsonValue one => (string)one!,
        _ => "",
    };

    private static JsonNode ValidValue(JsonNode schema) => TypeOf(schema) switch
    {
        "boolean" => true,
        _ when schema["enum"] is JsonArray values => values[0]!.DeepClone(),
        _ when (string?)schema["format"] == "date-time" => "2026-11-20T09:00:00Z",
        _ => "A reference",
    };

    private JsonNode Concrete(JsonNode schema)
    {
        if (schema["$ref"] is { } reference) return Resolve((string)reference!)!;
        if (schema["oneOf"] is JsonArray choices && choices.FirstOrDefault(c => c!["$ref"] is not null) is { } choice) return Resolve((string)choice!["$ref"]!)!;
        return schema;
    }

    private static JsonObject Merge(JsonObject body, string name, JsonNode? value)
    {
        var copy = (JsonObject)body.DeepClone();
        copy[name] = value;
        return copy;
    }

    private static string Leaf(string member) => member.Split('.')[^1].Split('[')[0];

    private string Example(string operationId) =>
        Operations().Single(o => (string?)o.Operation["operationId"] == operationId).Operation["requestBody"]!["content"]!.AsObject().First().Value!["example"]!.ToJsonString();

    private static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string json, string mediaType, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return await client.SendAsync(request);
    }

    private JsonNode Schema(string name) => Resolve($"#/components/schemas/{name}")!;

    private IEnumerable<(string Path, string Method, JsonObject Operation)> Operations() =>
        _document["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(op => op.Key is "get" or "post" or "put" or "patch" or "delete")
            .Select(op => (path.Key, op.Key, op.Value!.AsObject())));

    private JsonNode? Resolve(string reference)
    {
        JsonNode? node = _document;
        foreach (var part in reference[2..].Split('/')) node = node?[part];
        return node;
    }
}
