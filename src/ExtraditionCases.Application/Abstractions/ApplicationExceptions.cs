namespace ExtraditionCases.Application.Abstractions;

/// <summary>No such resource, or one the caller may not know exists (404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The caller may not do this (403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>A write that must name the version it expects the case at named none (428).</summary>
public sealed class PreconditionRequiredException() : Exception("The write names no version it expects the case at.");

/// <summary>A write names a version that is not the current one, or another writer saved first (412).</summary>
public sealed class PreconditionFailedException : Exception
{
    public PreconditionFailedException(string message) : base(message)
    {
    }

    /// <summary>The version the write named is not <paramref name="currentVersion"/>.</summary>
    public PreconditionFailedException(int currentVersion) : base($"The write names another version than the current {currentVersion}.") =>
        CurrentVersion = currentVersion;

    /// <summary>Set when the write named a version other than this current one; null when another writer saved first.</summary>
    public int? CurrentVersion { get; }
}

/// <summary>A request that cannot be understood, with the member at fault (400).</summary>
public sealed class BadRequestException(string message, IReadOnlyDictionary<string, string[]> errors) : Exception(message)
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static BadRequestException For(string member, string message) =>
        new(message, new Dictionary<string, string[]> { [member] = [message] });
}

/// <summary>A well-formed request that a rule refuses, with the member at fault (422).</summary>
public sealed class RuleViolationException(string member, string message) : Exception(message)
{
    public string Member { get; } = member;
}
/// <summary>The service cannot answer this now (503): a dependency it needs is missing or failing.</summary>
public sealed class UnavailableException(string message) : Exception(message);
