using ExtraditionCases.Api.Http;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ExtraditionCases.Api.Features.Cases;

/// <summary>What the writes to cases share at the edge.</summary>
internal static class CaseResponses
{
    /// <summary>Every write answers with the case's ETag, and says when the answer is the replay of an earlier one.</summary>
    public static void WriteHeaders(HttpContext http, CaseView view)
    {
        http.Response.Headers.ETag = Preconditions.ETagOf(view.Version);
        if (view.Replayed) http.Response.Headers[IdempotencyKeys.ReplayedHeader] = "true";
    }

    /// <summary>
    /// An idempotent write to an existing case: the case is loaded once and before the body is read
    /// (404 comes before 413, 415 and 400 in the contract's order), then the body and its key, then one
    /// mediator call with the loaded case and the If-Match version.
    /// </summary>
    public static async Task<Ok<CaseView>> WriteAsync<TBody>(
        HttpContext http, ICaseStore store, IMediator mediator, Guid id,
        Func<Caller, RequestSource, CaseToWrite, ExpectedVersion?, TBody, Idempotency?, IRequest<CaseView>> command, CancellationToken ct)
    {
        var caller = Callers.Of(http);
        var target = await CaseWrites.LoadAsync(store, caller, id, ct);
        var (body, idempotency) = await JsonBody.ReadIdempotentAsync<TBody>(http.Request, ct);
        var view = await mediator.Send(command(caller, Callers.Source(http), target, Preconditions.IfMatch(http.Request), body, idempotency), ct);
        WriteHeaders(http, view);
        return TypedResults.Ok(view);
    }
}
