using System.Text.Json;
using System.Text.Json.Nodes;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.Json;
using FluentValidation;
using MediatR;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>An officer edits the case file with a JSON merge patch (RFC 7396; arrays replace whole).</summary>
public static class PatchCase
{
    /// <summary>
    /// Identity, workflow position, the two states and when the request was received (the CaseFiled
    /// event's date, which history cannot rewrite) are not the case file's to change.
    /// </summary>
    public static readonly IReadOnlySet<string> FixedMembers =
        new HashSet<string>(StringComparer.Ordinal) { "id", "reference", "state", "version", "requestingState", "requestedState", "receivedAt" };

    /// <param name="Target">The case, loaded once by the edge before the body was read.</param>
    public sealed record Command(Caller Caller, RequestSource Source, CaseToWrite Target, ExpectedVersion? IfMatch, JsonObject Patch) : ICommand<CaseView>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(x => x.Patch).Custom((patch, context) =>
        {
            foreach (var (name, _) in patch)
            {
                if (FixedMembers.Contains(name)) context.AddFailure(name, $"'{name}' cannot be patched.");
            }
        });
    }

    public sealed class Handler(ICaseStore store, TimeProvider clock) : IRequestHandler<Command, CaseView>
    {
        public async Task<CaseView> Handle(Command request, CancellationToken cancellationToken)
        {
            var c = request.Target.Case;
            var now = clock.GetUtcNow();

            // The merged case is validated as a new one would be: 400 comes before the preconditions.
            var merged = Merge(JsonSerializer.SerializeToNode(CaseFileInput.From(c.File), CaseJson.Options)!, request.Patch);
            CaseFileInput input;
            try
            {
                input = merged.Deserialize<CaseFileInput>(CaseJson.Options)!;
            }
            catch (JsonException ex)
            {
                throw BadRequestException.For(ex.Path is { Length: > 2 } p ? p[2..] : "$", "Wrong type or unknown member.");
            }

            var result = await new CaseFileInputValidator(clock).ValidateAsync(input with { ReceivedAt = null }, cancellationToken);
            if (!result.IsValid) throw new ValidationException(result.Errors);

            CaseWrites.CheckVersion(request.IfMatch, c.Version);
            var before = c.Version;
            c.UpdateFile(input.ToCaseFile(), now);
            await CaseWrites.SaveAsync(store, request.Target, before, request.Caller, request.Source, now,
                (JsonObject)request.Patch.DeepClone(), cancellationToken);
            return CaseView.Of(c, request.Caller, now);
        }
    }

    /// <summary>RFC 7396: objects merge member by member, null removes, anything else replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target as JsonObject is { } t ? (JsonObject)t.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null) result.Remove(name);
            else result[name] = Merge(result[name], value);
        }

        return result;
    }
}
