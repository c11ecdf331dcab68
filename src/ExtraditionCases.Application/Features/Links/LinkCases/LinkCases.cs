using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Features.Cases;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Workflow;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Links;

public sealed record LinkInput
{
    /// <summary>The other case of the same person.</summary>
    [Required, Form(TextForm.Uuid)] public string? CaseId { get; init; }
    /// <summary>Why the officer holds them to be one person (kept with the link, never in the shared events).</summary>
    [Required, MinLength(1), MaxLength(LinkCases.MaxReasonLength), Form(TextForm.Text)] public string? Reason { get; init; }
}

/// <summary>
/// An officer who may see both cases confirms that they concern one person (issue 14). The link is a CaseLinked
/// event in both chains; when both cases are open, requested of the same state by different requesting states,
/// it is a competing request (s.126 of the 2003 Act; s.14 of the 1972 Act): a CompetingRequestDetected event
/// follows in both chains, recorded by this officer, who is then necessarily an officer of the requested state
/// (no one else is a party to both). Both events carry only the opaque link id: each chain is read by both
/// parties of its case, and must not tell a requesting state about the other case or the other state.
/// </summary>
public static class LinkCases
{
    public const int MaxReasonLength = 500;

    /// <param name="Target">The case in the path, loaded by the edge before the body was read (404 first).</param>
    public sealed record Command(Caller Caller, RequestSource Source, CaseToWrite Target, LinkInput Body) : ICommand<LinkView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(x => x.Body.CaseId).Cascade(CascadeMode.Stop).NotEmpty().Must(id => Guid.TryParse(id, out _)).WithMessage("Must be a case id.")
                .Must((x, id) => Guid.Parse(id!) != x.Target.Case.Id).WithMessage("A case is not linked to itself.").OverridePropertyName("caseId");
            RuleFor(x => x.Body.Reason).NotEmpty().MaximumLength(MaxReasonLength).Must(Text.IsClean).OverridePropertyName("reason");
        }
    }

    public sealed class Handler(ICaseStore store, IDatabaseSession session, TimeProvider clock) : IRequestHandler<Command, LinkView>
    {
        public async Task<LinkView> Handle(Command request, CancellationToken cancellationToken)
        {
            var caller = request.Caller;
            var thisId = request.Target.Case.Id;
            var otherId = Guid.Parse(request.Body.CaseId!);
            // Links are appended, never edited (no If-Match): both cases are read again inside the transaction.
            var loaded = await store.FindAsync(thisId, cancellationToken) ?? throw new NotFoundException($"No case {thisId}.");
            var other = await store.FindAsync(otherId, cancellationToken);
            // A case that does not exist and one the caller may not see get the same answer.
            if (other is null || other.Case.SideOf(caller.Country) is null)
                throw new RuleViolationException("caseId", "No case you may see has this id: a link is confirmed by an officer who may see both cases.");

            var (a, b) = string.CompareOrdinal(thisId.ToString("D"), otherId.ToString("D")) < 0 ? (thisId, otherId) : (otherId, thisId);
            if (await session.QuerySingleOrDefaultAsync<int>(CaseLinks.Sql.Exists, new { CaseA = a, CaseB = b }, cancellationToken) > 0)
                throw new WorkflowConflictException("These two cases are linked already.");

            var now = clock.GetUtcNow();
            var linkId = Guid.CreateVersion7(now);
            var competing = loaded.Case.CompetesWith(other.Case);
            if (competing && loaded.Case.SideOf(caller.Country) != CaseSide.Requested)
                throw new ForbiddenException("A competing request is confirmed by the requested state's officers."); // cannot happen: only they see both

            // Saved in a fixed order (by id), so two links written at once never wait on each other crosswise.
            foreach (var target in new[] { loaded, other }.OrderBy(l => l.Case.Id))
            {
                var c = target.Case;
                var before = c.Version;
                var data = new JsonObject { ["linkId"] = linkId.ToString("D") };
                c.RecordLink(now);
                if (competing) c.RecordCompetingRequest(now);
                var events = new List<CaseEvent>();
                var sequence = before;
                foreach (var change in c.Changes)
                    events.Add(CaseEvent.Create(change, ++sequence, now, caller, request.Source, data.DeepClone().AsObject(), events.Count == 0 ? target.HeadHash : events[^1].Hash));
                await store.SaveAsync(c, before, events, cancellationToken);
            }

            var linkedAt = Domain.Instant.Truncate(now);
            await session.ExecuteAsync(CaseLinks.Sql.Insert, new
            {
                Id = linkId,
                CaseA = a,
                CaseB = b,
                request.Body.Reason,
                Competing = competing,
                LinkedAt = linkedAt,
                LinkedBySubject = caller.Subject,
                LinkedByIssuer = caller.Issuer,
                LinkedByCountry = caller.Country,
            }, cancellationToken);
            return await CaseLinks.FindAsync(session, linkId, cancellationToken) ?? throw new InvalidOperationException("The link just written is not there.");
        }
    }
}
