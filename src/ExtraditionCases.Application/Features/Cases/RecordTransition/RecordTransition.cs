using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Application.Telemetry;
using ExtraditionCases.Domain.Workflow;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>
/// A step to record. The OpenAPI document describes it as one schema per trigger (<c>&lt;Trigger&gt;Transition</c>,
/// discriminated by <c>trigger</c>) with the data that trigger's definition declares.
/// </summary>
public sealed record TransitionInput
{
    [Required, NamesOf(typeof(WorkflowTrigger))] public string? Trigger { get; init; }
    /// <summary>When the step happened; now when absent. Not before the case's latest step, not in the future.</summary>
    [Form(TextForm.Instant)] public string? OccurredAt { get; init; }
    [MaxLength(RecordTransition.MaxNoteLength), Form(TextForm.Prose)] public string? Note { get; init; }
    public JsonObject? Data { get; init; }
}

/// <summary>An officer records a step of the legal process: the case's workflow decides whether it may happen.</summary>
public static class RecordTransition
{
    public const int MaxNoteLength = 2000;

    /// <param name="Target">The case, loaded once by the edge before the body was read.</param>
    public sealed record Command(
        Caller Caller, RequestSource Source, CaseToWrite Target, ExpectedVersion? IfMatch, TransitionInput Body, Idempotency? Idempotency = null)
        : ICommand<CaseView>, IIdempotentCommand
    {
        private Parsed? _parsed;

        /// <summary>The trigger and its data, parsed once: the validator reports the faults, the handler fires with the values.</summary>
        public Parsed Data => _parsed ??= Parsed.From(Body);
    }

    /// <summary>A known trigger (null otherwise) and its data as typed values, with the faults of that data by member.</summary>
    public sealed record Parsed(WorkflowTrigger? Trigger, TriggerData Values, IReadOnlyDictionary<string, string[]> Errors)
    {
        public static Parsed From(TransitionInput body)
        {
            if (!Enum.TryParse<WorkflowTrigger>(body.Trigger, out var trigger) || !Enum.IsDefined(trigger))
                return new Parsed(null, TriggerData.Empty, new Dictionary<string, string[]>());
            var errors = new Dictionary<string, string[]>();
            return new Parsed(trigger, TriggerDataReader.Read(trigger, body.Data, errors), errors);
        }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Body.Trigger).NotEmpty().IsEnumName(typeof(WorkflowTrigger), caseSensitive: true).OverridePropertyName("trigger");
            RuleFor(x => x.Body.OccurredAt).Must(t => Instants.TryParse(t, out _)).When(x => x.Body.OccurredAt is not null)
                .WithMessage("Must be an RFC 3339 instant.").OverridePropertyName("occurredAt");
            RuleFor(x => x.Body.Note).MaximumLength(MaxNoteLength).Must(Text.IsCleanProse).OverridePropertyName("note");
            RuleFor(x => x.Data).Custom((parsed, context) =>
            {
                foreach (var (member, messages) in parsed.Errors)
                {
                    foreach (var message in messages) context.AddFailure(member, message);
                }
            });
        }
    }

    public sealed class Handler(
        ICaseStore store, TimeProvider clock, ClockOutcomes outcomes, AgencyPowers agencies, IDatabaseSession session, Documents.DocumentOptions documents)
        : IRequestHandler<Command, CaseView>
    {
        public async Task<CaseView> Handle(Command request, CancellationToken cancellationToken)
        {
            var c = request.Target.Case;
            CaseWrites.CheckVersion(request.IfMatch, c.Version);
            var now = clock.GetUtcNow();
            var occurredAt = request.Body.OccurredAt is { } text && Instants.TryParse(text, out var at) ? at : Domain.Instant.Truncate(now);
            var data = request.Data.Values;

            var before = c.Version;
            var trigger = request.Data.Trigger!.Value;
            var missing = await Documents.GetChecklist.MissingForAsync(session, documents, c, trigger, cancellationToken);
            c.Fire(trigger, new TransitionContext(occurredAt, string.IsNullOrWhiteSpace(request.Body.Note) ? null : request.Body.Note, data),
                request.Target.Side, now, agencies.Triggers(request.Caller), missing);

            await CaseWrites.SaveAsync(store, request.Target, before, request.Caller, request.Source, now, TriggerDataReader.ToJson(data), cancellationToken);
            outcomes.Add(c);
            return CaseView.Of(c, request.Caller, now, agencies);
        }
    }
}
