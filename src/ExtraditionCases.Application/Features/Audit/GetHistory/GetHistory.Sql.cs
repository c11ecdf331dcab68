using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Audit;

public static partial class GetHistory
{
    public static class Sql
    {
        public static readonly SqlStatement CaseEvents = new(
            Sqlite: "SELECT CaseId, Sequence, Type, \"Trigger\", FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence",
            SqlServer: "SELECT CaseId, Sequence, Type, [Trigger], FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM dbo.CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence;");
    }
}
