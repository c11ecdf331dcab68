using ExtraditionCases.Api.Features.Audit;
using ExtraditionCases.Api.Features.Cases;
using ExtraditionCases.Api.Features.Deadlines;
using ExtraditionCases.Api.Features.Partners;
using ExtraditionCases.Api.Features.Webhooks;
using ExtraditionCases.Api.Features.Reports;
using ExtraditionCases.Api.Features.Transparency;
using ExtraditionCases.Api.Features.Workflow;

namespace ExtraditionCases.Api.Features;

/// <summary>
/// Every use case's endpoint, one file per use case under Features/&lt;Area&gt;/, mirroring
/// Application/Features/&lt;Area&gt;/&lt;UseCase&gt;/. Each endpoint declares its own OpenAPI description.
/// </summary>
public static class FeatureEndpoints
{
    public static void MapFeatures(this IEndpointRouteBuilder app)
    {
        CasesArea.Map(app);
        Documents.DocumentsArea.Map(app);
        Notes.NotesArea.Map(app);
        Links.LinksArea.Map(app);

        var api = app.MapGroup("/api/v1");
        DescribeWorkflowEndpoint.Map(api);
        WorkflowDiagramEndpoint.Map(api);
        ListDeadlinesEndpoint.Map(api);
        Search.SearchCasesEndpoint.Map(api);
        GetCaseStatusEndpoint.Map(api);
        GetChangesEndpoint.Map(api);
        GetHistoryEndpoint.Map(api);
        VerifyHistoryEndpoint.Map(api);
        ListAuditEventsEndpoint.Map(api);
        ListAccessEndpoint.Map(api);
        WebhooksArea.Map(api);
        ReportsArea.Map(app, api);
        AuditVerifyEndpoint.Map(api);
        GetCheckpointEndpoint.Map(api);
        GetTransparencyKeyEndpoint.Map(api);
        GetInclusionProofEndpoint.Map(api);
        GetConsistencyProofEndpoint.Map(api);
        AddCosignatureEndpoint.Map(api);
    }
}
