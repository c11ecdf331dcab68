namespace ExtraditionCases.Api.Http;

/// <summary>Details for the problems ASP.NET Core writes itself (authentication, authorization, routing).</summary>
public static class FrameworkProblems
{
    public static string? Detail(int? status) => status switch
    {
        StatusCodes.Status401Unauthorized => "A valid bearer token is required: signed by a trusted key, for this audience, unexpired, with a sub claim.",
        StatusCodes.Status403Forbidden => "Your role may not use this endpoint (a token carries exactly one role claim).",
        StatusCodes.Status404NotFound => "No such resource.",
        StatusCodes.Status405MethodNotAllowed => "This endpoint does not accept this method.",
        _ => null,
    };
}
