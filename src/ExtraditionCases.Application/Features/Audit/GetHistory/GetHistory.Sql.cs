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
        /// The case's parties (who may read its history) and its last stored event: its sequence and hash, the history's
        /// head, known before the events are read (no events: both null). One seek of the event key.
        /// </summary>
        public static readonly SqlStatement CaseHead = new(
            Sqlite: "SELECT c.RequestingState, c.RequestedState, e.Sequence AS Through, e.Hash AS Head FROM Cases c LEFT JOIN CaseEvents e ON e.CaseId = c.Id AND e.Sequence = (SELECT MAX(Sequence) FROM CaseEvents WHERE CaseId = c.Id) WHERE c.Id = @CaseId",
            SqlServer: "SELECT c.RequestingState, c.RequestedState, e.Sequence AS Through, e.Hash AS Head FROM dbo.Cases c LEFT JOIN dbo.CaseEvents e ON e.CaseId = c.Id AND e.Sequence = (SELECT MAX(m.Sequence) FROM dbo.CaseEvents m WHERE m.CaseId = c.Id) WHERE c.Id = @CaseId;");

        /// <summary>
        /// The events as the streamed history writes them (<see cref="Stored"/>), up to the head read first (<see cref="CaseHead"/>;
        /// events are only ever appended, so these are exactly the events the head closes, whatever is appended meanwhile): no
        /// case id (the request has it), and the two instants as their stored text, which SQL Server gives in SQLite's text
        /// form (<see cref="Json.StoredInstant.SqlServerText"/>).
        /// </summary>
        public static readonly SqlStatement StoredEvents = new(
            Sqlite: "SELECT Sequence, Type, \"Trigger\", FromState, ToState, OccurredAt, RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM CaseEvents WHERE CaseId = @CaseId AND Sequence <= @Through ORDER BY Sequence",
            SqlServer: $"SELECT Sequence, Type, [Trigger], FromState, ToState, {Json.StoredInstant.SqlServerText("OccurredAt")} AS OccurredAt, {Json.StoredInstant.SqlServerText("RecordedAt")} AS RecordedAt, ActorSubject, ActorRole, ActorAgency, ActorCountry, ActorIssuer, RequestId, ClientAddress, Note, Data, PrevHash, Hash FROM dbo.CaseEvents WHERE CaseId = @CaseId AND Sequence <= @Through ORDER BY Sequence;");
    }
}
