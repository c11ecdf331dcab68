using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ExtraditionCases.Api.OpenApi;

/// <summary>
/// Adds to each endpoint's API description the responses every endpoint of its shape has without
/// declaring them (the contract's global refusals) and 304 where it honours If-None-Match. The
/// OpenAPI generator then builds their schemas (ProblemDetails, HttpValidationProblemDetails, ...) as components.
/// </summary>
internal sealed class ContractResponseTypes : IApiDescriptionProvider
{
    public const string ProblemJson = "application/problem+json";

    /// <summary>After the minimal-API provider (-1100) has described the endpoints.</summary>
    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var description in context.Results)
        {
            var responses = description.SupportedResponseTypes;

            if (Shape.Has<HttpContract.IfNoneMatchHonoured>(description) && responses.All(r => r.StatusCode != StatusCodes.Status304NotModified))
                responses.Add(new ApiResponseType { StatusCode = StatusCodes.Status304NotModified, Type = typeof(void) });

            foreach (var status in Shape.Refusals(description).Where(s => responses.All(r => r.StatusCode != s)))
            {
                var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
                responses.Add(Response(status, type, [ProblemJson]));
            }

            var ordered = responses.OrderBy(r => r.StatusCode).ToList();
            responses.Clear();
            foreach (var response in ordered) responses.Add(response);
        }
    }

    private static ApiResponseType Response(int status, Type type, IEnumerable<string> mediaTypes)
    {
        var response = new ApiResponseType { StatusCode = status, Type = type };
        foreach (var mediaType in mediaTypes) response.ApiResponseFormats.Add(new ApiResponseFormat { MediaType = mediaType });
        return response;
    }
}

/// <summary>What an endpoint's metadata says about it, shared by the description provider and the transformers.</summary>
internal static class Shape
{
    /// <summary>Whether the endpoint declared this part of its contract (see <see cref="HttpContract"/>).</summary>
    public static bool Has<TMetadata>(ApiDescription description) => description.ActionDescriptor.EndpointMetadata.OfType<TMetadata>().Any();

    public static bool RequiresAuthorization(ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        return metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
    }

    public static bool HasBody(ApiDescription description) =>
        description.SupportedRequestFormats.Count > 0
        || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form);

    /// <summary>
    /// The contract's refusals that follow from an endpoint's shape: 500 for every endpoint; 401, 403 and 429 for every
    /// authorized endpoint; 400 for any body, query parameter or path parameter other than the case id
    /// (a malformed id does not match the route); 404 for a case id; 413 and 415 for a body; 428 and
    /// 412 for If-Match. Refusals particular to a use case (409, 422) it declares itself with ProducesProblem.
    /// </summary>
    public static IEnumerable<int> Refusals(ApiDescription description)
    {
        // Any operation may fail inside the service: a problem with only a traceId.
        var statuses = new SortedSet<int> { StatusCodes.Status500InternalServerError };
        var hasBody = HasBody(description);
        if (RequiresAuthorization(description))
        {
            statuses.Add(StatusCodes.Status401Unauthorized);
            statuses.Add(StatusCodes.Status403Forbidden);
            statuses.Add(StatusCodes.Status429TooManyRequests);
        }

        if (hasBody || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query || (p.Source == BindingSource.Path && p.Name != "id")))
            statuses.Add(StatusCodes.Status400BadRequest);
        if (description.ParameterDescriptions.Any(p => p.Source == BindingSource.Path && p.Name == "id"))
            statuses.Add(StatusCodes.Status404NotFound);
        if (hasBody)
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
            statuses.Add(StatusCodes.Status415UnsupportedMediaType);
        }

        if (Has<HttpContract.IfMatchRequired>(description))
        {
            statuses.Add(StatusCodes.Status412PreconditionFailed);
            statuses.Add(StatusCodes.Status428PreconditionRequired);
        }

        return statuses;
    }
}
