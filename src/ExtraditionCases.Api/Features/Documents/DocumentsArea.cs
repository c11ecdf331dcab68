namespace ExtraditionCases.Api.Features.Documents;

internal static class DocumentsArea
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var documents = app.MapGroup("/api/v1/cases/{id:guid}/documents").WithTags("Documents");
        UploadDocumentEndpoint.Map(documents);
        ListDocumentsEndpoint.Map(documents);
        GetDocumentEndpoint.Map(documents);
        DownloadDocumentEndpoint.Map(documents);
        GetChecklistEndpoint.Map(app.MapGroup("/api/v1"));
    }
}
