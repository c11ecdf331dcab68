using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Deadlines;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

public sealed record ExtensionInput
{
    /// <summary>The clock's new end, later than its current one.</summary>
    [Required, Form(TextForm.Instant)] public string? DueAt { get; init; }
    [Required, MinLength(1), MaxLength(ExtendDeadline.MaxOrderReferenceLength), Form(TextForm.Text)] public string? OrderReference { get; init; }
}

/// <summary>A requested-state officer records a court's extension of a running clock.</summary>
public static class ExtendDeadline
{
    public const int MaxOrderReferenceLength = 500;

    /// <param name="Target">The case, loaded once by the edge before the body was read.</param>
    public sealed record Command(
        Caller Caller, RequestSource Source, CaseToWrite Target, string Kind, ExpectedVersion? IfMatch, ExtensionInput Body, Idempotency? Idempotency = null)
        : ICommand<CaseView>, IIdempotentCommand;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Kind).IsEnumName(typeof(DeadlineKind), caseSensitive: true).OverridePropertyName("kind");
            RuleFor(x => x.Body.DueAt).NotEmpty().Must(t => Instants.TryParse(t, out _)).WithMessage("Must be an RFC 3339 instant.")
                .OverridePropertyName("dueAt");
            RuleFor(x => x.Body.OrderReference).NotEmpty().MaximumLength(MaxOrderReferenceLength).Must(Text.IsClean).OverridePropertyName("orderReference");
        }
    }

    public sealed class Handler(ICaseStore store, TimeProvider clock, AgencyPowers agencies) : IRequestHandler<Command, CaseView>
    {
        public async Task<CaseView> Handle(Command request, CancellationToken cancellationToken)
        {
            var c = request.Target.Case;
            CaseWrites.CheckVersion(request.IfMatch, c.Version);
            var now = clock.GetUtcNow();
            if (!Instants.TryParse(request.Body.DueAt, out var dueAt)) throw BadRequestException.For("dueAt", "Must be an RFC 3339 instant.");
            var kind = Enum.Parse<DeadlineKind>(request.Kind);

            var before = c.Version;
            c.ExtendDeadline(kind, dueAt, request.Target.Side, now, agencies.May(request.Caller, $"Extend:{kind}"));

            var data = new JsonObject
            {
                ["kind"] = kind.ToString(),
                ["dueAt"] = Domain.Instant.ToText(dueAt),
                ["orderReference"] = request.Body.OrderReference,
            };
            await CaseWrites.SaveAsync(store, request.Target, before, request.Caller, request.Source, now, data, cancellationToken);
            return CaseView.Of(c, request.Caller, now, agencies);
        }
    }
}
