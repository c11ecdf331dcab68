using System.ComponentModel.DataAnnotations;
using ExtraditionCases.Application.Json;
using System.Security.Cryptography;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain;
using ExtraditionCases.Domain.Workflow;
using FluentValidation;

namespace ExtraditionCases.Application.Features.Webhooks;

/// <summary>A subscription as its owners see it: never its secret, which is shown once (on creation and on rotation).</summary>
public sealed record SubscriptionView(
    Guid Id,
    string Country,
    string Url,
    IReadOnlyList<string>? EventTypes,
    Guid? CaseId,
    bool Enabled,
    string? DisabledReason,
    string? FailingSince,
    string? PreviousSecretExpiresAt,
    string CreatedAt,
    string UpdatedAt,
    SubscriptionCreator CreatedBy);

/// <summary>
/// Who created a subscription: issuer + subject identify the caller (issuer null only for subscriptions older than
/// stored issuers). Shown to the country's officers and partners, who hold the subscription together.
/// </summary>
public sealed record SubscriptionCreator(string Subject, string? Issuer);

/// <summary>What a caller sends to create or replace a subscription.</summary>
public sealed class SubscriptionInput
{
    /// <summary>An absolute https URL (http only for loopback where the deployment allows it), no credentials, no fragment.</summary>
    [Required, MinLength(1), MaxLength(SubscriptionInputValidator.MaxUrlLength), Form(TextForm.Url)] public string? Url { get; init; }

    /// <summary>Null (omitted): every type. Each an event type of the history, or DeadlineMissed; each once.</summary>
    [MinLength(1), MaxLength(SubscriptionInputValidator.MaxEventTypes), Form(TextForm.Identifier, Items = true)]
    public IReadOnlyList<string>? EventTypes { get; init; }

    /// <summary>Null (omitted): every case the caller's country is party to.</summary>
    public Guid? CaseId { get; init; }

    /// <summary>Omitted: true.</summary>
    public bool? Enabled { get; init; }
}

public sealed class SubscriptionInputValidator : AbstractValidator<SubscriptionInput>
{
    public const int MaxUrlLength = 2000;
    public const int MaxEventTypes = 50;

    public SubscriptionInputValidator(WebhookOptions options)
    {
        RuleFor(x => x.Url).NotEmpty().MaximumLength(MaxUrlLength)
            .Must(url => WebhookUrls.Syntax(url!, options) is null)
            .WithMessage((_, url) => WebhookUrls.Syntax(url!, options))
            .When(x => !string.IsNullOrEmpty(x.Url) && x.Url.Length <= MaxUrlLength);
        RuleFor(x => x.EventTypes).Must(t => t!.Count is >= 1 and <= MaxEventTypes).WithMessage($"List 1 to {MaxEventTypes} event types, or omit the member for every type.")
            .Must(t => t!.Distinct(StringComparer.Ordinal).Count() == t!.Count).WithMessage("Each event type once.")
            .When(x => x.EventTypes is not null);
        RuleForEach(x => x.EventTypes).Must(t => WebhookEventTypes.Known.Contains(t))
            .WithMessage($"Must be one of: {string.Join(", ", WebhookEventTypes.Known.Order(StringComparer.Ordinal))}.");
    }
}

/// <summary>What a URL must look like before anything is resolved: absolute, https (http only for loopback in development), no credentials.</summary>
public static class WebhookUrls
{
    /// <summary>Null when the URL is well-formed for a webhook; else why not.</summary>
    public static string? Syntax(string url, WebhookOptions options)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host)) return "Must be an absolute URL.";
        if (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && options.AllowInsecureLoopback)) return "Must be an https URL.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "Must not carry credentials.";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "Must not carry a fragment.";
        return null;
    }
}

/// <summary>The types a subscription may name: every event type the history records, and the DeadlineMissed notice.</summary>
public static class WebhookEventTypes
{
    public const string DeadlineMissed = nameof(DeadlineMissed);

