using System.Net.Http.Headers;
using ExtraditionCases.Application.Transparency;
using ExtraditionCases.Infrastructure.Transparency;
using ExtraditionCases.Witness;

// dotnet run --project tools/ExtraditionCases.Witness -- generate-key <name> [--log]   (a witness key; --log: the service's checkpoint key)
// dotnet run --project tools/ExtraditionCases.Witness -- witness --url <service> --log-key <name+id+key> --key-file <file> --state <dir> [--tree <tree>]
//   with the partner's bearer token in WITNESS_TOKEN. Exit code 0: consistent and cosigned; 2: an alert; 1: the run failed.
if (args.Length >= 2 && args[0] == "generate-key")
{
    var (privateKey, publicKey) = TransparencyKeys.Generate(args[1], args.Contains("--log") ? SignedNote.Ed25519 : SignedNote.CosignatureV1);
    Console.WriteLine(privateKey);
    Console.WriteLine(publicKey.VerifierKey);
    return 0;
}

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
if (args.FirstOrDefault() != "witness" || Arg("--url") is not { } url || Arg("--log-key") is not { } logKey
    || Arg("--key-file") is not { } keyFile || Arg("--state") is not { } state)
{
    Console.Error.WriteLine("usage: witness --url <service> --log-key <verifier key> --key-file <witness private key file> --state <dir> [--tree <tree>] (token in WITNESS_TOKEN)");
    return 1;
}

try
{
    using var client = new HttpClient { BaseAddress = new Uri(url) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Environment.GetEnvironmentVariable("WITNESS_TOKEN"));
    var report = await new WitnessRun(client, new WitnessOptions(File.ReadAllText(keyFile).Trim(), logKey, state, Arg("--tree")), TimeProvider.System)
        .RunAsync(CancellationToken.None);
    Console.WriteLine(WitnessRun.Describe(report));
    return report.Consistent ? 0 : 2;
}
catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException or ArgumentException)
{
    Console.Error.WriteLine($"witness run failed: {ex.Message}");
    return 1;
}
