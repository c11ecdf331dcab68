using ExtraditionCases.Application.Abstractions;
using static ExtraditionCases.Application.Features.Reports.ReportSql;

namespace ExtraditionCases.Application.Features.Reports;

public static partial class CaseStays
{
    /// <summary>The writes of <see cref="WriteAsync"/> and the backfill, in both dialects (tables of migration 0014).</summary>
    public static class Sql
    {
        private const string Columns = "CaseId, Sequence, Stage, EnteredAt, LeftAt, Ms, RequestingState, RequestedState, ReceivedAt, Basis, Categories";

        /// <summary>Ends the case's open stay at the step's occurredAt (a case has at most one).</summary>
        public static readonly SqlStatement CloseStay = new(
            Sqlite: $"UPDATE CaseStays SET LeftAt = @At, Ms = {SqliteMilliseconds("EnteredAt", "@At")} WHERE CaseId = @CaseId AND LeftAt IS NULL",
            SqlServer: $"UPDATE dbo.CaseStays SET LeftAt = @At, Ms = {SqlServerMilliseconds("EnteredAt", "@At")} WHERE CaseId = @CaseId AND LeftAt IS NULL;");

        public static readonly SqlStatement OpenStay = new(
            Sqlite: $"INSERT INTO CaseStays ({Columns}) VALUES (@CaseId, @Sequence, @Stage, @At, NULL, NULL, @RequestingState, @RequestedState, @ReceivedAt, @Basis, @Categories)",
            SqlServer: $"INSERT INTO dbo.CaseStays ({Columns}) VALUES (@CaseId, @Sequence, @Stage, @At, NULL, NULL, @RequestingState, @RequestedState, @ReceivedAt, @Basis, @Categories);");

        /// <summary>Filing to surrender: from the CaseFiled event (sequence 1, inserted earlier in this transaction or before) to the step.</summary>
        public static readonly SqlStatement FiledToSurrendered = new(
            Sqlite: $"""
                INSERT INTO CaseStays ({Columns})
                SELECT s.CaseId, @Sequence, '{FilingToSurrender}', fi.OccurredAt, @At, {SqliteMilliseconds("fi.OccurredAt", "@At")},
                       s.RequestingState, s.RequestedState, s.ReceivedAt, s.Basis, s.Categories
                FROM CaseStays s JOIN CaseEvents fi ON fi.CaseId = s.CaseId AND fi.Sequence = 1
                WHERE s.CaseId = @CaseId AND s.Sequence = @Sequence AND s.Stage = 'Surrendered'
                """,
            SqlServer: $"""
                INSERT INTO dbo.CaseStays ({Columns})
                SELECT s.CaseId, @Sequence, N'{FilingToSurrender}', fi.OccurredAt, @At, {SqlServerMilliseconds("fi.OccurredAt", "@At")},
                       s.RequestingState, s.RequestedState, s.ReceivedAt, s.Basis, s.Categories
                FROM dbo.CaseStays s JOIN dbo.CaseEvents fi ON fi.CaseId = s.CaseId AND fi.Sequence = 1
                WHERE s.CaseId = @CaseId AND s.Sequence = @Sequence AND s.Stage = 'Surrendered';
                """);

        /// <summary>The file's filters on every stay of the case, after the file changed.</summary>
        public static readonly SqlStatement SetFileFilters = new(
            Sqlite: "UPDATE CaseStays SET Basis = @Basis, Categories = @Categories WHERE CaseId = @CaseId",
            SqlServer: "UPDATE dbo.CaseStays SET Basis = @Basis, Categories = @Categories WHERE CaseId = @CaseId;");

        public static readonly SqlStatement DeleteCategories = new(
            Sqlite: "DELETE FROM CaseOffenceCategories WHERE CaseId = @CaseId",
            SqlServer: "DELETE FROM dbo.CaseOffenceCategories WHERE CaseId = @CaseId;");

        /// <summary>The file's distinct categories in one statement: @Rows is a JSON array of their names.</summary>
        public static readonly SqlStatement InsertCategories = new(
            Sqlite: "INSERT INTO CaseOffenceCategories (CaseId, Category) SELECT @CaseId, r.value FROM json_each(@Rows) r",
            SqlServer: "INSERT INTO dbo.CaseOffenceCategories (CaseId, Category) SELECT @CaseId, r.Category FROM OPENJSON(@Rows) WITH (Category nvarchar(max) '$') r;");

