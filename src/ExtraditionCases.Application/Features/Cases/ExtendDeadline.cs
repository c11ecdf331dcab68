using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Deadlines;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

public sealed record ExtensionInput
{
    public string? DueAt { get; init; }
    public string? OrderReference { get; init; }
}

/// <summary>A requested-state officer records a court's extension of a running clock.</summary>
public static class ExtendDeadline
{
    public sealed record Command(Caller Caller, RequestSource Source, Guid Id, string Kind, string? IfMatch, ExtensionInput Body, Idempotency? Idempotency = null)
        : ICommand<CaseView>, IIdempotentCommand
    {
        public int SuccessStatus => 200;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Kind).IsEnumName(typeof(DeadlineKind), caseSensitive: true).OverridePropertyName("kind");
            RuleFor(x => x.Body.DueAt).NotEmpty().Must(t => Instants.TryParse(t, out _)).WithMessage("Must be an RFC 3339 instant.")
                .OverridePropertyName("dueAt");
            RuleFor(x => x.Body.OrderReference).NotEmpty().MaximumLength(500).Must(Text.IsClean).OverridePropertyName("orderReference");
        }
    }

    public sealed class Handler(ICaseStore store, TimeProvider clock, AgencyPowers agencies) : IRequestHandler<Command, CaseView>
    {
        public async Task<CaseView> Handle(Command request, CancellationToken cancellationToken)
        {
            var (loaded, side) = await CaseWrites.LoadForWriteAsync(store, request.Caller, request.Id, request.IfMatch, cancellationToken);
            var now = clock.GetUtcNow();
            if (!Instants.TryParse(request.Body.DueAt, out var dueAt)) throw BadRequestException.For("dueAt", "Must be an RFC 3339 instant.");
            var kind = Enum.Parse<DeadlineKind>(request.Kind);

            var c = loaded.Case;
            var before = c.Version;
            c.ExtendDeadline(kind, dueAt, side, now, agencies.May(request.Caller, $"Extend:{kind}"));

            var data = new JsonObject
            {
                ["kind"] = kind.ToString(),
                ["dueAt"] = Domain.Instant.ToText(dueAt),
                ["orderReference"] = request.Body.OrderReference,
            };
            await CaseWrites.SaveAsync(store, c, before, loaded.HeadHash, request.Caller, request.Source, now, data, cancellationToken);
            return CaseView.Of(c, request.Caller, now, agencies);
        }
    }
}
