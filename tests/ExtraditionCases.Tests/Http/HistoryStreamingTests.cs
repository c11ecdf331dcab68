using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.Features.Transparency;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Tests.Support;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
    public async Task A_history_holds_the_events_its_head_closes_even_when_one_is_appended_while_it_is_read()
    {
        var driver = await CaseDriver.FileAsync(_api);
        await driver.FireAsync("PK", "Submit");
        var auditor = new Caller("auditor-1", Caller.Auditor, "GB", "AUDIT", Tokens.Issuer);

        await using var scope = _api.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetHistory.StoredQuery(auditor, Guid.Parse(driver.Id)));
        // Between the head's read and the events' read, another event lands (and its transparency leaf).
        await driver.FireAsync("GB", "ReturnForCorrection", new JsonObject { ["reason"] = "appended meanwhile" });
        var sink = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var writer = new Utf8JsonWriter(sink, GetHistory.Stored.WriterOptions)) await stored.WriteTo(writer, CancellationToken.None);

        var history = JsonNode.Parse(sink.WrittenSpan)!;
        var events = history["events"]!.AsArray();
        var now = await (await _api.ClientFor(Tokens.Auditor()).GetAsync($"/api/v1/cases/{driver.Id}/history")).Content.ReadAsByteArrayAsync();
        Assert.Multiple(() =>
        {
            Assert.That(stored.Through, Is.EqualTo(2));
            Assert.That(events.Select(e => e!["sequence"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(history["head"]!.GetValue<string>(), Is.EqualTo(events[^1]!["hash"]!.GetValue<string>()));
            Assert.That(history["transparency"]!["leaves"]!.AsArray().Select(l => l!["sequence"]!.GetValue<int>()), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(JsonNode.Parse(now)!["events"]!.AsArray(), Has.Count.EqualTo(3), "a history read afterwards has the appended event");
        });
    }

    [Test]
    public void A_history_read_up_to_its_head_carries_only_those_events_leaves()
    {
        var leaves = new[] { new EventLeaf(1, 10, null), new EventLeaf(2, 11, ["AA=="]), new EventLeaf(3, 12, null) };
        var transparency = new HistoryTransparency("**", 12, "root", "note", leaves);

        Assert.Multiple(() =>
        {
            Assert.That(transparency.Through(2).Leaves.Select(l => l.Sequence), Is.EqualTo(new[] { 1, 2 }));
            Assert.That(transparency.Through(2) with { Leaves = leaves }, Is.EqualTo(transparency), "the rest as it was");
            Assert.That(transparency.Through(3), Is.SameAs(transparency));
            Assert.That(transparency.Through(0).Leaves, Is.Empty);
        });
    }

    [Test]
    public async Task A_database_fault_while_the_events_are_read_is_a_clean_problem_not_a_torn_history()
    {
        var driver = await CaseDriver.FileAsync(_api);
        await driver.FireAsync("PK", "Submit");
        using var host = _api.WithWebHostBuilder(builder => builder.ConfigureServices(services =>
        {
            services.RemoveAll<IDatabaseSession>();
            services.AddScoped<IDatabaseSession>(sp => new FailingAfterOneRow(sp.GetRequiredService<ExtraditionCases.Infrastructure.Persistence.DatabaseSession>()));
        }));
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Tokens.Auditor());

        var response = await client.GetAsync($"/api/v1/cases/{driver.Id}/history");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(500));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            Assert.That(() => JsonNode.Parse(body), Throws.Nothing, body);
            Assert.That(body, Does.Not.Contain("\"events\"").And.Not.Contain(driver.Id), "no part of the history in the error");
        });
    }

    /// <summary>The service's session, except that a streamed read fails after its first row (a deadlock victim, an I/O error).</summary>
    private sealed class FailingAfterOneRow(IDatabaseSession inner) : IDatabaseSession
    {
        public Task BeginAsync(CancellationToken cancellationToken) => inner.BeginAsync(cancellationToken);

        public Task BeginBatchAsync(CancellationToken cancellationToken) => inner.BeginBatchAsync(cancellationToken);

        public Task CommitAsync(CancellationToken cancellationToken) => inner.CommitAsync(cancellationToken);

        public Task RollbackAsync(CancellationToken cancellationToken) => inner.RollbackAsync(cancellationToken);

        public Task<IReadOnlyList<T>> QueryAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            inner.QueryAsync<T>(statement, parameters, cancellationToken);

        public Task<T?> QuerySingleOrDefaultAsync<T>(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            inner.QuerySingleOrDefaultAsync<T>(statement, parameters, cancellationToken);

        public Task<int> ExecuteAsync(SqlStatement statement, object? parameters, CancellationToken cancellationToken) =>
            inner.ExecuteAsync(statement, parameters, cancellationToken);

        public Task StreamAsync(SqlStatement statement, object? parameters, Action<IStreamedRow> onRow, CancellationToken cancellationToken)
        {
            var rows = 0;
            return inner.StreamAsync(statement, parameters, row =>
            {
                if (++rows > 1) throw new IOException("The disk went away (test).");
                onRow(row);
            }, cancellationToken);
        }
    }

    [Test]
    public async Task Streaming_a_long_history_allocates_no_object_per_event()
    {
        // 200 events: each row goes from SQLite's buffer into the writer without a row object or a string per column (issue 20).
        var driver = await CaseDriver.FileAsync(_api);
        var client = _api.ClientFor(Tokens.Officer("PK"));
        for (var i = 1; i < 200; i++)
        {
            var note = new JsonObject { ["kind"] = "Call", ["direction"] = "Out", ["counterpart"] = "وزارت داخلہ", ["occurredAt"] = "2026-11-19T15:30:00Z", ["text"] = $"Call {i}" };
            Assert.That((int)(await client.PostAsync($"/api/v1/cases/{driver.Id}/notes", Cases.Json(note))).StatusCode, Is.EqualTo(201));
        }

        var auditor = new Caller("auditor-1", Caller.Auditor, "GB", "AUDIT", Tokens.Issuer);
        await using var scope = _api.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetHistory.StoredQuery(auditor, Guid.Parse(driver.Id)));
        var sink = new System.Buffers.ArrayBufferWriter<byte>(1 << 20);
        // Over HTTP too: the body is larger than the response buffer's first array, and is sent whole with its length.
        var response = await _api.ClientFor(Tokens.Auditor()).GetAsync($"/api/v1/cases/{driver.Id}/history");
        var sent = await response.Content.ReadAsByteArrayAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), System.Text.Encoding.UTF8.GetString(sent));
        Assert.That((response.Content.Headers.ContentLength, sent.Length), Is.EqualTo(((long?)sent.Length, sent.Length)));
        Assert.That(sent.Length, Is.GreaterThan(128 * 1024));
        Assert.That(JsonNode.Parse(sent)!["events"]!.AsArray(), Has.Count.EqualTo(200));
        async Task<long> AllocatedWritingAsync()
        {
            sink.ResetWrittenCount();
            var before = GC.GetAllocatedBytesForCurrentThread();
            await using (var writer = new Utf8JsonWriter(sink, GetHistory.Stored.WriterOptions)) await stored.WriteTo(writer, CancellationToken.None);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        // The first writes compile and initialise what the writing uses; then it allocates the same fixed ~1.5 KB each time.
        for (var warm = 0; warm < 3; warm++) await AllocatedWritingAsync();
        var allocated = await AllocatedWritingAsync();
        var events = JsonNode.Parse(sink.WrittenSpan)!["events"]!.AsArray();
        Assert.Multiple(() =>
        {
            Assert.That(events, Has.Count.EqualTo(stored.Through).And.Count.GreaterThanOrEqualTo(200));
            Assert.That(sink.WrittenSpan.ToArray(), Is.EqualTo(sent), "the response's bytes are the writer's");
            // A row object with its strings is over 1 KB per event (200 KB here); the statement, its parameters and the
            // writer cost a fixed amount.
            Assert.That(allocated, Is.LessThan(4096), $"{allocated} bytes for {events.Count} events");
        });
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
