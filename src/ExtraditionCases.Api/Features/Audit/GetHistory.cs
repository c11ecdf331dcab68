using System.Text;
using System.Text.Json.Nodes;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Features.Audit;
using ExtraditionCases.Application.Json;
using MediatR;

namespace ExtraditionCases.Api.Features.Audit;

internal static class GetHistoryEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/cases/{id:guid}/history", async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct) =>
            await NegotiateAsync(http.Request, await mediator.Send(new GetHistory.StoredQuery(Callers.Of(http), id), ct), ct))
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithTags("Audit")
        .WithName("GetHistory")
        .WithSummary("Read a case's hash-chained history")
        .WithDescription("Every event in order, with its hash chain. Accept: application/x-ndjson gives one event per line; Accept: text/csv a CSV with a header row (nested members as JSON text).")
        .Produces<GetHistory.View>()
        .AlsoAs("application/x-ndjson", "text/csv");

    /// <summary>JSON by default; one event per line for application/x-ndjson; a CSV with a header row for text/csv.</summary>
    private static async Task<IResult> NegotiateAsync(HttpRequest request, GetHistory.Stored stored, CancellationToken cancellationToken)
    {
        var accept = request.GetTypedHeaders().Accept;
        bool Wants(string mediaType) => accept.Any(a => a.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase));

        // JSON, the common case, is streamed from the stored rows (issue 20); the other forms are rare exports.
        if (!Wants("application/x-ndjson") && !Wants("text/csv")) return new StreamedHistory(stored);
        var history = await stored.ToViewAsync(cancellationToken);
        if (Wants("application/x-ndjson"))
        {
            var lines = new StringBuilder();
            foreach (var e in history.Events) lines.Append(e.ToJson().ToJsonString(CaseJson.Options)).Append('\n');
            return Results.Text(lines.ToString(), "application/x-ndjson", Encoding.UTF8);
        }

        return Results.Text(Csv(history), "text/csv", Encoding.UTF8);
    }

    /// <summary>
    /// The JSON history streamed from the database into a pooled buffer, then sent with its length: the same bytes as
    /// <c>Results.Json(view, CaseJson.Options)</c>. Nothing is written to the response until the statement is done, so a
    /// database fault half-way becomes a clean problem response, not a torn body (and a SQLite read never waits on a
    /// slow client while it holds the write-ahead log back from its checkpoint).
    /// </summary>
    private sealed class StreamedHistory(GetHistory.Stored stored) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using var buffer = new PooledBufferWriter();
            await using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, GetHistory.Stored.WriterOptions))
                await stored.WriteTo(writer, httpContext.RequestAborted);

            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = buffer.WrittenMemory.Length;
            await response.Body.WriteAsync(buffer.WrittenMemory, httpContext.RequestAborted);
        }
    }

    private static readonly string[] CsvColumns =
        ["sequence", "type", "trigger", "fromState", "toState", "occurredAt", "recordedAt", "actor", "source", "note", "data", "prevHash", "hash"];

    /// <summary>RFC 4180 with the formula guard (<see cref="Http.Csv"/>); nested members as JSON text.</summary>
    private static string Csv(GetHistory.View history) =>
        Http.Csv.Table(CsvColumns, history.Events.Select(e =>
        {
            var json = e.ToJson();
            return CsvColumns.Select(c => json[c] switch
            {
                null => "",
                JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => v.GetValue<string>(),
                var other => other.ToJsonString(CaseJson.Options),
            });
        }));
}