        /// <summary>
        /// The stays of every case that has none, from its history: each step into a state with the occurredAt of
        /// the case's next step as its end. Migration 0014 runs this very text; so does the benchmark's seeder.
        /// </summary>
        public static readonly SqlStatement BackfillStays = new(
            Sqlite: $"""
                INSERT INTO CaseStays ({Columns})
                SELECT st.CaseId, st.Sequence, st.Stage, st.EnteredAt, st.LeftAt,
                       CASE WHEN st.LeftAt IS NULL THEN NULL ELSE {SqliteMilliseconds("st.EnteredAt", "st.LeftAt")} END,
                       c.RequestingState, c.RequestedState, c.ReceivedAt, json_extract(c.CaseFile, '$.basis'),
                       (SELECT ',' || group_concat(k.Category, ',' ORDER BY k.Category) || ','
                        FROM (SELECT DISTINCT json_extract(oo.value, '$.category') AS Category FROM json_each(c.CaseFile, '$.offences') oo) k)
                FROM (
                    SELECT e.CaseId, e.Sequence, e.ToState AS Stage, e.OccurredAt AS EnteredAt,
                           LEAD(e.OccurredAt) OVER (PARTITION BY e.CaseId ORDER BY e.Sequence) AS LeftAt
                    FROM CaseEvents e WHERE e.ToState IS NOT NULL AND (e.FromState IS NULL OR e.FromState <> e.ToState)
                    UNION ALL
                    SELECT sv.CaseId, sv.Sequence, '{FilingToSurrender}', fi.OccurredAt, sv.OccurredAt
                    FROM CaseEvents sv JOIN CaseEvents fi ON fi.CaseId = sv.CaseId AND fi.Sequence = 1
                    WHERE sv.ToState = 'Surrendered' AND sv.FromState <> 'Surrendered'
                ) st JOIN Cases c ON c.Id = st.CaseId
                WHERE NOT EXISTS (SELECT 1 FROM CaseStays x WHERE x.CaseId = st.CaseId)
                """,
            SqlServer: $"""
                INSERT INTO dbo.CaseStays ({Columns})
                SELECT st.CaseId, st.Sequence, st.Stage, st.EnteredAt, st.LeftAt,
                       CASE WHEN st.LeftAt IS NULL THEN NULL ELSE {SqlServerMilliseconds("st.EnteredAt", "st.LeftAt")} END,
                       c.RequestingState, c.RequestedState, c.ReceivedAt, JSON_VALUE(c.CaseFile, '$.basis'),
                       (SELECT N',' + STRING_AGG(k.Category, N',') WITHIN GROUP (ORDER BY k.Category COLLATE Latin1_General_100_BIN2) + N','
                        FROM (SELECT DISTINCT oo.Category FROM OPENJSON(c.CaseFile, '$.offences') WITH (Category nvarchar(40) '$.category') oo) k)
                FROM (
                    SELECT e.CaseId, e.Sequence, e.ToState AS Stage, e.OccurredAt AS EnteredAt,
                           LEAD(e.OccurredAt) OVER (PARTITION BY e.CaseId ORDER BY e.Sequence) AS LeftAt
                    FROM dbo.CaseEvents e WHERE e.ToState IS NOT NULL AND (e.FromState IS NULL OR e.FromState <> e.ToState)
                    UNION ALL
                    SELECT sv.CaseId, sv.Sequence, N'{FilingToSurrender}', fi.OccurredAt, sv.OccurredAt
                    FROM dbo.CaseEvents sv JOIN dbo.CaseEvents fi ON fi.CaseId = sv.CaseId AND fi.Sequence = 1
                    WHERE sv.ToState = 'Surrendered' AND sv.FromState <> 'Surrendered'
                ) st JOIN dbo.Cases c ON c.Id = st.CaseId
                WHERE NOT EXISTS (SELECT 1 FROM dbo.CaseStays x WHERE x.CaseId = st.CaseId);
                """);

        /// <summary>The offence categories of every case that has none recorded, from its file.</summary>
        public static readonly SqlStatement BackfillCategories = new(
            Sqlite: """
                INSERT INTO CaseOffenceCategories (CaseId, Category)
                SELECT DISTINCT c.Id, json_extract(oo.value, '$.category')
                FROM Cases c JOIN json_each(c.CaseFile, '$.offences') oo
                WHERE json_extract(oo.value, '$.category') IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM CaseOffenceCategories x WHERE x.CaseId = c.Id)
                """,
            SqlServer: """
                INSERT INTO dbo.CaseOffenceCategories (CaseId, Category)
                SELECT DISTINCT c.Id, oo.Category
                FROM dbo.Cases c CROSS APPLY OPENJSON(c.CaseFile, '$.offences') WITH (Category nvarchar(40) '$.category') oo
                WHERE oo.Category IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM dbo.CaseOffenceCategories x WHERE x.CaseId = c.Id);
                """);
    }
}
