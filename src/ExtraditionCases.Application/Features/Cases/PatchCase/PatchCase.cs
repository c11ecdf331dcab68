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

    /// <summary>Member names are matched exactly as the contract spells them: "RequestedState" is no member (400).</summary>
    private static readonly JsonSerializerOptions ExactNames = new(CaseJson.Options) { PropertyNameCaseInsensitive = false };

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

    /// <summary>
    /// The merged file's two validators (offences sent in the patch, or only carried over), built once: building one
    /// compiles every rule's expression tree (issue 20, tenth round).
    /// </summary>
    public sealed class MergedFileValidators(TimeProvider clock)
    {
        public CaseFileInputValidator OffencesSent { get; } = new(clock, offencesSent: true);
        public CaseFileInputValidator OffencesCarriedOver { get; } = new(clock, offencesSent: false);
    }

    public sealed class Handler(ICaseStore store, TimeProvider clock, AgencyPowers agencies, IDatabaseSession session, MergedFileValidators validators)
        : IRequestHandler<Command, CaseView>
    {
        public async Task<CaseView> Handle(Command request, CancellationToken cancellationToken)
        {
            var c = request.Target.Case;
            var now = clock.GetUtcNow();

            // The merged case is validated as a new one would be: 400 comes before the preconditions.
            // Case-sensitive nodes: a member spelled "RequestedState" stays a member of its own and is refused.
            // What stays with one state is taken out first: it never joins the shared file.
            var (sharedPatch, privatePatch) = PrivateFile.Split(request.Patch);
            var merged = Merge(JsonSerializer.SerializeToNode(CaseFileInput.From(c.File), ExactNames)!, sharedPatch);
            CaseFileInput input;
            try
            {
                input = merged.Deserialize<CaseFileInput>(ExactNames)!;
            }
            catch (JsonException ex)
            {
                throw BadRequestException.For(ex.Path is { Length: > 2 } p ? p[2..] : "$", "Wrong type or unknown member.");
            }

            var validator = request.Patch.ContainsKey("offences") ? validators.OffencesSent : validators.OffencesCarriedOver;
            var result = await validator.ValidateAsync(input with { ReceivedAt = null }, cancellationToken);
            if (!result.IsValid) throw new ValidationException(result.Errors);
            PrivateFile.Validate(privatePatch, clock);

            CaseWrites.CheckVersion(request.IfMatch, c.Version);
            // An ended case cannot be patched (409, after 412 and before 403): whatever the patch holds, an empty or
            // unchanged one included, so the answer never depends on whether the patch would have changed anything.
            c.EnsureEditable();
            if (request.Target.Side != Domain.Workflow.CaseSide.Requested && privatePatch.Keys.FirstOrDefault(PrivateFile.RequestedStateOnly.Contains) is { } only)
                throw new Domain.Workflow.WorkflowForbiddenException($"Only the requested state's officers record {only.TrimStart('/')}.");
            var country = request.Caller.Country!;
            // Read always: the answer shows the caller's state its private file, changed or not.
            var currentPrivate = await PrivateFile.CurrentAsync(session, c.Id, country, cancellationToken);
            var before = c.Version;
            // Compared as clients write the case file (the contract's members), not as derived properties.
            var old = JsonSerializer.SerializeToNode(CaseFileInput.From(c.File), ExactNames);
            // A patch that changes nothing records nothing: no empty CaseUpdated, no new version that
            // would turn every other holder's ETag stale.
            if (JsonNode.DeepEquals(old, JsonSerializer.SerializeToNode(CaseFileInput.From(input.ToCaseFile()), ExactNames))
                && privatePatch.All(p => JsonNode.DeepEquals(p.Value, currentPrivate.GetValueOrDefault(p.Key))))
                return CaseView.Of(c, request.Caller, now, agencies) with { Private = PrivateFile.View(country, currentPrivate) };
            c.UpdateFile(input.ToCaseFile(), request.Target.Side, now);
            var changes = new JsonArray();
            foreach (var change in Changes(old, JsonSerializer.SerializeToNode(CaseFileInput.From(c.File), ExactNames), "")) changes.Add(change);
            var commitments = await PrivateFile.RecordAsync(session, c.Id, country, c.Version, now, currentPrivate, privatePatch, cancellationToken);
            var data = new JsonObject { ["changes"] = changes };
            // The shared event holds only commitments to what changed in one state's private file.
            if (commitments.Count > 0) data["private"] = commitments;
            await CaseWrites.SaveAsync(store, request.Target, before, request.Caller, request.Source, now, data, cancellationToken);
            var privateNow = new Dictionary<string, JsonNode?>(currentPrivate, StringComparer.Ordinal);
            foreach (var (member, value) in privatePatch) privateNow[member] = value;
            return CaseView.Of(c, request.Caller, now, agencies) with { Private = PrivateFile.View(country, privateNow) };
        }
    }

    /// <summary>
    /// The members that actually changed, as JSON Pointers (RFC 6901) with their old and new values:
    /// objects and arrays are compared member by member and item by item, so only what differs is named.
    /// </summary>
    public static IEnumerable<JsonObject> Changes(JsonNode? old, JsonNode? @new, string path)
    {
        if (JsonNode.DeepEquals(old, @new)) yield break;
        if (old is JsonObject oldObject && @new is JsonObject newObject)
        {
            foreach (var name in oldObject.Select(m => m.Key).Union(newObject.Select(m => m.Key)).Order(StringComparer.Ordinal))
            {
                foreach (var change in Changes(oldObject[name], newObject[name], $"{path}/{Escape(name)}")) yield return change;
            }

            yield break;
        }

        if (old is JsonArray oldArray && @new is JsonArray newArray)
        {
            for (var i = 0; i < Math.Max(oldArray.Count, newArray.Count); i++)
            {
                foreach (var change in Changes(i < oldArray.Count ? oldArray[i] : null, i < newArray.Count ? newArray[i] : null, $"{path}/{i}"))
                    yield return change;
            }

            yield break;
        }

        yield return new JsonObject { ["path"] = path, ["old"] = old?.DeepClone(), ["new"] = @new?.DeepClone() };
    }

    private static string Escape(string name) => name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

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
