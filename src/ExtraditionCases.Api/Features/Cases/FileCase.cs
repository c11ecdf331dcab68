using ExtraditionCases.Api.Auth;
using ExtraditionCases.Api.Http;
using ExtraditionCases.Api.OpenApi;
using ExtraditionCases.Application.Features.Cases;
using MediatR;

namespace ExtraditionCases.Api.Features.Cases;

internal static class FileCaseEndpoint
{
    /// <summary>The README's case: complete, so it can be submitted straight away.</summary>
    public const string ReadmeCase = """
        {"requestingState":"PK","requestedState":"GB","basis":"SpecialArrangement","category":"Accusation",
         "receivedAt":"2026-08-01T09:30:00Z",
         "person":{"fullName":"محسن علی","aliases":["Mohsin Ali"],"dateOfBirth":"1980-02-29","nationality":"PK"},
         "offences":[{"description":"Money laundering","statute":"Anti-Money Laundering Act 2010 s.3",
                      "category":"MoneyLaundering","maxPenaltyMonths":120,"deathPenalty":false}],
         "warrant":{"reference":"ATC-ISB-2026-17","issuedBy":"Anti-Terrorism Court Islamabad","issuedOn":"2026-01-15"}}
        """;

    public static void Map(RouteGroupBuilder cases) => cases.MapPost("/", async (HttpContext http, IMediator mediator, CancellationToken ct) =>
        {
            var (body, idempotency) = await JsonBody.ReadIdempotentAsync<CaseFileInput>(http.Request, ct);
            var view = await mediator.Send(new FileCase.Command(Callers.Of(http), Callers.Source(http), body, idempotency), ct);
            CaseResponses.WriteHeaders(http, view);
            return TypedResults.Created($"/api/v1/cases/{view.Id}", view);
        })
        .RequireAuthorization(Policies.Officer)
        .WithName("FileCase")
        .WithSummary("File a case")
        .WithDescription("Files a new case in state Draft. The caller must be an officer of one of its two states. A draft may be incomplete: completeness is checked on Submit.")
        .Accepts<CaseFileInput>("application/json")
        .WithRequestExample(ReadmeCase)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
        .AcceptsIdempotencyKey()
        .ReturnsETag();
}
