// The README's flow through the client Kiota generates from docs/openapi.json, against a running service:
// file a case, read it with its ETag, Submit with If-Match (and a stale If-Match refused with 412 as a
// typed problem), Certify with the data only Certify takes, poll the status (200 with ETag, then 304),
// read the change feed with a typed limit, read the history. Any mismatch is a description bug.
// Usage: dotnet KiotaClient.dll BASE_URL   with KIOTA_FLOW_PK, KIOTA_FLOW_GB, KIOTA_FLOW_PARTNER, KIOTA_FLOW_AUDITOR
// (bearer tokens: officers of PK and GB, a PK partner, an auditor). Prints one line per step; exit 0 when all hold.
using ExtraditionCases.Client;
using ExtraditionCases.Client.Models;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Microsoft.Kiota.Http.HttpClientLibrary.Middleware.Options;

var baseUrl = args.Length == 1 ? args[0] : throw new ArgumentException("usage: KiotaClient BASE_URL");
string Token(string name) => Environment.GetEnvironmentVariable(name) ?? throw new ArgumentException($"{name} is not set");
try
{
    var officer = Client(baseUrl, Token("KIOTA_FLOW_PK"));
    var requested = Client(baseUrl, Token("KIOTA_FLOW_GB"));
    var partner = Client(baseUrl, Token("KIOTA_FLOW_PARTNER"));
    var auditor = Client(baseUrl, Token("KIOTA_FLOW_AUDITOR"));

    // 1. File the README's case (typed enums, dates and lists), with an idempotency key.
    var headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
    var filed = await officer.Api.V1.Cases.PostAsync(new CaseFileInput
    {
        RequestingState = "PK",
        RequestedState = "GB",
        Basis = LegalBasis.SpecialArrangement,
        Category = CaseCategory.Accusation,
        ReceivedAt = DateTimeOffset.Parse("2026-08-01T09:30:00Z", System.Globalization.CultureInfo.InvariantCulture),
        Person = new PersonInput { FullName = "محسن علی", Aliases = ["Mohsin Ali"], DateOfBirth = new Date(1980, 2, 29), Nationality = "PK" },
        Offences =
        [
            new OffenceInput
            {
                Description = "Money laundering", Statute = "Anti-Money Laundering Act 2010 s.3", Category = OffenceCategory.MoneyLaundering,
                MaxPenaltyMonths = 120, DeathPenalty = false,
            },
        ],
        Warrant = new WarrantInput { Reference = "ATC-ISB-2026-17", IssuedBy = "Anti-Terrorism Court Islamabad", IssuedOn = new Date(2026, 1, 15) },
    }, c =>
    {
        c.Headers.Add("Idempotency-Key", $"kiota-{Guid.NewGuid():N}");
        c.Options.Add(headers);
    });
    var id = filed?.Id ?? throw new InvalidOperationException("filing answered no id");
    Check(filed.State == CaseState.Draft, $"filed in Draft, was {filed.State}");
    Check(Header(headers, "ETag") == "\"1\"", $"filing's ETag is \"1\", was {Header(headers, "ETag")}");
    Check(Header(headers, "Location")?.EndsWith($"/api/v1/cases/{id}", StringComparison.Ordinal) == true, $"Location names the case: {Header(headers, "Location")}");
    Console.WriteLine($"filed {id} {filed.Reference} {filed.State}");

    // 2. Read it back with its ETag.
    headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
    var read = await officer.Api.V1.Cases[id].GetAsync(c => c.Options.Add(headers));
    var etag = Header(headers, "ETag") ?? throw new InvalidOperationException("no ETag on the case");
    Check(read?.Person?.FullName == "محسن علی" && read.Basis == LegalBasis.SpecialArrangement && read.Person.DateOfBirth?.ToString() == "1980-02-29",
        "the case reads back as filed");
    Check(read!.AllowedActions?.Contains(WorkflowTrigger.Submit) == true, "Submit is allowed in Draft");
    Console.WriteLine($"read {read.State} etag {etag}");

    // 3. Submit with If-Match; then the same stale If-Match is a 412 problem the client maps to its type.
    var submitted = await officer.Api.V1.Cases[id].Transitions.PostAsync(
        new TransitionInput { SubmitTransition = new SubmitTransition { Trigger = SubmitTransition_trigger.Submit, Note = "Case file complete; sent for certification." } },
        c => c.Headers.Add("If-Match", etag));
    Check(submitted?.State == CaseState.UnderReview && submitted.Version == 2, $"Submit moved it to UnderReview v2, was {submitted?.State} v{submitted?.Version}");
    Console.WriteLine($"submitted {submitted!.State} allowed {string.Join(',', submitted.AllowedActions ?? [])}");
    try
    {
        await officer.Api.V1.Cases[id].Transitions.PostAsync(
            new TransitionInput { SubmitTransition = new SubmitTransition { Trigger = SubmitTransition_trigger.Submit } },
            c => c.Headers.Add("If-Match", etag));
        throw new InvalidOperationException("a stale If-Match was accepted");
    }
    catch (ProblemDetails problem)
    {
        Check(problem.ResponseStatusCode == 412 && problem.Status == 412, $"stale If-Match: 412, was {problem.ResponseStatusCode}");
        Console.WriteLine($"stale If-Match refused {problem.ResponseStatusCode} {problem.Title}");
    }

    // 4. The requested state certifies: Certify's data is its own type.
    var certified = await requested.Api.V1.Cases[id].Transitions.PostAsync(
        new TransitionInput
        {
            CertifyTransition = new CertifyTransition
            {
                Trigger = CertifyTransition_trigger.Certify,
                Note = "Certified under s.70.",
                Data = new CertifyData { CertificateReference = "S70-2026-0001" },
            },
        },
        c => c.Headers.Add("If-Match", "\"2\""));
    Check(certified?.State == CaseState.Lodged, $"Certify moved it to Lodged, was {certified?.State}");
    Console.WriteLine($"certified {certified!.State}");

    // 5. A partner polls the status: 200 with the ETag, then 304 with If-None-Match.
    headers = new HeadersInspectionHandlerOption { InspectResponseHeaders = true };
    var status = await partner.Api.V1.Cases[id].Status.GetAsync(c => c.Options.Add(headers));
    var statusTag = Header(headers, "ETag");
    Check(status?.State == CaseState.Lodged && status.Version == 3 && statusTag == "\"3\"", $"status Lodged v3 \"3\", was {status?.State} v{status?.Version} {statusTag}");
    // The generated GetAsync answers null for a 304; the native response says which status it was.
    var native = new NativeResponseHandler();
    var again = await partner.Api.V1.Cases[id].Status.GetAsync(c =>
    {
        c.Headers.Add("If-None-Match", statusTag!);
        c.Options.Add(new ResponseHandlerOption { ResponseHandler = native });
    });
    using var response = native.Value as HttpResponseMessage ?? throw new InvalidOperationException("no native response");
    var notModified = (int)response.StatusCode;
    Check(again is null && notModified == 304 && (await response.Content.ReadAsByteArrayAsync()).Length == 0, $"304 with no body, was {notModified}");
    Console.WriteLine($"status {status!.State} etag {statusTag}, again with If-None-Match: {notModified}");

    // 6. The change feed, with limit as a number.
    var feed = await partner.Api.V1.Changes.GetAsync(c => c.QueryParameters.Limit = 1000);
    var mine = feed?.Items?.Where(i => i.CaseId == id).ToList() ?? [];
    Check(mine.Count == 3 && !string.IsNullOrEmpty(feed!.NextCursor), $"three feed items for the case and a cursor, were {mine.Count}");
    Console.WriteLine($"feed {string.Join(',', mine.Select(i => $"{i.Type}@{i.Version}"))} next {feed!.NextCursor}");

    // 7. The auditor reads the history: every event, chained by hash; event types are an open set (strings).
    var history = await auditor.Api.V1.Cases[id].History.GetAsync();
    var events = history?.Events ?? [];
    Check(events.Count == 3 && events[0].Type == "CaseFiled" && events[1].Trigger == WorkflowTrigger.Submit && events[2].Trigger == WorkflowTrigger.Certify,
        $"history CaseFiled, Submit, Certify; was {string.Join(',', events.Select(e => $"{e.Type}/{e.Trigger}"))}");
    Check(events.All(e => e.Hash?.Length == 64) && history!.Head == events[^1].Hash, "each event hashed, the head is the last hash");
    Console.WriteLine($"history {string.Join(',', events.Select(e => e.Trigger?.ToString() ?? e.Type))} head {history!.Head}");
    Console.WriteLine("kiota: the README flow ran");
    return 0;
}
catch (ProblemDetails problem)
{
    // A problem the flow did not expect: say what the service said.
    var extra = new List<string>();
    foreach (var (name, value) in problem.AdditionalData)
        extra.Add($"{name}={(value is IParsable parsable ? await KiotaJsonSerializer.SerializeAsStringAsync(parsable) : value)}");
    Console.Error.WriteLine($"{problem.ResponseStatusCode} {problem.Title}: {problem.Detail} {string.Join("; ", extra)}");
    return 1;
}

static ExtraditionCasesClient Client(string baseUrl, string token)
{
    var authentication = new BaseBearerTokenAuthenticationProvider(new StaticToken(token, new Uri(baseUrl).Host));
    return new ExtraditionCasesClient(new HttpClientRequestAdapter(authentication) { BaseUrl = baseUrl });
}

static string? Header(HeadersInspectionHandlerOption option, string name) =>
    option.ResponseHeaders.TryGetValue(name, out var values) ? values.FirstOrDefault() : null;

static void Check(bool condition, string what)
{
    if (!condition) throw new InvalidOperationException($"not as described: {what}");
}

/// <summary>One bearer token, sent only to the service's host.</summary>
internal sealed class StaticToken(string token, string host) : IAccessTokenProvider
{
    public AllowedHostsValidator AllowedHostsValidator { get; } = new([host]);

    public Task<string> GetAuthorizationTokenAsync(Uri uri, Dictionary<string, object>? additionalAuthenticationContext = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(AllowedHostsValidator.IsUrlHostValid(uri) ? token : string.Empty);
}
