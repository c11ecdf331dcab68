using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Json;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

public sealed record AssigneeInput
{
    /// <summary>The officer's <c>sub</c>, as issued by the assigning officer's own identity provider.</summary>
    [Required, MinLength(1), MaxLength(AssignOfficer.MaxSubjectLength), Form(TextForm.Text)] public string? Subject { get; init; }
}

/// <summary>An officer of one party state, as a case's assignee for that state.</summary>
public sealed record AssigneeView(string Country, string Subject, string Issuer, DateTimeOffset AssignedAt);

/// <summary>
/// Each party state gives the case to one of its own officers: only an officer of that country sets that
/// country's assignee. The officer is named by <c>sub</c> within the assigning officer's issuer (a state's
/// officers come from its own identity provider, and the caller's token is the only evidence the service
/// has of which provider that is). Recorded as an AssigneeChanged event; naming the officer already
/// assigned records nothing.
/// </summary>
public static partial class AssignOfficer
{
    public const int MaxSubjectLength = 200;

    public sealed record Command(
        Caller Caller, RequestSource Source, CaseToWrite Target, string Country, ExpectedVersion? IfMatch, AssigneeInput Body, Idempotency? Idempotency = null)
        : ICommand<CaseView>, IIdempotentCommand;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Country).Must(Countries.IsIso3166Alpha2).WithMessage("Must be an ISO 3166-1 alpha-2 code.").OverridePropertyName("country");
            RuleFor(x => x.Body.Subject).NotEmpty().MaximumLength(MaxSubjectLength).Must(Text.IsClean).OverridePropertyName("subject");
        }
    }

    public sealed class Handler(ICaseStore store, IDatabaseSession session, TimeProvider clock, AgencyPowers agencies) : IRequestHandler<Command, CaseView>
    {
        public async Task<CaseView> Handle(Command request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            var c = request.Target.Case;
            // 403 before 428/412 (the contract's order): a state assigns its own officers only.
            if (caller.Country != request.Country)
                throw new ForbiddenException($"Only an officer of {request.Country} assigns {request.Country}'s officer to a case.");
            CaseWrites.CheckVersion(request.IfMatch, c.Version);

            var now = clock.GetUtcNow();
            var current = await ReadAsync(session, c.Id, cancellationToken);
            var previous = current.FirstOrDefault(a => a.Country == request.Country);
            var subject = request.Body.Subject!;
            if (previous is null || previous.Subject != subject || previous.Issuer != caller.Issuer)
            {
                var before = c.Version;
                c.RecordAssigneeChanged(now);
                var data = new JsonObject
                {
                    ["country"] = request.Country,
                    ["assignee"] = new JsonObject { ["subject"] = subject, ["issuer"] = caller.Issuer },
                    ["previous"] = previous is null ? null : new JsonObject { ["subject"] = previous.Subject, ["issuer"] = previous.Issuer },
                };
                await CaseWrites.SaveAsync(store, request.Target, before, caller, request.Source, now, data, cancellationToken);
                var row = new
                {
                    CaseId = c.Id,
                    request.Country,
                    caller.Issuer,
                    Subject = subject,
                    AssignedAt = Domain.Instant.Truncate(now),
                    Sequence = c.Version,
                };
                if (await session.ExecuteAsync(Sql.Update, row, cancellationToken) == 0) await session.ExecuteAsync(Sql.Insert, row, cancellationToken);
                current = await ReadAsync(session, c.Id, cancellationToken);
            }

            return CaseView.Of(c, caller, now, agencies) with { Assignees = current };
        }
    }

    /// <summary>The case's assignees, one per party state that named one, in country order.</summary>
    public static async Task<IReadOnlyList<AssigneeView>> ReadAsync(IDatabaseSession session, Guid caseId, CancellationToken cancellationToken) =>
        [.. (await session.QueryAsync<Row>(Sql.OfCase, new { CaseId = caseId }, cancellationToken))
            .Select(r => new AssigneeView(r.Country, r.Subject, r.Issuer, r.AssignedAt))];

    private sealed class Row
    {
        public string Country { get; init; } = "";
        public string Subject { get; init; } = "";
        public string Issuer { get; init; } = "";
        public DateTimeOffset AssignedAt { get; init; }
    }
}
