using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Tests.Support;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The change-feed page is likewise written from its rows with their instants as stored text, the same bytes as the serialised page.
/// The JSON history is streamed from the stored rows, their data written raw (issue 20). Its bytes are exactly
/// what serialising the typed view gives (the form the contract tests were written against): strings that need
/// escaping, non-ASCII text, nulls, nested data and the transparency member included.
/// </summary>
public sealed class HistoryStreamingTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory();

    [TearDown]
    public void StopService() => _api.Dispose();

    [Test]
    public async Task The_streamed_history_is_byte_for_byte_the_serialised_view()
    {
        var driver = await CaseDriver.FileAsync(_api);
        await driver.FireAsync("PK", "Submit", note: "Quotes \" and \\ backslash, <tags> & ampersands,\ttabs,\nnewlines, emoji \U0001F600, اردو");
        await driver.FireAsync("GB", "ReturnForCorrection", new JsonObject { ["reason"] = "نام کی ہجے \"fix\" &amp; <b>" });
        var note = new JsonObject
        {
            ["kind"] = "Call", ["direction"] = "Out", ["counterpart"] = "High Commission \u2028 line separator",
            ["occurredAt"] = "2026-11-19T15:30:00Z", ["text"] = "Hearing: 2 December — «fixed»",
        };
        var noted = await _api.ClientFor(Tokens.Officer("GB")).PostAsync($"/api/v1/cases/{driver.Id}/notes", Cases.Json(note));
        Assert.That((int)noted.StatusCode, Is.EqualTo(201));

        var auditor = new Caller("auditor-1", Caller.Auditor, "GB", "AUDIT", Tokens.Issuer);
        var officer = new Caller("officer-1-PK", Caller.Officer, "PK", "MOI", Tokens.Issuer);
        foreach (var (caller, token) in new[] { (auditor, Tokens.Auditor()), (officer, Tokens.Officer("PK")) })
        {
            byte[] expected;
            await using (var scope = _api.Services.CreateAsyncScope())
            {
                var view = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetHistory.Query(caller, Guid.Parse(driver.Id)));
                expected = JsonSerializer.SerializeToUtf8Bytes(view, CaseJson.Options);
            }

            var response = await _api.ClientFor(token).GetAsync($"/api/v1/cases/{driver.Id}/history");
            var streamed = await response.Content.ReadAsByteArrayAsync();
            Assert.Multiple(() =>
            {
                Assert.That((int)response.StatusCode, Is.EqualTo(200));
                Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/json; charset=utf-8"));
                Assert.That(System.Text.Encoding.UTF8.GetString(streamed), Is.EqualTo(System.Text.Encoding.UTF8.GetString(expected)), caller.Role);
                Assert.That(streamed, Is.EqualTo(expected));
                Assert.That(JsonNode.Parse(streamed)!["events"]!.AsArray(), Has.Count.EqualTo(4));
            });
        }
    }

    [Test]
    public async Task The_streamed_history_with_a_checkpoint_is_byte_for_byte_the_serialised_view()
    {
        // Leaves a signed checkpoint covers carry their audit paths; the event after it has none yet.
        var driver = await CaseDriver.FileAsync(_api);
        await driver.FireAsync("PK", "Submit");
        await _api.PublishCheckpointsAsync();
        await driver.FireAsync("GB", "ReturnForCorrection", new JsonObject { ["reason"] = "after the checkpoint" });

        var auditor = new Caller("auditor-1", Caller.Auditor, "GB", "AUDIT", Tokens.Issuer);
        var officer = new Caller("officer-1-GB", Caller.Officer, "GB", "NCA", Tokens.Issuer);
        foreach (var (caller, token) in new[] { (auditor, Tokens.Auditor()), (officer, Tokens.Officer("GB")) })
        {
            byte[] expected;
            await using (var scope = _api.Services.CreateAsyncScope())
            {
                var view = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetHistory.Query(caller, Guid.Parse(driver.Id)));
                expected = JsonSerializer.SerializeToUtf8Bytes(view, CaseJson.Options);
            }

            var streamed = await (await _api.ClientFor(token).GetAsync($"/api/v1/cases/{driver.Id}/history")).Content.ReadAsByteArrayAsync();
            var leaves = JsonNode.Parse(streamed)!["transparency"]!["leaves"]!.AsArray();
            Assert.Multiple(() =>
            {
                Assert.That(System.Text.Encoding.UTF8.GetString(streamed), Is.EqualTo(System.Text.Encoding.UTF8.GetString(expected)), caller.Role);
                Assert.That(streamed, Is.EqualTo(expected));
                Assert.That(leaves.Select(l => l!["proof"] is JsonArray), Is.EqualTo(new[] { true, true, false }), "paths for the covered leaves only");
                Assert.That(JsonNode.Parse(streamed)!["transparency"]!["checkpoint"]!.GetValue<string>(), Does.Contain("\n"));
            });
        }
    }

    [Test]
    public async Task The_written_feed_page_is_byte_for_byte_the_serialised_page()
    {
        // Two cases and a transition, then pages from the start, after a position, cut by the limit, and past the end (empty).
        var first = await CaseDriver.FileAsync(_api);
        await first.FireAsync("PK", "Submit");
        await CaseDriver.FileAsync(_api, Cases.NewCase(fullName: Cases.ArabicName));

        var auditor = new Caller("auditor-1", Caller.Auditor, "GB", "AUDIT", Tokens.Issuer);
        var partner = new Caller("partner-1-GB", Caller.Partner, "GB", "NCA", Tokens.Issuer);
        foreach (var (caller, token, query) in new[]
                 {
                     (auditor, Tokens.Auditor(), (After: 0L, Limit: 100)), (auditor, Tokens.Auditor(), (After: 1L, Limit: 2)),
                     (partner, Tokens.Partner("GB"), (After: 0L, Limit: 100)), (partner, Tokens.Partner("GB"), (After: 1000L, Limit: 100)),
                 })
        {
            byte[] expected;
            await using (var scope = _api.Services.CreateAsyncScope())
            {
                var page = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetChanges.Query(caller, query.After, query.Limit));
                expected = JsonSerializer.SerializeToUtf8Bytes(page, CaseJson.Options);
            }

            var cursor = query.After == 0 ? "" : $"cursor={GetChanges.WriteCursor(query.After)}&";
            var response = await _api.ClientFor(token).GetAsync($"/api/v1/changes?{cursor}limit={query.Limit}");
            var written = await response.Content.ReadAsByteArrayAsync();
            Assert.Multiple(() =>
            {
                Assert.That((int)response.StatusCode, Is.EqualTo(200));
                Assert.That(response.Content.Headers.ContentType!.ToString(), Is.EqualTo("application/json; charset=utf-8"));
                Assert.That(System.Text.Encoding.UTF8.GetString(written), Is.EqualTo(System.Text.Encoding.UTF8.GetString(expected)), $"{caller.Role} after {query.After}");
                Assert.That(written, Is.EqualTo(expected));
            });
            if (query.After == 0) Assert.That(JsonNode.Parse(written)!["items"]!.AsArray(), Is.Not.Empty);
        }
    }
}
