using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Features.Partners;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What the history, audit and status reads promise (<see cref="GetHistory.Sql"/>, <see cref="VerifyHistory.Sql"/>,
/// <see cref="ListAuditEvents.Sql"/>, <see cref="GetCaseStatus.Sql"/>), on every provider at hand:
/// the history exactly as written (so every hash recomputes from what is read), the case's head, the
/// auditors' pages in commit order with their filters, and the partners' status document.
/// </summary>
[TestFixtureSource(typeof(ProviderContractTests), nameof(Providers))]
[Order(ContractOrder.Fixtures)]
public sealed class HistoryAndStatusReadsContractTests(DatabaseProvider provider) : ProviderContractTests(provider)
{
    private static readonly Caller ArabicOfficer = new("ضابط-٧", Caller.Officer, "GB", "وزارة الداخلية — قسم التسليم", "https://idp.nca.gov.uk/ضابط");
    private static readonly Caller BareOfficer = new("officer-2-GB", Caller.Officer, null, null, "https://idp.nca.gov.uk");

    [TestCase(Cases.UrduName)]
    [TestCase(Cases.ArabicName)]
    public async Task Events_read_back_exactly_so_that_every_hash_recomputes(string fullName)
    {
        var (filed, filedEvent) = await FileAsync(CaseFileFor(fullName, "PK", "GB"), Now);
        var updated = await SaveAsync(filed.Id, c => c.UpdateFile(c.File with { RequestingAuthority = "محکمہ داخلہ پنجاب" }, CaseSide.Requested, Now.AddMinutes(1)),
            Now.AddMinutes(1), ArabicOfficer, NestedData(fullName), new RequestSource(null, "2001:db8::17"));
        var arrested = await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now.AddMinutes(2)), Now.AddMinutes(3));
        var received = await SaveAsync(filed.Id, c => c.Fire(WorkflowTrigger.ReceiveFullRequest,
            new TransitionContext(Now.AddMinutes(3), null, new TriggerData(new Dictionary<string, object> { ["certificateReference"] = "S70-1" })),
            CaseSide.Requested, Now.AddMinutes(3)), Now.AddMinutes(3));
        // HearingStart: a clock a judge may extend (ss.75(3), 76(4)); the full-request clock is not extendable.
        var extended = await SaveAsync(filed.Id,
            c => c.ExtendDeadline(DeadlineKind.HearingStart, c.Deadlines.Single(d => d.Kind == DeadlineKind.HearingStart).DueAt.AddDays(7),
                CaseSide.Requested, Now.AddMinutes(4)),
            Now.AddMinutes(4), BareOfficer, new JsonObject(), new RequestSource(null, null));
        List<CaseEvent> written = [filedEvent, .. updated, .. arrested, .. received, .. extended];

        await using var session = Open();
        var read = await GetHistory.EventsAsync(session.Get<IDatabaseSession>(), filed.Id, CancellationToken.None);

        Assert.That(read.Select(e => (e.Sequence, e.Type)),
            Is.EqualTo(new[] { (1, "CaseFiled"), (2, "CaseUpdated"), (3, "Transitioned"), (4, "Transitioned"), (5, "DeadlineExtended") }));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < written.Count; i++)
            {
                var n = i + 1;
                Assert.That(read[i] with { Data = written[i].Data }, Is.EqualTo(written[i]), $"event {n}: every member but its data");
                Assert.That(JsonNode.DeepEquals(read[i].Data, written[i].Data), Is.True, $"event {n}: its data");
                Assert.That(read[i].Data.ToJsonString(CaseJson.Options), Is.EqualTo(written[i].Data.ToJsonString(CaseJson.Options)),
                    $"event {n}: its data's text, member order included");
                Assert.That(read[i].ComputeHash(), Is.EqualTo(read[i].Hash), $"event {n}: the hash recomputed from what was read");
                Assert.That((read[i].OccurredAt.Offset, read[i].RecordedAt.Offset), Is.EqualTo((TimeSpan.Zero, TimeSpan.Zero)));
            }

            Assert.That(read[1].Actor, Is.EqualTo(new EventActor("ضابط-٧", Caller.Officer, "وزارة الداخلية — قسم التسليم", "GB", "https://idp.nca.gov.uk/ضابط")));
            Assert.That(read[1].Data["text"]!.GetValue<string>(), Does.Contain("👩🏽‍⚖️").And.Contain(fullName));
            Assert.That(read[2].Note, Is.EqualTo("اعتقال مؤقت في مطار هيثرو"));
            Assert.That((read[4].Actor.Agency, read[4].Actor.Country, read[4].Source.RequestId, read[4].Source.ClientAddress),
                Is.EqualTo(((string?)null, (string?)null, (string?)null, (string?)null)));
        });
    }

    [Test]
    public async Task The_streamed_history_rows_carry_the_instants_as_the_converters_text_in_every_dialect()
    {
        // A whole second (SQL Server's style 126 would drop its zero fraction) and instants with milliseconds; Arabic
        // and Urdu text in the actor, the note and the data; nulls in the trigger, states and source.
        var (filed, filedEvent) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero));
        var saved = await SaveAsync(filed.Id, c => c.UpdateFile(c.File with { RequestingAuthority = "x" }, CaseSide.Requested, Now.AddMinutes(1)),
            Now.AddMinutes(1).AddMilliseconds(876), ArabicOfficer, NestedData(Cases.UrduName), new RequestSource(null, "2001:db8::17"));
        List<CaseEvent> written = [filedEvent, .. saved];

        await using var session = Open();
        var rows = new List<GetHistory.StoredRow>();
        await session.Get<IDatabaseSession>().StreamAsync(GetHistory.Sql.StoredEvents, new { CaseId = filed.Id, Through = 2 },
            row => rows.Add(GetHistory.StoredRow.From(row)), CancellationToken.None);

        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.Multiple(() =>
        {
            for (var i = 0; i < written.Count; i++)
            {
                var (occurred, recorded) = (rows[i][GetHistory.StoredRow.OccurredAt]!, rows[i][GetHistory.StoredRow.RecordedAt]!);
                Assert.That((occurred, recorded), Is.EqualTo((ExtraditionCases.Domain.Instant.ToText(written[i].OccurredAt), ExtraditionCases.Domain.Instant.ToText(written[i].RecordedAt))),
                    $"event {i + 1}: the text CaseJson's converter writes");
                Assert.That(StoredInstant.IsCanonical(occurred) && StoredInstant.IsCanonical(recorded), Is.True);
                var read = rows[i].ToEvent();
                Assert.That(read with { Data = written[i].Data }, Is.EqualTo(written[i]), $"event {i + 1}: every member but its data");
                Assert.That(read.ComputeHash(), Is.EqualTo(written[i].Hash));
            }
        });
    }

    [Test]
    public async Task The_streamed_read_stops_at_the_head_it_was_given()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.ArabicName, "PK", "GB"), Now);
        await SaveAsync(filed.Id, c =>
        {
            c.UpdateFile(c.File with { RequestingAuthority = "first" }, CaseSide.Requested, Now.AddMinutes(1));
            c.UpdateFile(c.File with { RequestingAuthority = "second" }, CaseSide.Requested, Now.AddMinutes(1));
        }, Now.AddMinutes(1));

        await using var session = Open();
        var database = session.Get<IDatabaseSession>();
        async Task<List<long>> SequencesAsync(object parameters)
        {
            var sequences = new List<long>();
            await database.StreamAsync(GetHistory.Sql.StoredEvents, parameters, row => sequences.Add(row.GetInt64(GetHistory.StoredRow.Sequence)), CancellationToken.None);
            return sequences;
        }

        Assert.Multiple(async () =>
        {
            Assert.That(await SequencesAsync(new { CaseId = filed.Id, Through = 2 }), Is.EqualTo(new long[] { 1, 2 }), "an int");
            Assert.That(await SequencesAsync(new { CaseId = filed.Id, Through = 3L }), Is.EqualTo(new long[] { 1, 2, 3 }), "a long");
            Assert.That(await SequencesAsync(new { CaseId = Guid.NewGuid(), Through = 3 }), Is.Empty, "another case");
        });
    }

    [Test]
    public async Task The_history_reads_its_head_first_and_streams_the_events_it_closes_byte_for_byte_the_serialised_view()
    {
        // Data longer than a SQL Server packet and the streamed read's first buffer (4,096 characters), with characters
        // outside the BMP; Arabic text in the actor; nulls in the source; fixed-width codes and hashes.
        var longText = string.Concat(Enumerable.Repeat("نام کی ہجے 👩🏽‍⚖️ «fix» \"q\" ", 700));
        var (filed, filedEvent) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        var saved = await SaveAsync(filed.Id, c => c.UpdateFile(c.File with { RequestingAuthority = "first" }, CaseSide.Requested, Now.AddMinutes(1)),
            Now.AddMinutes(1), ArabicOfficer, new JsonObject { ["text"] = longText, ["nested"] = NestedData(Cases.ArabicName) }, new RequestSource(null, null));
        var auditor = new Caller("auditor-1", Caller.Auditor, "GB", "AUDIT", "https://idp.example");

        await using var session = Open();
        var mediator = session.Get<MediatR.IMediator>();
        var stored = await mediator.Send(new GetHistory.StoredQuery(auditor, filed.Id));
        var view = await stored.ToViewAsync(CancellationToken.None);
        var sink = new System.Buffers.ArrayBufferWriter<byte>();
        await using (var writer = new System.Text.Json.Utf8JsonWriter(sink, GetHistory.Stored.WriterOptions)) await stored.WriteTo(writer, CancellationToken.None);
        var serialised = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(view, CaseJson.Options);

        Assert.That(longText, Has.Length.GreaterThan(20_000));
        Assert.Multiple(() =>
        {
            Assert.That((stored.Through, stored.Head), Is.EqualTo((2, saved[^1].Hash)), "fixed-width hash columns come back without padding");
            Assert.That(view.Events.Select(e => e.Hash), Is.EqualTo(new[] { filedEvent.Hash, saved[^1].Hash }));
            Assert.That(view.Events.Select(e => e.ComputeHash()), Is.EqualTo(view.Events.Select(e => e.Hash)), "every hash recomputes from what was read");
            Assert.That(view.Events[1].Data["text"]!.GetValue<string>(), Is.EqualTo(longText));
            Assert.That(System.Text.Encoding.UTF8.GetString(sink.WrittenSpan), Is.EqualTo(System.Text.Encoding.UTF8.GetString(serialised)));
            Assert.That(sink.WrittenSpan.ToArray(), Is.EqualTo(serialised), "the streamed bytes are the serialised view's");
            Assert.ThrowsAsync<NotFoundException>(() => mediator.Send(new GetHistory.StoredQuery(auditor, Guid.NewGuid())), "an unknown case");
            Assert.ThrowsAsync<NotFoundException>(() => mediator.Send(new GetHistory.StoredQuery(new Caller("officer-US", Caller.Officer, "US", "DOJ", "https://idp.example"), filed.Id)),
                "an officer of neither state");
        });
    }

    [Test]
    public async Task A_case_without_events_has_an_empty_history_and_no_head()
    {
        await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now);
        await using var session = Open();
        var database = session.Get<IDatabaseSession>();

        var events = await GetHistory.EventsAsync(database, Guid.NewGuid(), CancellationToken.None);
        var head = await VerifyHistory.HeadOfAsync(database, Guid.NewGuid(), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(events, Is.Empty);
            Assert.That(head, Is.Null);
        });
    }

    [Test]
    public async Task The_head_is_the_case_version_and_the_hash_of_its_last_event()
    {
        var (filed, filedEvent) = await FileAsync(CaseFileFor(Cases.ArabicName, "PK", "GB"), Now);
        var atFiling = await HeadOfAsync(filed.Id);
        var saved = await SaveAsync(filed.Id, c =>
        {
            c.UpdateFile(c.File with { RequestingAuthority = "first" }, CaseSide.Requested, Now.AddMinutes(1));
            c.UpdateFile(c.File with { RequestingAuthority = "second" }, CaseSide.Requested, Now.AddMinutes(1));
        }, Now.AddMinutes(1));
        var afterSave = await HeadOfAsync(filed.Id);

        Assert.Multiple(() =>
        {
            Assert.That(atFiling, Is.EqualTo(new VerifyHistory.CaseHead(1, filedEvent.Hash)));
            Assert.That(afterSave, Is.EqualTo(new VerifyHistory.CaseHead(3, saved[^1].Hash)), "fixed-width hash columns come back without padding");
        });
    }

    [Test]
    public async Task Audit_pages_follow_the_auditors_feed_in_commit_order_not_recording_time()
    {
        var start = await LastAuditPositionAsync();
        var later = Now.AddDays(1);
        // A's write records its events later but commits first: an audit page is in commit order.
        var (a, aFiled) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), later.AddMinutes(10));
        var (b, bFiled) = await FileAsync(CaseFileFor(Cases.ArabicName, "PK", "US"), later, by: ArabicOfficer);
        var aSaved = (await SaveAsync(a.Id, c => c.UpdateFile(c.File with { RequestingAuthority = "x" }, CaseSide.Requested, later.AddMinutes(20)),
            later.AddMinutes(20), ArabicOfficer, NestedData(Cases.UrduName))).Single();
        var bSaved = (await SaveAsync(b.Id, c => ProvisionalArrest(c, later.AddMinutes(29)), later.AddMinutes(30))).Single();

        var page = await AuditAsync(new ListAuditEvents.Query(AuditWindow.All, 100, start));

        Assert.That(page.Select(r => (r.Seq, r.CaseId, r.Event.Sequence)),
            Is.EqualTo(new[] { (start + 1, a.Id, 1), (start + 2, b.Id, 1), (start + 3, a.Id, 2), (start + 4, b.Id, 2) }));
        Assert.Multiple(() =>
        {
            var written = new[] { aFiled, bFiled, aSaved, bSaved };
            for (var i = 0; i < written.Length; i++)
            {
                Assert.That(page[i].Event with { Data = written[i].Data }, Is.EqualTo(written[i]), $"item {i + 1}");
                Assert.That(JsonNode.DeepEquals(page[i].Event.Data, written[i].Data), Is.True, $"item {i + 1}: its data");
                Assert.That(page[i].Event.ComputeHash(), Is.EqualTo(written[i].Hash), $"item {i + 1}: the hash recomputes");
            }
        });
    }

    [Test]
    public async Task Audit_pages_filter_by_recording_time_case_and_exact_actor_and_continue_after_a_position()
    {
        var start = await LastAuditPositionAsync();
        var token = Guid.NewGuid().ToString("N");
        var upper = new Caller($"Officer-{token}", Caller.Officer, "PK", null, "https://login.moi.gov.pk");
        // The same subject but for case: another person to a token issuer, and so to an auditor.
        var lower = upper with { Subject = upper.Subject.ToLowerInvariant() };
        var t0 = Now.AddDays(2);
        var (a, a1) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), t0, by: upper);
        var (b, b1) = await FileAsync(CaseFileFor(Cases.ArabicName, "PK", "GB"), t0.AddMinutes(1), by: lower);
        var a2 = (await SaveAsync(a.Id, c => c.UpdateFile(c.File with { RequestingAuthority = "a2" }, CaseSide.Requested, t0.AddMinutes(2)), t0.AddMinutes(2), lower)).Single();
        var b2 = (await SaveAsync(b.Id, c => c.UpdateFile(c.File with { RequestingAuthority = "b2" }, CaseSide.Requested, t0.AddMinutes(3)), t0.AddMinutes(3), upper)).Single();

        var window = await AuditAsync(new ListAuditEvents.Query(new AuditWindow(t0.AddMinutes(1), t0.AddMinutes(3), null, null), 100, start));
        var fromLast = await AuditAsync(new ListAuditEvents.Query(new AuditWindow(t0.AddMinutes(3), null, null, null), 100, start));
        var beforeFirst = await AuditAsync(new ListAuditEvents.Query(new AuditWindow(null, t0, null, null), 100, start));
        var ofA = await AuditAsync(new ListAuditEvents.Query(new AuditWindow(null, null, a.Id, null), 100, start));
        var byUpper = await AuditAsync(new ListAuditEvents.Query(new AuditWindow(null, null, null, upper.Subject), 100, start));
        var byLower = await AuditAsync(new ListAuditEvents.Query(new AuditWindow(null, null, null, lower.Subject), 100, start));
        var ofBByLower = await AuditAsync(new ListAuditEvents.Query(new AuditWindow(null, null, b.Id, lower.Subject), 100, start));
        var firstPage = await AuditAsync(new ListAuditEvents.Query(AuditWindow.All, 3, start));
        var secondPage = await AuditAsync(new ListAuditEvents.Query(AuditWindow.All, 3, firstPage[^1].Seq));

        Assert.Multiple(() =>
        {
            Assert.That(Hashes(window), Is.EqualTo(new[] { b1.Hash, a2.Hash }), "from inclusive, to exclusive");
            Assert.That(Hashes(fromLast), Is.EqualTo(new[] { b2.Hash }));
            Assert.That(beforeFirst, Is.Empty);
            Assert.That(Hashes(ofA), Is.EqualTo(new[] { a1.Hash, a2.Hash }));
            Assert.That(Hashes(byUpper), Is.EqualTo(new[] { a1.Hash, b2.Hash }), "subjects differing only in case are different actors");
            Assert.That(Hashes(byLower), Is.EqualTo(new[] { b1.Hash, a2.Hash }));
            Assert.That(Hashes(ofBByLower), Is.EqualTo(new[] { b1.Hash }));
            Assert.That(Hashes(firstPage), Is.EqualTo(new[] { a1.Hash, b1.Hash, a2.Hash }));
            Assert.That(Hashes(secondPage), Is.EqualTo(new[] { b2.Hash }));
            Assert.That(secondPage.Single().Seq, Is.EqualTo(start + 4));
        });

        // The streamed read binds instants, nulls, GUIDs, text and integers as the other reads do: the same statement
        // with the same parameters gives the same rows.
        foreach (var filter in new[]
                 {
                     new ListAuditEvents.Query(new AuditWindow(t0.AddMinutes(1), t0.AddMinutes(3), null, null), 100, start),
                     new ListAuditEvents.Query(new AuditWindow(null, null, b.Id, lower.Subject), 100, start),
                     new ListAuditEvents.Query(new AuditWindow(null, null, null, upper.Subject), 100, start),
                     new ListAuditEvents.Query(AuditWindow.All, 3, firstPage[0].Seq),
                 })
        {
            var hashes = new List<string>();
            await using var session = Open();
            await session.Get<IDatabaseSession>().StreamAsync(ListAuditEvents.Sql.Page,
                new { filter.Window.From, filter.Window.To, filter.Window.CaseId, ActorSubject = filter.Window.Subject, filter.Limit, filter.AfterSeq },
                row => hashes.Add(System.Text.Encoding.UTF8.GetString(row.GetUtf8(19)).Trim()), CancellationToken.None);
            Assert.That(hashes, Is.EqualTo(Hashes(await AuditAsync(filter))).And.Not.Empty, $"{filter}");
        }
    }

    [Test]
    public async Task Status_is_the_case_row_with_the_soonest_clock_still_running()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "GB"), Now, clocks:
        [
            Clock(1, DeadlineKind.FullRequest, DeadlineStatus.Met, Now.AddDays(1)),
            Clock(2, DeadlineKind.HearingStart, DeadlineStatus.Cancelled, Now.AddDays(2)),
            Clock(3, DeadlineKind.Surrender, DeadlineStatus.Pending, Now.AddDays(-1)),
            Clock(4, DeadlineKind.AppealWindow, DeadlineStatus.Expired, Now.AddDays(3)),
            Clock(5, DeadlineKind.SurrenderAfterAppeal, DeadlineStatus.Missed, Now.AddDays(4)),
            Clock(6, DeadlineKind.Representations, DeadlineStatus.Pending, Now.AddDays(10)),
            Clock(7, DeadlineKind.ExecutiveDecision, DeadlineStatus.Extended, Now.AddDays(5)),
        ]);
        var atFiling = new CaseStatus(filed.Id, filed.Reference, "Draft", ReceivedAt, 1, Now, null);

        var now = await StatusAsync(filed.Id, Now);
        var justBeforeDue = await StatusAsync(filed.Id, Now.AddDays(5).AddMilliseconds(-1));
        var atDue = await StatusAsync(filed.Id, Now.AddDays(5));
        var allRunOut = await StatusAsync(filed.Id, Now.AddDays(10).AddMilliseconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(now, Is.EqualTo(atFiling with { NextDeadline = new NextDeadline("ExecutiveDecision", Now.AddDays(5)) }),
                "not the met, cancelled, missed or expired ones, nor the one that ran out yesterday");
            Assert.That(now!.StateSince.Offset, Is.EqualTo(TimeSpan.Zero));
            Assert.That(justBeforeDue!.NextDeadline, Is.EqualTo(new NextDeadline("ExecutiveDecision", Now.AddDays(5))), "a clock runs until its due instant");
            Assert.That(atDue!.NextDeadline, Is.EqualTo(new NextDeadline("Representations", Now.AddDays(10))), "dueAt itself is the first instant out");
            Assert.That(allRunOut, Is.EqualTo(atFiling));
        });
    }

    [Test]
    public async Task Of_clocks_due_at_the_same_instant_the_status_names_the_one_started_first()
    {
        var due = Now.AddDays(14);
        var (filed, _) = await FileAsync(CaseFileFor(Cases.ArabicName, "PK", "GB"), Now, clocks:
        [
            Clock(2, DeadlineKind.ExecutiveDecision, DeadlineStatus.Pending, due),
            Clock(3, DeadlineKind.Surrender, DeadlineStatus.Extended, due),
            Clock(1, DeadlineKind.Representations, DeadlineStatus.Pending, due),
        ]);

        var status = await StatusAsync(filed.Id, Now);

        Assert.That(status!.NextDeadline, Is.EqualTo(new NextDeadline("Representations", due)));
    }

    [Test]
    public async Task The_status_head_names_the_parties_and_the_version()
    {
        var (filed, _) = await FileAsync(CaseFileFor(Cases.UrduName, "PK", "US"), Now);
        await SaveAsync(filed.Id, c => ProvisionalArrest(c, Now.AddMinutes(1)), Now.AddMinutes(2));
        await using var session = Open();
        var database = session.Get<IDatabaseSession>();

        var head = await GetCaseStatus.HeadAsync(database, filed.Id, CancellationToken.None);
        var unknownHead = await GetCaseStatus.HeadAsync(database, Guid.NewGuid(), CancellationToken.None);
        var unknownStatus = await GetCaseStatus.ReadAsync(database, Guid.NewGuid(), Now, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(head, Is.EqualTo(new GetCaseStatus.Head { RequestingState = "PK", RequestedState = "US", Version = 2 }));
            Assert.That(unknownHead, Is.Null);
            Assert.That(unknownStatus, Is.Null);
        });
    }

    /// <summary>Nested objects and arrays, integers at the contract's limits, and text in several scripts with escapes.</summary>
    private static JsonObject NestedData(string fullName) => new()
    {
        ["z"] = "members out of order: the canonical form sorts them, the stored text keeps them",
        ["person"] = new JsonObject
        {
            ["fullName"] = fullName,
            ["aliases"] = new JsonArray("محسن", "عبد الله بن محمد", "Mohsin \"Ali\""),
            ["dateOfBirth"] = "1980-02-29",
        },
        ["hearings"] = new JsonArray(
            new JsonObject { ["court"] = "Westminster Magistrates' Court", ["adjourned"] = true, ["days"] = 14, ["notes"] = null },
            new JsonObject
            {
                ["court"] = "عدالت عالیہ لاہور",
                ["adjourned"] = false,
                ["days"] = -3,
                ["nested"] = new JsonObject { ["deeper"] = new JsonArray(new JsonArray(1, 2), new JsonObject(), new JsonArray()) },
            }),
        ["limits"] = new JsonObject { ["max"] = 9007199254740991L, ["min"] = -9007199254740991L, ["zero"] = 0 },
        ["text"] = $"{fullName}\nline two\ttab \\ backslash \u200F RLM, e\u0301, 𝔘𝔯𝔡𝔲, 👩🏽‍⚖️, <tag> & 'quote'",
        ["a"] = "first",
    };

    private static Deadline Clock(int ordinal, DeadlineKind kind, DeadlineStatus status, DateTimeOffset dueAt) => new()
    {
        Ordinal = ordinal,
        Kind = kind,
        StartedAt = dueAt.AddDays(-20),
        DueAt = dueAt,
        Status = status,
        Statute = "Extradition Act 2003",
        Advisory = false,
    };

    private static IEnumerable<string> Hashes(IEnumerable<ListAuditEvents.Record> records) => records.Select(r => r.Event.Hash);

    private async Task<VerifyHistory.CaseHead?> HeadOfAsync(Guid id)
    {
        await using var session = Open();
        return await VerifyHistory.HeadOfAsync(session.Get<IDatabaseSession>(), id, CancellationToken.None);
    }

    private async Task<IReadOnlyList<ListAuditEvents.Record>> AuditAsync(ListAuditEvents.Query filter)
    {
        await using var session = Open();
        return await ListAuditEvents.ReadAsync(session.Get<IDatabaseSession>(), filter, CancellationToken.None);
    }

    private async Task<CaseStatus?> StatusAsync(Guid id, DateTimeOffset now)
    {
        await using var session = Open();
        return (await GetCaseStatus.ReadAsync(session.Get<IDatabaseSession>(), id, now, CancellationToken.None))?.Status;
    }

    private async Task<long> LastAuditPositionAsync() =>
        (await QueryAsync<long>("SELECT COALESCE(MAX(Seq), 0) FROM ChangeFeed WHERE Audience = '**'")).Single();
}
