using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Application.Telemetry;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>An officer files a new case in Draft.</summary>
public static class FileCase
{
    public sealed record Command(Caller Caller, RequestSource Source, CaseFileInput Body, Idempotency? Idempotency = null)
        : ICommand<CaseView>, IIdempotentCommand;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock) => RuleFor(x => x.Body).SetValidator(new CaseFileInputValidator(clock));
    }

    public sealed class Handler(ICaseStore store, DeadlineOptions deadlines, TimeProvider clock, ClockOutcomes outcomes, AgencyPowers agencies) : IRequestHandler<Command, CaseView>
    {
        public async Task<CaseView> Handle(Command request, CancellationToken cancellationToken)
        {
            var file = request.Body.ToCaseFile();
            if (!request.Caller.IsOfficer || !request.Caller.IsPartyTo(file.RequestingState, file.RequestedState))
                throw new ForbiddenException("An officer may file only cases to which their own state is a party.");

            var now = clock.GetUtcNow();
            var receivedAt = request.Body.ReceivedAt is { } text && Instants.TryParse(text, out var at) ? at : now;
            // The case, its event and the event's hash (which does not cover the reference) are built before the
            // reference number is allocated: that allocation is the command's first statement and takes the SQLite
            // writer gate, which other writers then wait on (issue 20).
            var filed = ExtraditionCase.FileNew(Guid.CreateVersion7(now), reference: "", file, receivedAt, now,
                deadlines.RulesFor(file.RequestingState, file.RequestedState),
                request.Caller.Country == file.RequestedState ? CaseSide.Requested : CaseSide.Requesting);
            var data = JsonSerializer.SerializeToNode(file, CaseJson.Options)!.AsObject();
            var filedEvent = CaseEvent.Create(filed.Changes[0], filed.Version, now, request.Caller, request.Source, data, CaseEvent.GenesisHash);

            var number = await store.NextReferenceNumberAsync(cancellationToken);
            filed.AssignReference($"EXT-{now.Year}-{number:D6}");
            await store.AddAsync(filed, [filedEvent], cancellationToken);
            outcomes.Add(filed);
            return CaseView.Of(filed, request.Caller, now, agencies);
        }
    }
}
