using ExtraditionCases.Application.Abstractions;
using MediatR;

namespace ExtraditionCases.Application.Features.Transparency;

/// <summary>The log's public key, so that anyone can check a checkpoint without trusting the database.</summary>
public static class GetTransparencyKey
{
    public sealed record Query : IRequest<View>;

    /// <summary>keyId in hex; verifierKey as golang.org/x/mod/sumdb/note reads it; witnesses whose cosignatures are accepted.</summary>
    public sealed record View(string KeyName, string KeyId, string Algorithm, string PublicKey, string VerifierKey, string OriginPrefix, IReadOnlyList<string> Witnesses);

    public sealed class Handler(ITransparencyKeys keys) : IRequestHandler<Query, View>
    {
        public Task<View> Handle(Query request, CancellationToken cancellationToken)
        {
            var key = keys.LogKey ?? throw new UnavailableException(keys.Problem ?? "No signing key is configured.");
            return Task.FromResult(new View(key.Name, key.KeyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture), "Ed25519",
                Convert.ToBase64String(key.PublicKey), key.VerifierKey, keys.OriginOf("").TrimEnd('/'), [.. keys.Witnesses.Select(w => w.VerifierKey)]));
        }
    }
}
