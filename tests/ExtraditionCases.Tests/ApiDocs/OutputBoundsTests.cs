using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.ApiDocs;

/// <summary>
/// The bounds the document states on what the service writes (OutputBounds: echoed input limits, page sizes,
/// cursors, SHA-256 forms, case references, the measured workflow description) hold for real answers: a case
/// filed with every member at its input limit, walked through the workflow, then read back through the case,
/// status, feed, history, list and workflow endpoints. Every string is checked against its schema's
/// maxLength/minLength/pattern and every array against maxItems.
/// </summary>
public sealed class OutputBoundsTests
{
    [Test]
    public async Task Real_answers_stay_within_the_bounds_the_document_gives_them()
    {
        using var api = new ApiFactory();
        var document = JsonNode.Parse(await api.CreateClient().GetStringAsync("/openapi/v1.json"))!;
        var body = Cases.NewCase();
        body["person"]!["fullName"] = new string('ب', 300);
        body["offences"]![0]!["description"] = new string('d', (int)document["components"]!["schemas"]!["OffenceInput"]!["properties"]!["description"]!["maxLength"]!);
        var c = await CaseDriver.FileAsync(api, body);
        await c.FireAsync("PK", "Submit", note: new string('n', 2000));
        await c.FireAsync("GB", "Certify", new JsonObject { ["certificateReference"] = "S70-1" });

        var officer = api.ClientFor(Tokens.Officer("PK"));
        var auditor = api.ClientFor(Tokens.Auditor());
        var partner = api.ClientFor(Tokens.Partner("PK"));
        var answers = new (string Schema, JsonNode Answer)[]
        {
            ("CaseView", JsonNode.Parse(await officer.GetStringAsync($"/api/v1/cases/{c.Id}"))!),
            ("CaseStatus", JsonNode.Parse(await partner.GetStringAsync($"/api/v1/cases/{c.Id}/status"))!),
            ("GetChangesPage", JsonNode.Parse(await partner.GetStringAsync("/api/v1/changes?limit=1000"))!),
            ("CaseHistory", JsonNode.Parse(await auditor.GetStringAsync($"/api/v1/cases/{c.Id}/history"))!),
            ("ListCasesPage", JsonNode.Parse(await officer.GetStringAsync("/api/v1/cases"))!),
            ("DescribeWorkflowDescription", JsonNode.Parse(await officer.GetStringAsync("/api/v1/workflow"))!),
        };

        var faults = new List<string>();
        var checkedStrings = 0;
        foreach (var (schema, answer) in answers)
            Walk(document, document["components"]!["schemas"]![schema]!, answer, schema, faults, ref checkedStrings);

        Assert.Multiple(() =>
        {
            Assert.That(faults, Is.Empty);
            Assert.That(checkedStrings, Is.GreaterThan(100), "the walk reached the answers' strings");
        });
    }

    private static void Walk(JsonNode document, JsonNode schema, JsonNode? value, string where, List<string> faults, ref int strings)
    {
        if (value is null) return;
        if (schema["$ref"] is { } reference)
        {
            Walk(document, document["components"]!["schemas"]![((string)reference!).Split('/')[^1]]!, value, where, faults, ref strings);
            return;
        }

        if (schema["oneOf"] is JsonArray choices)
        {
            // The nullable wrapper: the value is the non-null side; a discriminated union is not walked further.
            var nonNull = choices.Where(x => (string?)x!["type"] != "null").ToList();
            if (nonNull.Count == 1) Walk(document, nonNull[0]!, value, where, faults, ref strings);
            return;
        }

        switch (value)
        {
            case JsonValue text when text.TryGetValue<string>(out var s):
                strings++;
                var length = s.EnumerateRunes().Count();
                if (schema["maxLength"] is { } max && length > (int)max) faults.Add($"{where}: {length} > maxLength {max}");
                if (schema["minLength"] is { } min && length < (int)min) faults.Add($"{where}: {length} < minLength {min}");
                if (schema["pattern"] is { } pattern && !Regex.IsMatch(s, (string)pattern!)) faults.Add($"{where}: '{s}' does not match {pattern}");
                break;
            case JsonArray array:
                if (schema["maxItems"] is { } items && array.Count > (int)items) faults.Add($"{where}: {array.Count} > maxItems {items}");
                for (var i = 0; i < array.Count; i++)
                    if (schema["items"] is { } itemSchema) Walk(document, itemSchema, array[i], $"{where}[{i.ToString(CultureInfo.InvariantCulture)}]", faults, ref strings);
                break;
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var (name, member) in obj)
                    if (properties[name] is { } memberSchema) Walk(document, memberSchema, member, $"{where}.{name}", faults, ref strings);
                break;
        }
    }
}
