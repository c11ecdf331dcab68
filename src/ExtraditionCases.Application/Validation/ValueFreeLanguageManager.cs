using System.Globalization;
using FluentValidation.Resources;

namespace ExtraditionCases.Application.Validation;

/// <summary>
/// FluentValidation's default messages, minus the ones that quote the value a client sent
/// (<c>{PropertyValue}</c>: the enum and range validators, in every language). A value sent in the
/// wrong member could be a person's name, and refusals are logged: no message may carry one.
/// Installed with <see cref="Install"/>; messages written with <c>WithMessage</c> never use the placeholder.
/// </summary>
public sealed class ValueFreeLanguageManager(ILanguageManager inner) : ILanguageManager
{
    public const string ValuePlaceholder = "{PropertyValue}";

    private static readonly Dictionary<string, string> Replacements = new(StringComparer.Ordinal)
    {
        ["EnumValidator"] = "'{PropertyName}' is not one of the allowed values.",
        ["StringEnumValidator"] = "'{PropertyName}' is not one of the allowed values.",
        ["InclusiveBetweenValidator"] = "'{PropertyName}' must be between {From} and {To}.",
        ["ExclusiveBetweenValidator"] = "'{PropertyName}' must be between {From} and {To} (exclusive).",
    };

    public bool Enabled
    {
        get => inner.Enabled;
        set => inner.Enabled = value;
    }

    public CultureInfo Culture
    {
        get => inner.Culture;
        set => inner.Culture = value;
    }

    public string GetString(string key, CultureInfo? culture = null)
    {
        var message = inner.GetString(key, culture);
        if (message is null || !message.Contains(ValuePlaceholder, StringComparison.Ordinal)) return message!;
        return Replacements.TryGetValue(key, out var replacement) ? replacement : "'{PropertyName}' is not valid.";
    }

    /// <summary>Wraps the global language manager once; idempotent.</summary>
    public static void Install()
    {
        var current = FluentValidation.ValidatorOptions.Global.LanguageManager;
        if (current is not ValueFreeLanguageManager) FluentValidation.ValidatorOptions.Global.LanguageManager = new ValueFreeLanguageManager(current);
    }
}
