using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace ExtraditionCases.Api.OpenApi;

/// <summary>
/// Adds to each endpoint's API description the responses its metadata does not declare: the
/// problem responses its shape and its <see cref="EndpointContracts"/> entry imply, 304 where it
/// honours If-None-Match, and the success body of handlers that return <c>IResult</c>. The OpenAPI
/// generator then builds their schemas (ProblemDetails, HttpValidationProblemDetails, ...) as components.
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
            var contract = Shape.ContractOf(description);
            var responses = description.SupportedResponseTypes;

            if (contract?.Returns is { } returns)
            {
                var success = responses.FirstOrDefault(r => r.StatusCode is >= 200 and < 300);
                if (success is not null) responses.Remove(success);
                responses.Add(Response(success?.StatusCode ?? StatusCodes.Status200OK, returns, contract.ReturnsMediaTypes));
            }

            if (contract?.IfNoneMatch == true && responses.All(r => r.StatusCode != StatusCodes.Status304NotModified))
                responses.Add(new ApiResponseType { StatusCode = StatusCodes.Status304NotModified, Type = typeof(void) });

            foreach (var status in Shape.Refusals(description, contract).Where(s => responses.All(r => r.StatusCode != s)))
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
    public static string? NameOf(ApiDescription description) =>
        description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName;

    public static EndpointContract? ContractOf(ApiDescription description) =>
        NameOf(description) is { } name && EndpointContracts.ByName.TryGetValue(name, out var contract) ? contract : null;

    public static bool RequiresAuthorization(ApiDescription description)
    {
        var metadata = description.ActionDescriptor.EndpointMetadata;
        return metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
    }

    public static bool HasBody(ApiDescription description) =>
        description.SupportedRequestFormats.Count > 0
        || description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form);

    /// <summary>
    /// The contract's refusals for this endpoint. Derived: 401, 403 and 429 for every authorized
    /// endpoint; 400 for any body, query parameter or path parameter other than the case id (a
    /// malformed id does not match the route); 404 for a case id; 413 and 415 for a body; 428 and 412
    /// for If-Match. From the table: 409 and 422.
    /// </summary>
    public static IEnumerable<int> Refusals(ApiDescription description, EndpointContract? contract)
    {
        var statuses = new SortedSet<int>();
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

        if (contract?.IfMatch == true)
        {
            statuses.Add(StatusCodes.Status412PreconditionFailed);
            statuses.Add(StatusCodes.Status428PreconditionRequired);
        }

        foreach (var status in contract?.Refusals ?? []) statuses.Add(status);
        return statuses;
    }
}
