-- The API's own login (issue 15): run by the compose `provision` step with sqlcmd, after the migrations
-- created the database and the extradition_service role. Idempotent: a second run only resets the password.
-- Variables come from the environment (sqlcmd scripting variables): SERVICE_DATABASE, SERVICE_LOGIN,
-- SERVICE_PASSWORD (no ' ; or " in it).
SET NOCOUNT ON;
DECLARE @login sysname = N'$(SERVICE_LOGIN)';
DECLARE @password nvarchar(128) = N'$(SERVICE_PASSWORD)';
DECLARE @sql nvarchar(max);

IF SUSER_ID(@login) IS NULL
    SET @sql = N'CREATE LOGIN ' + QUOTENAME(@login) + N' WITH PASSWORD = ' + QUOTENAME(@password, N'''') + N', CHECK_POLICY = ON';
ELSE
    SET @sql = N'ALTER LOGIN ' + QUOTENAME(@login) + N' WITH PASSWORD = ' + QUOTENAME(@password, N'''');
EXEC sys.sp_executesql @sql;
GO

USE [$(SERVICE_DATABASE)];
GO

DECLARE @login sysname = N'$(SERVICE_LOGIN)';
DECLARE @sql nvarchar(max);
IF DATABASE_PRINCIPAL_ID(@login) IS NULL
BEGIN
    SET @sql = N'CREATE USER ' + QUOTENAME(@login) + N' FOR LOGIN ' + QUOTENAME(@login);
    EXEC sys.sp_executesql @sql;
END;
IF IS_ROLEMEMBER(N'extradition_service', @login) = 0
BEGIN
    SET @sql = N'ALTER ROLE extradition_service ADD MEMBER ' + QUOTENAME(@login);
    EXEC sys.sp_executesql @sql;
END;
GO
