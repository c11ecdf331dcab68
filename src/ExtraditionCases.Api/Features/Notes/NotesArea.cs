using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.Features.Notes;
using MediatR;

namespace ExtraditionCases.Api.Features.Notes;

internal static class NotesArea
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var notes = app.MapGroup("/api/v1/cases/{id:guid}/notes").WithTags("Notes");
        RecordNoteEndpoint.Map(notes);
        ListNotesEndpoint.Map(notes);
    }
}

internal static class RecordNoteEndpoint
{
    public static void Map(RouteGroupBuilder notes) => notes.MapPost("/",
            async (Guid id, HttpContext http, ICaseStore store, IMediator mediator, CancellationToken ct) =>
        {
            var caller = Callers.Of(http);
            var target = await CaseWrites.LoadAsync(store, caller, id, ct);
            var body = await JsonBody.ReadAsync<NoteInput>(http.Request, ct);
            var view = await mediator.Send(new RecordNote.Command(caller, Callers.Source(http), target, body), ct);
            return TypedResults.Created($"/api/v1/cases/{id}/notes?cursor={ListNotes.Cursor.Write(view.Sequence - 1)}", view);
        })
        .RequireAuthorization(Policies.Officer)
        .WithName("RecordNote")
        .WithSummary("Record a note or correspondence")
        .WithDescription("kind (Note, DiplomaticNote, Letter, Email, Call), direction (In or Out; required for correspondence), counterpart, occurredAt (not in the future; default now), text (up to 8,000 characters), relatedDocuments (ids of this case's documents), private. Recorded as a NoteRecorded event in the hash chain (a private note: a salted commitment only). Appended, never edited: no If-Match. Officers of either party state.")
        .Accepts<NoteInput>("application/json")
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
}

internal static class ListNotesEndpoint
{
    public static void Map(RouteGroupBuilder notes) => notes.MapGet("/",
            async (Guid id, HttpContext http, IMediator mediator, CancellationToken ct, string? limit, string? cursor) =>
        {
            var query = new QueryValues();
            var request = new ListNotes.Query(Callers.Of(http), id,
                query.Limit("limit", limit, ListNotes.MaxLimit, ListNotes.DefaultLimit), query.Cursor("cursor", cursor, ListNotes.Cursor));
            query.ThrowIfInvalid();
            return TypedResults.Ok(await mediator.Send(request, ct));
        })
        .RequireAuthorization(Policies.OfficerOrAuditor)
        .WithName("ListNotes")
        .Documents(Parameter.Limit(ListNotes.MaxLimit, ListNotes.DefaultLimit))
        .WithSummary("List the case's notes and correspondence")
        .WithDescription("In the order recorded (they are also NoteRecorded events of the history). Private notes of the caller's own state only.");
}
