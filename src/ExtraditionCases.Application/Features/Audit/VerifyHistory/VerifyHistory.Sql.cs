using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Audit;

public static partial class VerifyHistory
{
    public static class Sql
    {
        public static readonly SqlStatement CaseHead = new(
            Sqlite: "SELECT Version, HeadHash FROM Cases WHERE Id = @CaseId",
            SqlServer: "SELECT Version, HeadHash FROM dbo.Cases WHERE Id = @CaseId;");
    }
}
