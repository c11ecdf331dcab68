using ExtraditionCases.Application.Abstractions;

namespace ExtraditionCases.Application.Features.Documents;

public static partial class GetChecklist
{
    public static class Sql
    {
        /// <summary>The shared register of a case, as the checklist reads it (private documents never count).</summary>
        public static readonly SqlStatement Documents = new(
            Sqlite: "SELECT Id, Kind, Title, Language, TranslationOf, AssuranceKind, Supersedes FROM Documents WHERE CaseId = @CaseId AND PrivateTo IS NULL ORDER BY Sequence",
            SqlServer: "SELECT Id, Kind, Title, Language, TranslationOf, AssuranceKind, Supersedes FROM dbo.Documents WHERE CaseId = @CaseId AND PrivateTo IS NULL ORDER BY Sequence;");
    }
}
