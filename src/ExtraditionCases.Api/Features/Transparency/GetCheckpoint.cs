using System.ComponentModel.DataAnnotations;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Application.Transparency;
using System.Text;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Features.Transparency;
using MediatR;

namespace ExtraditionCases.Api.Features.Transparency;

internal static class GetCheckpointEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/transparency/checkpoint", async (HttpContext http, IMediator mediator, CancellationToken ct, string? tree) =>
        {
            var query = new QueryValues();
            query.Tree("tree", tree);
            query.ThrowIfInvalid();
            var view = await mediator.Send(new GetCheckpoint.Query(Callers.Of(http), tree), ct);
            // A witness or a tlog client reads the signed note itself.
            return http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase))
                ? Results.Text(view.Note, "text/plain", Encoding.UTF8)
                : Results.Json(view, Application.Json.CaseJson.Options);
        })
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Transparency")
        .WithName("GetCheckpoint")
        .Documents(Parameter.Tree("The tree: all (auditors' default), access, or a country's code (officers' and partners' default: their own)."))
        .WithSummary("The latest signed checkpoint of the caller's tree")
        .WithDescription("Officers and partners read their own country's tree, auditors the global one (tree=all, default) or any country's or the access log's (tree=access). The note is a C2SP signed note (tlog-checkpoint body, Ed25519) followed by the witnesses' cosignature lines; Accept: text/plain gives the note alone.")
        .Produces<GetCheckpoint.View>()
        .AlsoAs("text/plain")
        .ProducesProblem(StatusCodes.Status404NotFound);
}

internal static class GetTransparencyKeyEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/transparency/key", async (IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new GetTransparencyKey.Query(), ct)))
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Transparency")
        .WithName("GetTransparencyKey")
        .WithSummary("The public key that signs checkpoints")
        .WithDescription("Key name, key id (C2SP signed-note: SHA-256 of name, newline, 0x01 and the key), the Ed25519 public key, the verifier key text, the origin prefix, and the witnesses whose cosignatures are accepted.")
        .Produces<GetTransparencyKey.View>()
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}

internal static class GetInclusionProofEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/transparency/proof/inclusion", async (HttpContext http, IMediator mediator, CancellationToken ct,
            string? tree, string? caseId, string? sequence, string? leafIndex, string? treeSize) =>
        {
            var query = new QueryValues();
            query.Tree("tree", tree);
            var id = query.CaseId("caseId", caseId);
            var seq = query.Count("sequence", sequence);
            var index = query.Count("leafIndex", leafIndex, min: 0);
            var size = query.Count("treeSize", treeSize);
            if (id is null && index is null) query.Require("caseId", "Give caseId and sequence, or leafIndex.");
            if (id is not null && seq is null) query.Require("sequence", "Required with caseId.");
            query.ThrowIfInvalid();
            return TypedResults.Ok(await mediator.Send(new GetInclusionProof.Query(Callers.Of(http), tree, id, (int?)seq, index, size), ct));
        })
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Transparency")
        .WithName("GetInclusionProof")
        .Documents(
            Parameter.Tree("The tree: the caller's own by default."),
            Parameter.CaseId("caseId", "The case whose event is proved (with sequence)."),
            Parameter.Count("sequence", 1, "The event's sequence in its case (with caseId)."),
            Parameter.Count("leafIndex", 0, "The leaf proved, instead of caseId and sequence."),
            Parameter.Count("treeSize", 1, "The size of the published checkpoint proved against; the latest when absent."))
        .WithSummary("An RFC 9162 inclusion proof")
        .WithDescription("Of a case's event (caseId and sequence; 404 for a case the caller may not see) or of a leaf (leafIndex), in the caller's tree, against the checkpoint of treeSize (default: the latest).")
        .Produces<GetInclusionProof.View>()
        .ProducesProblem(StatusCodes.Status404NotFound);
}

internal static class GetConsistencyProofEndpoint
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/transparency/proof/consistency", async (HttpContext http, IMediator mediator, CancellationToken ct,
            string? tree, string? from, string? to) =>
        {
            var query = new QueryValues();
            query.Tree("tree", tree);
            var first = query.Count("from", from, min: 0);
            var second = query.Count("to", to);
            if (first is null) query.Require("from", "Required.");
            query.ThrowIfInvalid();
            return TypedResults.Ok(await mediator.Send(new GetConsistencyProof.Query(Callers.Of(http), tree, first!.Value, second), ct));
        })
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Transparency")
        .WithName("GetConsistencyProof")
        .Documents(
            Parameter.Tree("The tree: the caller's own by default."),
            Parameter.Count("from", 0, "The earlier tree size."),
            Parameter.Count("to", 1, "The later size, a published checkpoint's; the latest when absent."))
        .WithSummary("An RFC 9162 consistency proof")
        .WithDescription("That the caller's tree at size to (a published checkpoint; default the latest) extends the tree at size from.")
        .Produces<GetConsistencyProof.View>()
        .ProducesProblem(StatusCodes.Status404NotFound);
}

internal static class AddCosignatureEndpoint
{
    /// <summary>A witness's cosignature line of one checkpoint.</summary>
    public sealed record Body(
        [property: MaxLength(Trees.MaxNameLength), RegularExpression(Trees.NamePattern)] string? Tree,
        [property: Range(1, QueryValues.MaxCount)] long? TreeSize,
        [property: MaxLength(MaxCosignatureLength), Form(TextForm.Text)] string? Cosignature);

    public const int MaxCosignatureLength = 1000;

    public static void Map(RouteGroupBuilder api) => api.MapPost("/transparency/cosignatures", async (HttpContext http, IMediator mediator, TimeProvider clock, CancellationToken ct) =>
        {
            var body = await JsonBody.ReadAsync<Body>(http.Request, ct);
            var query = new QueryValues();
            if (body.TreeSize is not > 0) query.Require("treeSize", "Required: the size of the checkpoint cosigned.");
            if (string.IsNullOrWhiteSpace(body.Cosignature) || body.Cosignature.Length > MaxCosignatureLength) query.Require("cosignature", $"Required: one cosignature line (at most {MaxCosignatureLength} characters).");
            query.ThrowIfInvalid();
            return TypedResults.Ok(await mediator.Send(new AddCosignature.Command(Callers.Of(http), body.Tree, body.TreeSize!.Value, body.Cosignature!, clock.GetUtcNow()), ct));
        })
        .RequireAuthorization(Policies.AnyRole)
        .WithTags("Transparency")
        .WithName("AddCosignature")
        .WithSummary("Submit a witness's cosignature")
        .WithDescription("A C2SP tlog-cosignature/v1 line over a published checkpoint of the caller's tree, by a witness key configured in Transparency:Witnesses; 400 when it does not verify.")
        .Accepts<Body>("application/json")
        .Produces<AddCosignature.Accepted>()
        .ProducesProblem(StatusCodes.Status404NotFound);
}