    // Event types are the CaseChange constants (a type added there is subscribable at once), plus RulesApplied.
    public static readonly IReadOnlySet<string> Known = typeof(CaseChange)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!)
        .Append(ExtraditionCase.RulesApplied).Append(DeadlineMissed).ToHashSet(StringComparer.Ordinal);

    /// <summary>",A,B," for the EventTypes column (null for every type): one LIKE matches a type on both dialects.</summary>
    public static string? ToColumn(IReadOnlyList<string>? types) => types is null ? null : "," + string.Join(',', types) + ",";

    public static IReadOnlyList<string>? FromColumn(string? column) =>
        column is null ? null : column.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static bool Accepts(string? column, string type) => column is null || column.Contains("," + type + ",", StringComparison.Ordinal);
}

/// <summary>Standard Webhooks secrets: "whsec_" and the base64 of 32 random bytes.</summary>
public static class WebhookSecrets
{
    public const string Prefix = "whsec_";

    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

/// <summary>The row every subscription use case reads, and the owner rule: a subscription is its country's.</summary>
public static class Subscriptions
{
    public static class Sql
    {
        private const string Columns =
            "Id, Country, Url, EventTypes, CaseId, Enabled, DisabledReason, FailingSince, PreviousSecretExpiresAt, CreatedAt, UpdatedAt, CreatedBy, CreatedByIssuer";

        public static readonly SqlStatement Find = new(
            Sqlite: $"SELECT {Columns} FROM WebhookSubscriptions WHERE Id = @Id",
            SqlServer: $"SELECT {Columns} FROM dbo.WebhookSubscriptions WHERE Id = @Id;");
    }

    /// <summary>The caller's country's subscription, or 404 (another country's is never revealed).</summary>
    public static async Task<Row> FindOwnAsync(IDatabaseSession session, Caller caller, Guid id, CancellationToken cancellationToken)
    {
        var row = await session.QuerySingleOrDefaultAsync<Row>(Sql.Find, new { Id = id }, cancellationToken);
        if (row is null || caller.Country is null || row.Country != caller.Country) throw new NotFoundException($"No subscription {id}.");
        return row;
    }

    /// <summary>Only officers and partners of a country hold subscriptions, for that country.</summary>
    public static string CountryOf(Caller caller) =>
        caller is { Country: { } country, Role: Caller.Officer or Caller.Partner } ? country
            : throw new ForbiddenException("Only officers and partners with a country may hold webhook subscriptions.");

    /// <summary>The caller's destination rule (SSRF), then the case filter: both 422, checked without connecting anywhere.</summary>
    public static async Task CheckAsync(
        IWebhookDestinations destinations, ICaseStore cases, string country, SubscriptionInput input, CancellationToken cancellationToken)
    {
        if (await destinations.RefusalAsync(new Uri(input.Url!), cancellationToken) is { } refusal)
            throw new RuleViolationException("url", refusal);
        if (input.CaseId is { } caseId
            && (await cases.FindPartiesAsync(caseId, cancellationToken) is not { } parties || (parties.RequestingState != country && parties.RequestedState != country)))
            throw new RuleViolationException("caseId", "No case your state is party to has this id.");
    }

    public sealed class Row
    {
        public Guid Id { get; init; }
        public string Country { get; init; } = "";
        public string Url { get; init; } = "";
        public string? EventTypes { get; init; }
        public Guid? CaseId { get; init; }
        public bool Enabled { get; init; }
        public string? DisabledReason { get; init; }
        public DateTimeOffset? FailingSince { get; init; }
        public DateTimeOffset? PreviousSecretExpiresAt { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset UpdatedAt { get; init; }
        public string CreatedBy { get; init; } = "";
        public string? CreatedByIssuer { get; init; }

        public SubscriptionView ToView(DateTimeOffset now) => new(
            Id, Country.Trim(), Url, WebhookEventTypes.FromColumn(EventTypes), CaseId, Enabled, DisabledReason,
            FailingSince is { } f ? Instant.ToText(f) : null,
            PreviousSecretExpiresAt is { } p && p > now ? Instant.ToText(p) : null,
            Instant.ToText(CreatedAt), Instant.ToText(UpdatedAt), new SubscriptionCreator(CreatedBy, CreatedByIssuer));
    }
}
