// Compiled only with -p:CompileRefused=true, and then the build must fail: each line marked "refused: CSxxxx"
// must fail with that error and no other line may fail. What the service refuses, the generated client refuses
// at compile time (KiotaClientTests checks the compiler's errors against these marks).
using ExtraditionCases.Client.Api.V1.Changes;
using ExtraditionCases.Client.Models;

namespace ExtraditionCases.KiotaClient;

internal static class Refused
{
    internal static CaseFileInput BogusBasis() => new()
    {
        Basis = LegalBasis.Bogus, // refused: CS0117
        Category = CaseCategory.Accusation,
    };

    internal static CaseFileInput BasisAsText() => new()
    {
        Basis = "Treaty", // refused: CS0029
    };

    internal static CertifyTransition CertifyWithWithdrawData() => new()
    {
        Trigger = CertifyTransition_trigger.Certify,
        Data = new WithdrawData { Reason = "no" }, // refused: CS0029
    };

    internal static SubmitTransition SubmitNamedCertify() => new()
    {
        Trigger = SubmitTransition_trigger.Certify, // refused: CS0117
    };

    internal static void LimitAsText(ChangesRequestBuilder.ChangesRequestBuilderGetQueryParameters query)
    {
        query.Limit = "1000"; // refused: CS0029
    }

    internal static CaseStatus StateAsText(CaseStatus status)
    {
        status.State = "Lodged"; // refused: CS0029
        return status;
    }
}
