namespace ExtraditionCases.Api.Features.Cases;

internal static class CasesArea
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases").WithTags("Cases");
        FileCaseEndpoint.Map(cases);
        GetCaseEndpoint.Map(cases);
        ListCasesEndpoint.Map(cases);
        PatchCaseEndpoint.Map(cases);
        RecordTransitionEndpoint.Map(cases);
        ExtendDeadlineEndpoint.Map(cases);
        ErasePrivateEndpoint.Map(cases);
        AssignOfficerEndpoint.Map(cases);
    }
}
