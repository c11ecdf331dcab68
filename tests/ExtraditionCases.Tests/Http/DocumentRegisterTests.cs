using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Tests.Support;

namespace ExtraditionCases.Tests.Http;

/// <summary>
/// The document register (issue 13): uploads streamed into the database, the media type read from the
/// bytes, the size limit, SHA-256 in the hash chain and as the download's ETag, supersession, and 404
/// for documents of other cases. A failed upload leaves no row and no event.
/// </summary>
public sealed class DocumentRegisterTests
{
    private ApiFactory _api = null!;

    [SetUp]
    public void StartService() => _api = new ApiFactory(new() { ["Documents:MaxBytes"] = "65536" });

    [TearDown]
    public void StopService() => _api.Dispose();

    private HttpClient Pk => _api.ClientFor(Tokens.Officer("PK"));
    private HttpClient Gb => _api.ClientFor(Tokens.Officer("GB"));

    private async Task<string> CaseAsync() => (string)(await Cases.FileAsync(Pk))["id"]!;

    private async Task<(int Version, int Documents)> StoredAsync(string caseId)
    {
        var view = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}");
        var list = await Pk.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/documents");
        return ((int)view!["version"]!, list!["items"]!.AsArray().Count);
    }

    [Test]
    public async Task An_upload_is_registered_with_its_SHA256_in_the_chain_and_downloads_byte_for_byte()
    {
        var caseId = await CaseAsync();
        var bytes = Documents.Pdf(40_000);

        var response = await Documents.UploadAsync(Pk, caseId, Documents.Metadata(), bytes, fileName: "../../etc/طلب حوالگی.pdf");
        var created = await response.ReadObjectAsync();
        var download = await Gb.GetAsync($"/api/v1/cases/{caseId}/documents/{created["id"]}/content");
        var downloaded = await download.Content.ReadAsByteArrayAsync();
        var audited = await _api.ClientFor(Tokens.Auditor()).GetAsync($"/api/v1/cases/{caseId}/documents/{created["id"]}/content");
        var history = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/history");
        var verify = await _api.ClientFor(Tokens.Auditor()).GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/history/verify");
        var added = history!["events"]!.AsArray().Last()!;

        Assert.Multiple(() =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(201));
            Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/cases/{caseId}/documents/{created["id"]}"));
            Assert.That(response.Headers.ETag!.Tag, Is.EqualTo($"\"{Documents.Sha256(bytes)}\""));
            Assert.That((string?)created["sha256"], Is.EqualTo(Documents.Sha256(bytes)));
            Assert.That((long)created["size"]!, Is.EqualTo(bytes.LongLength));
            Assert.That((string?)created["mediaType"], Is.EqualTo("application/pdf"));
            Assert.That((string?)created["fileName"], Is.EqualTo("طلب حوالگی.pdf"), "no path survives");
            Assert.That((string?)created["uploadedBy"]!["country"], Is.EqualTo("PK"));

            Assert.That((string?)added["type"], Is.EqualTo("DocumentAdded"));
            Assert.That((int)added["sequence"]!, Is.EqualTo(2));
            Assert.That((string?)added["data"]!["sha256"], Is.EqualTo(Documents.Sha256(bytes)));
            Assert.That((string?)added["data"]!["documentId"], Is.EqualTo((string?)created["id"]));
            Assert.That((bool)verify!["valid"]!, Is.True);

            Assert.That((int)download.StatusCode, Is.EqualTo(200));
            Assert.That(downloaded, Is.EqualTo(bytes));
            Assert.That(download.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/pdf"));
            Assert.That(download.Headers.ETag!.Tag, Is.EqualTo($"\"{Documents.Sha256(bytes)}\""));
            Assert.That(download.Content.Headers.ContentDisposition!.DispositionType, Is.EqualTo("attachment"));
            Assert.That(download.Content.Headers.ContentDisposition.FileNameStar, Is.EqualTo("طلب حوالگی.pdf"));
            Assert.That((int)audited.StatusCode, Is.EqualTo(200), "auditors read documents");
        });
    }

    [Test]
    public async Task A_download_naming_the_current_SHA256_in_If_None_Match_is_304()
    {
        var caseId = await CaseAsync();
        var created = await Documents.AddAsync(Pk, caseId, Documents.Metadata());
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{caseId}/documents/{created["id"]}/content");
        request.Headers.TryAddWithoutValidation("If-None-Match", $"\"{created["sha256"]}\"");

        var response = await Pk.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
    }

    [Test]
    public async Task Downloads_are_in_the_access_log()
    {
        var caseId = await CaseAsync();
        var created = await Documents.AddAsync(Pk, caseId, Documents.Metadata());
        await Gb.GetAsync($"/api/v1/cases/{caseId}/documents/{created["id"]}/content");

        var auditor = _api.ClientFor(Tokens.Auditor());
        JsonArray items = [];
        for (var attempt = 0; attempt < 50 && items.Count == 0; attempt++)
        {
            // The access log is written in the background, in batches.
            var page = await auditor.GetFromJsonAsync<JsonObject>($"/api/v1/audit/access?caseId={caseId}");
            items = new JsonArray([.. page!["items"]!.AsArray().Where(i => ((string?)i!["endpoint"])?.EndsWith("/content", StringComparison.Ordinal) == true).Select(i => i!.DeepClone())]);
            if (items.Count == 0) await Task.Delay(100);
        }

        Assert.That(items, Is.Not.Empty);
        Assert.That((string?)items[0]!["subject"], Is.EqualTo("officer-1-GB"));
    }

    [TestCase("application/pdf", "png", Description = "declared PDF, PNG bytes")]
    [TestCase("image/png", "pdf", Description = "declared PNG, PDF bytes")]
    [TestCase("text/plain", "binary", Description = "declared text, binary bytes")]
    [TestCase("image/gif", "gif", Description = "not an accepted type")]
    [TestCase("application/x-msdownload", "exe", Description = "not an accepted type")]
    public async Task A_media_type_the_bytes_do_not_show_is_415_and_leaves_nothing(string declared, string content)
    {
        var caseId = await CaseAsync();
        byte[] bytes = content switch
        {
            "png" => [.. Documents.PngHeader, .. new byte[100]],
            "pdf" => Documents.Pdf(),
            "gif" => [.. "GIF89a"u8, .. new byte[10]],
            "exe" => [.. "MZ"u8, 0x90, 0, 3, 0],
            _ => [0, 1, 2, 3, 0xFE, 0xFF, 0x00, 0x10],
        };

        var response = await Documents.UploadAsync(Pk, caseId, Documents.Metadata(), bytes, declared);
        var problem = await response.ReadObjectAsync();

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(415), problem.ToJsonString());
            Assert.That(problem["errors"]?["file"], Is.Not.Null, "the problem names the member");
            Assert.That(await StoredAsync(caseId), Is.EqualTo((1, 0)), "no event and no row");
        });
    }

    [Test]
    public async Task Text_in_any_script_is_plain_text()
    {
        var caseId = await CaseAsync();
        var text = Encoding.UTF8.GetBytes("مراسلہ نمبر 17\r\nReceived at the High Commission.\n" + new string('ا', 600));

        var created = await Documents.AddAsync(Pk, caseId, Documents.Metadata("Correspondence", "مراسلہ", "ur"), text, "text/plain", "letter.txt");

        Assert.That((string?)created["mediaType"], Is.EqualTo("text/plain"));
    }

    [Test]
    public async Task A_file_over_Documents_MaxBytes_is_413_naming_it_and_leaves_nothing()
    {
        var caseId = await CaseAsync();

        var response = await Documents.UploadAsync(Pk, caseId, Documents.Metadata(), Documents.Pdf(65_537));
        var problem = await response.ReadObjectAsync();
        var atLimit = await Documents.UploadAsync(Pk, caseId, Documents.Metadata(), Documents.Pdf(65_536));

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(413), problem.ToJsonString());
            Assert.That(problem["errors"]?["file"], Is.Not.Null);
            Assert.That((int)atLimit.StatusCode, Is.EqualTo(201), "the limit itself is accepted");
            Assert.That(await StoredAsync(caseId), Is.EqualTo((2, 1)), "only the upload at the limit was recorded");
        });
    }

    [Test]
    public async Task A_body_that_is_not_multipart_is_415_and_parts_out_of_order_are_400()
    {
        var caseId = await CaseAsync();
        var json = await Pk.PostAsync($"/api/v1/cases/{caseId}/documents", Cases.Json(Documents.Metadata()));
        var fileFirst = new MultipartFormDataContent();
        fileFirst.Add(new ByteArrayContent(Documents.Pdf()), "file", "a.pdf");
        fileFirst.Add(new StringContent(Documents.Metadata().ToJsonString()), "metadata");
        var outOfOrder = await Pk.PostAsync($"/api/v1/cases/{caseId}/documents", fileFirst);

        Assert.Multiple(async () =>
        {
            Assert.That((int)json.StatusCode, Is.EqualTo(415));
            Assert.That((int)outOfOrder.StatusCode, Is.EqualTo(400));
            Assert.That((await outOfOrder.ReadObjectAsync())["errors"]?["metadata"], Is.Not.Null);
        });
    }

    [TestCase("kind", "Memo", "kind")]
    [TestCase("title", "", "title")]
    [TestCase("language", "English", "language")]
    [TestCase("receivedOn", "2026-11-21", "receivedOn")]
    [TestCase("translationOf", "not-an-id", "translationOf")]
    [TestCase("assuranceKind", "DeathPenalty", "assuranceKind")]
    [TestCase("colour", "red", "colour")]
    public async Task Bad_metadata_is_400_naming_the_member_and_leaves_nothing(string member, string value, string named)
    {
        var caseId = await CaseAsync();
        var metadata = Documents.Metadata();
        metadata[member] = value;

        var response = await Documents.UploadAsync(Pk, caseId, metadata, Documents.Pdf());
        var problem = await response.ReadObjectAsync();

        Assert.Multiple(async () =>
        {
            Assert.That((int)response.StatusCode, Is.EqualTo(400), problem.ToJsonString());
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Does.Contain(named));
            Assert.That(await StoredAsync(caseId), Is.EqualTo((1, 0)));
        });
    }

    [Test]
    public async Task A_translation_names_a_document_of_this_case()
    {
        var caseId = await CaseAsync();
        var otherCase = await CaseAsync();
        var original = await Documents.AddAsync(Pk, caseId, Documents.Metadata("ForeignWarrant", "وارنٹ گرفتاری", "ur"));
        var elsewhere = await Documents.AddAsync(Pk, otherCase, Documents.Metadata("ForeignWarrant", "وارنٹ", "ur"));

        var translation = Documents.Metadata("Translation", "Arrest warrant (translation)");
        translation["translationOf"] = (string?)original["id"];
        var ok = await Documents.UploadAsync(Pk, caseId, translation, Documents.Pdf(seed: 2));
        translation["translationOf"] = (string?)elsewhere["id"];
        var foreign = await Documents.UploadAsync(Pk, caseId, translation, Documents.Pdf(seed: 3));
        var untied = await Documents.UploadAsync(Pk, caseId, Documents.Metadata("Translation", "Loose translation"), Documents.Pdf(seed: 4));

        Assert.Multiple(async () =>
        {
            Assert.That((int)ok.StatusCode, Is.EqualTo(201));
            Assert.That((string?)(await ok.ReadObjectAsync())["translationOf"], Is.EqualTo((string?)original["id"]));
            Assert.That((int)foreign.StatusCode, Is.EqualTo(400));
            Assert.That((await foreign.ReadObjectAsync())["errors"]?["translationOf"], Is.Not.Null);
            Assert.That((int)untied.StatusCode, Is.EqualTo(400));
        });
    }

    [Test]
    public async Task A_correction_supersedes_the_old_document_which_stays_downloadable()
    {
        var caseId = await CaseAsync();
        var first = Documents.Pdf(seed: 1);
        var old = await Documents.AddAsync(Pk, caseId, Documents.Metadata(), first);
        var correction = Documents.Metadata(title: "Request for extradition (corrected)");
        correction["supersedes"] = (string?)old["id"];

        var corrected = await Documents.AddAsync(Pk, caseId, correction, Documents.Pdf(seed: 9));
        var oldNow = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/documents/{old["id"]}");
        var oldBytes = await Gb.GetByteArrayAsync($"/api/v1/cases/{caseId}/documents/{old["id"]}/content");
        var again = await Documents.UploadAsync(Gb, caseId, correction, Documents.Pdf(seed: 10));
        var list = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/documents");

        Assert.Multiple(() =>
        {
            Assert.That((string?)corrected["supersedes"], Is.EqualTo((string?)old["id"]));
            Assert.That((string?)oldNow!["supersededBy"], Is.EqualTo((string?)corrected["id"]));
            Assert.That(oldBytes, Is.EqualTo(first));
            Assert.That((int)again.StatusCode, Is.EqualTo(409), "a document is superseded once; correct the correction");
            Assert.That(list!["items"]!.AsArray().Select(d => (string?)d!["id"]), Is.EqualTo(new[] { (string?)old["id"], (string?)corrected["id"] }));
        });
    }

    [Test]
    public async Task A_document_of_another_case_or_of_a_case_the_caller_may_not_see_is_404()
    {
        var caseId = await CaseAsync();
        var otherCase = await CaseAsync();
        var document = await Documents.AddAsync(Pk, caseId, Documents.Metadata());
        var usCase = (string)(await Cases.FileAsync(_api.ClientFor(Tokens.Officer("US")), Cases.NewCase("US", "GB")))["id"]!;

        var wrongCase = await Pk.GetAsync($"/api/v1/cases/{otherCase}/documents/{document["id"]}");
        var wrongCaseContent = await Pk.GetAsync($"/api/v1/cases/{otherCase}/documents/{document["id"]}/content");
        var notParty = await _api.ClientFor(Tokens.Officer("US")).GetAsync($"/api/v1/cases/{caseId}/documents/{document["id"]}");
        var uploadToHidden = await Documents.UploadAsync(Pk, usCase, Documents.Metadata(), Documents.Pdf());
        var partner = await _api.ClientFor(Tokens.Partner("PK")).GetAsync($"/api/v1/cases/{caseId}/documents");
        var auditorUpload = await Documents.UploadAsync(_api.ClientFor(Tokens.Auditor()), caseId, Documents.Metadata(), Documents.Pdf());

        Assert.Multiple(() =>
        {
            Assert.That((int)wrongCase.StatusCode, Is.EqualTo(404));
            Assert.That((int)wrongCaseContent.StatusCode, Is.EqualTo(404));
            Assert.That((int)notParty.StatusCode, Is.EqualTo(404));
            Assert.That((int)uploadToHidden.StatusCode, Is.EqualTo(404));
            Assert.That((int)partner.StatusCode, Is.EqualTo(403));
            Assert.That((int)auditorUpload.StatusCode, Is.EqualTo(403));
        });
    }

    [Test]
    public async Task The_register_pages_in_the_order_recorded()
    {
        var caseId = await CaseAsync();
        var ids = new List<string?>();
        for (var i = 0; i < 3; i++) ids.Add((string?)(await Documents.AddAsync(Pk, caseId, Documents.Metadata(title: $"Part {i}"), Documents.Pdf(seed: i)))["id"]);

        var first = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/documents?limit=2");
        var second = await Gb.GetFromJsonAsync<JsonObject>($"/api/v1/cases/{caseId}/documents?limit=2&cursor={first!["nextCursor"]}");
        var bad = await Gb.GetAsync($"/api/v1/cases/{caseId}/documents?cursor=nonsense");

        Assert.Multiple(() =>
        {
            Assert.That(first["items"]!.AsArray().Concat(second!["items"]!.AsArray()).Select(d => (string?)d!["id"]), Is.EqualTo(ids));
            Assert.That(second["nextCursor"], Is.Null);
            Assert.That((int)bad.StatusCode, Is.EqualTo(400));
        });
    }
}
