using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Workflow;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

public sealed record TransitionInput
{
    public string? Trigger { get; init; }
    public string? OccurredAt { get; init; }
    public string? Note { get; init; }
    public JsonObject? Data { get; init; }
}

/// <summary>An officer records a step of the legal process: the case's workflow decides whether it may happen.</summary>
public static class RecordTransition
{
    public const int MaxNoteLength = 2000;

    public sealed record Command(Caller Caller, RequestSource Source, Guid Id, string? IfMatch, TransitionInput Body, Idempotency? Idempotency = null)
        : ICommand<CaseView>, IIdempotentCommand
    {
        public int SuccessStatus => 200;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Body.Trigger).NotEmpty().IsEnumName(typeof(WorkflowTrigger), caseSensitive: true).OverridePropertyName("trigger");
            RuleFor(x => x.Body.OccurredAt).Must(t => Instants.TryParse(t, out _)).When(x => x.Body.OccurredAt is not null)
                .WithMessage("Must be an RFC 3339 instant.").OverridePropertyName("occurredAt");
            RuleFor(x => x.Body.Note).MaximumLength(MaxNoteLength).Must(Text.IsCleanProse).OverridePropertyName("note");
            RuleFor(x => x.Body).Custom((body, context) =>
            {
                if (!Enum.TryParse<WorkflowTrigger>(body.Trigger, out var trigger) || !Enum.IsDefined(trigger)) return;
                var errors = new Dictionary<string, string[]>();
                TriggerDataReader.Read(trigger, body.Data, errors);
                foreach (var (member, messages) in errors)
                {
                    foreach (var message in messages) context.AddFailure(member, message);
                }
            });
        }
    }

    public sealed class Handler(ICaseStore store, TimeProvider clock) : IRequestHandler<Command, CaseView>
    {
        public async Task<CaseView> Handle(Command request, CancellationToken cancellationToken)
        {
            var (loaded, side) = await CaseWrites.LoadForWriteAsync(store, request.Caller, request.Id, request.IfMatch, cancellationToken);
            var now = clock.GetUtcNow();
            var trigger = Enum.Parse<WorkflowTrigger>(request.Body.Trigger!);
            var data = TriggerDataReader.Read(trigger, request.Body.Data, new Dictionary<string, string[]>());
            var occurredAt = request.Body.OccurredAt is { } text && Instants.TryParse(text, out var at) ? at : Domain.Instant.Truncate(now);

            var c = loaded.Case;
            var before = c.Version;
            c.Fire(trigger, new TransitionContext(occurredAt, string.IsNullOrWhiteSpace(request.Body.Note) ? null : request.Body.Note, data), side, now);

            await CaseWrites.SaveAsync(store, c, before, loaded.HeadHash, request.Caller, request.Source, now, TriggerDataReader.ToJson(data), cancellationToken);
            return CaseView.Of(c, request.Caller, now);
        }
    }
}

/// <summary>The steps every write to an existing case shares: 404, 428, 412, then save with its event.</summary>
public static class CaseWrites
{
    public static async Task<(LoadedCase Loaded, CaseSide Side)> LoadForWriteAsync(
        ICaseStore store, Caller caller, Guid id, string? ifMatch, CancellationToken cancellationToken)
    {
        var loaded = await store.FindAsync(id, cancellationToken);
        var side = loaded?.Case.SideOf(caller.Country);
        if (loaded is null || side is null || !caller.IsOfficer) throw new NotFoundException($"No case {id}.");
        CheckIfMatch(ifMatch, loaded.Case.Version);
        return (loaded, side.Value);
    }

    /// <summary>Writes need the exact strong tag of the current version: no tag (or *) is 428, another tag 412.</summary>
    public static void CheckIfMatch(string? ifMatch, int version)
    {
        if (string.IsNullOrWhiteSpace(ifMatch) || ifMatch.Trim() == "*")
            throw new PreconditionRequiredException("This write needs If-Match with the case's current ETag.");
        if (ifMatch.Trim() != $"\"{version}\"")
            // The sent tag is client text: never echoed into the problem or the log line that records it.
            throw new PreconditionFailedException($"If-Match does not name the current version \"{version}\".");
    }

    public static async Task SaveAsync(
        ICaseStore store, ExtraditionCase c, int versionBefore, string headHash, Caller caller, RequestSource source,
        DateTimeOffset now, JsonObject data, CancellationToken cancellationToken)
    {
        var recorded = CaseEvent.Create(c.Changes[^1], c.Version, now, caller, source, data, headHash);
        await store.SaveAsync(c, versionBefore, [recorded], cancellationToken);
    }
}
