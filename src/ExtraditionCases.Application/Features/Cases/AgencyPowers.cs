using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;

namespace ExtraditionCases.Application.Features.Cases;

/// <summary>
/// Which agency of a state records what: configuration <c>Agencies:&lt;country&gt;:&lt;agency&gt;</c> lists
/// the trigger names and <c>Extend:&lt;kind&gt;</c> entries that agency's officers may record
/// (<c>Agencies__GB__HO__0=Certify</c>). A country with no entry keeps the plain rule (any of its
/// officers fires its state's triggers); once it has one, an agency it does not list records nothing.
/// Case-file edits stay open to every officer of a party state.
/// </summary>
public sealed class AgencyPowers
{
    public const string SectionName = "Agencies";

    public static readonly AgencyPowers Unconfigured = new(new Dictionary<string, Dictionary<string, HashSet<string>>>());

    private readonly IReadOnlyDictionary<string, Dictionary<string, HashSet<string>>> _byCountry;

    private AgencyPowers(IReadOnlyDictionary<string, Dictionary<string, HashSet<string>>> byCountry) => _byCountry = byCountry;

    /// <summary>From the bound configuration section; an entry that names no trigger or clock kind stops the start.</summary>
    public static AgencyPowers From(Dictionary<string, Dictionary<string, List<string>>>? configured)
    {
        var byCountry = new Dictionary<string, Dictionary<string, HashSet<string>>>(StringComparer.Ordinal);
        foreach (var (country, agencies) in configured ?? [])
        {
            // "UK" for GB would otherwise leave GB unrestricted without a word.
            if (!Countries.IsIso3166Alpha2(country.ToUpperInvariant()))
                throw new InvalidOperationException($"{SectionName}:{country} is not an ISO 3166-1 alpha-2 country code.");
            var powers = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var (agency, entries) in agencies)
            {
                foreach (var entry in entries.Where(e => !IsPower(e)))
                    throw new InvalidOperationException($"{SectionName}:{country}:{agency} lists '{entry}', which is neither a trigger nor Extend:<clock kind>.");
                powers[agency] = new HashSet<string>(entries, StringComparer.Ordinal);
            }

            if (powers.Count > 0) byCountry[country.ToUpperInvariant()] = powers;
        }

        return new AgencyPowers(byCountry);
    }

    private static bool IsPower(string entry) =>
        Enum.TryParse<WorkflowTrigger>(entry, out var t) && Enum.IsDefined(t) && entry == t.ToString()
        || entry.StartsWith("Extend:", StringComparison.Ordinal) && Enum.TryParse<DeadlineKind>(entry["Extend:".Length..], out var k)
            && Enum.IsDefined(k) && entry["Extend:".Length..] == k.ToString();

    public bool May(Caller caller, string power)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.Country is null || !_byCountry.TryGetValue(caller.Country, out var agencies)) return true;
        return caller.Agency is not null && agencies.TryGetValue(caller.Agency, out var powers) && powers.Contains(power);
    }

    /// <summary>The triggers this caller's agency may record, as the case's workflow asks.</summary>
    public Func<WorkflowTrigger, bool> Triggers(Caller caller) => trigger => May(caller, trigger.ToString());
}
