using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Audit;

public static partial class GetHistory
{
    public static class Sql
    {
        public static readonly SqlStatement CaseEvents = new(
            Sqlite: "SELECT CaseId, Sequence, Type, \"Trigger\", FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence",
            SqlServer: "SELECT CaseId, Sequence, Type, [Trigger], FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM dbo.CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence;");

        /// <summary>
        /// The events as the streamed history writes them (<see cref="StoredRow"/>): no case id (the request has it), and the
        /// two instants as their stored text, which SQL Server gives in SQLite's text form (<see cref="Json.StoredInstant.SqlServerText"/>).
        /// </summary>
        public static readonly SqlStatement StoredEvents = new(
            Sqlite: "SELECT Sequence, Type, \"Trigger\", FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence",
            SqlServer: $"SELECT Sequence, Type, [Trigger], FromState, ToState, {Json.StoredInstant.SqlServerText("OccurredAt")} AS OccurredAt, {Json.StoredInstant.SqlServerText("RecordedAt")} AS RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM dbo.CaseEvents WHERE CaseId = @CaseId ORDER BY Sequence;");
    }
}
