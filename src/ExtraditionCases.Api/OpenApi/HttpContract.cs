namespace ExtraditionCases.Api.OpenApi;

/// <summary>
/// What an endpoint declares about its headers, beside its summary, description, success body
/// (<c>Produces</c>) and particular refusals (<c>ProducesProblem</c>): the OpenAPI document reads it
/// from the endpoint's metadata. Everything else (path, method, parameters, request body, roles,
/// 400/401/403/404/413/415/429) is derived from the endpoint's shape by <see cref="ContractResponseTypes"/>.
/// </summary>
public static class HttpContract
{
    /// <summary>Requires If-Match with the current ETag: 428 without it, 412 when stale.</summary>
    public static TBuilder RequiresIfMatch<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IfMatchRequired());

    /// <summary>Honours If-None-Match: 304 when it names the current ETag.</summary>
    public static TBuilder HonoursIfNoneMatch<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IfNoneMatchHonoured());

    /// <summary>Accepts Idempotency-Key: a retry gets the first response with Idempotent-Replayed: true.</summary>
    public static TBuilder AcceptsIdempotencyKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotencyKeyAccepted());

    /// <summary>The success response carries the case's ETag.</summary>
    public static TBuilder ReturnsETag<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ETagReturned());

    /// <summary>Other representations of the success body, as text.</summary>
    public static TBuilder AlsoAs<TBuilder>(this TBuilder builder, params string[] mediaTypes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AlsoAsText(mediaTypes));

    /// <summary>How the query (and path) parameters it reads are typed and described (see <see cref="Parameter"/>).</summary>
    public static TBuilder Documents<TBuilder>(this TBuilder builder, params Parameter[] parameters) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new DocumentedParameters(parameters));

    /// <summary>A request body that succeeds, as JSON: the reference page's "try it" starts from it, and a test sends it.</summary>
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, string json) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestExample(json));

    internal sealed record DocumentedParameters(IReadOnlyList<Parameter> Parameters);

    internal sealed record RequestExample(string Json);

    internal sealed record IfMatchRequired;

    internal sealed record IfNoneMatchHonoured;

    internal sealed record IdempotencyKeyAccepted;

    internal sealed record ETagReturned;

    internal sealed record AlsoAsText(IReadOnlyList<string> MediaTypes);
}
