namespace ExtraditionCases.Application.Abstractions;

/// <summary>No such resource, or one the caller may not know exists (404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The caller may not do this (403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>A write that needs If-Match came without a usable one (428).</summary>
public sealed class PreconditionRequiredException(string message) : Exception(message);

/// <summary>If-Match names a version that is no longer current, or another writer won the race (412).</summary>
public sealed class PreconditionFailedException(string message) : Exception(message);

/// <summary>A request that cannot be understood, with the member at fault (400).</summary>
public sealed class BadRequestException(string message, IReadOnlyDictionary<string, string[]> errors) : Exception(message)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static BadRequestException For(string member, string message) =>
        new(message, new Dictionary<string, string[]> { [member] = [message] });
}
