using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using ExtraditionCases.Application;
using ExtraditionCases.Application.Abstractions;
using ExtraditionCases.Application.History;
using ExtraditionCases.Application.Json;
using ExtraditionCases.Domain.Cases;
using ExtraditionCases.Domain.Deadlines;
using ExtraditionCases.Domain.Workflow;
using ExtraditionCases.Infrastructure;
using ExtraditionCases.Infrastructure.Persistence;
using ExtraditionCases.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace ExtraditionCases.Tests.Persistence;

/// <summary>
/// What every repository contract fixture shares. A fixture runs once per provider at hand: SQLite
/// always, with a fresh file per test; SQL Server when <see cref="SqlServerTestDatabase.Variable"/> names a
/// server, with one migrated database per fixture (so tests on SQL Server share it, and keep to countries,
/// subjects, keys or instants of their own). Services are the real registrations, built per test. Every
/// database is watched by the <see cref="StatementLedger"/> for <see cref="StatementCoverageTests"/>.
/// </summary>
/// <remarks>
/// Contract fixtures carry <c>[Order(ContractOrder.Fixtures)]</c> so that the coverage check, ordered
/// after them, sees what they ran.
/// </remarks>
public abstract class ProviderContractTests(DatabaseProvider provider)
{
    public static readonly DatabaseProvider[] Providers = [DatabaseProvider.Sqlite, DatabaseProvider.SqlServer];

    // Milliseconds on purpose: instants are kept to the millisecond on both providers.
    protected static readonly DateTimeOffset Now = new(2026, 11, 20, 10, 0, 0, 123, TimeSpan.Zero);
    protected static readonly DateTimeOffset ReceivedAt = new(2026, 8, 1, 14, 30, 0, 250, TimeSpan.FromHours(5));
    protected static readonly Caller Officer = new("officer-1-PK", Caller.Officer, "PK", "وزارت داخلہ", "https://login.moi.gov.pk/realms/cases");
    protected static readonly RequestSource Source = new("req-0001", "203.0.113.7");
    protected static readonly DeadlineOptions Deadlines = new();

    private SqlServerTestDatabase? _server;
    private TemporarySqliteDatabase? _sqlite;
    private ServiceProvider? _services;
    private bool _ran;

    protected DatabaseProvider Provider => provider;

    protected DatabaseOptions Options { get; private set; } = null!;

    protected ServiceProvider Services => _services ?? throw new InvalidOperationException("Services are built per test.");

    [OneTimeSetUp]
    public async Task CreateTheServerDatabase()
    {
        if (provider != DatabaseProvider.SqlServer) return;
        if (SqlServerTestDatabase.ServerConnectionString is not { } server)
        {
            Assert.Ignore($"SQL Server lane not run: set {SqlServerTestDatabase.Variable} to a server's connection string (docs/sqlserver.md).");
            return;
        }

        _server = await SqlServerTestDatabase.CreateMigratedAsync(server);
        StatementLedger.Watch(_server.Options);
    }

    [OneTimeTearDown]
    public async Task DropTheServerDatabase()
    {
        if (_ran) StatementLedger.FixtureFinished(GetType(), provider);
        if (_server is not null) await _server.DisposeAsync();
    }

    [SetUp]
    public void BuildTheServices()
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            // Hooks first: the migrator's connection stays pooled and is the one the stores reuse.
            StatementLedger.Install();
            _sqlite = TemporarySqliteDatabase.CreateMigrated();
            StatementLedger.Watch(_sqlite.Options);
            Options = _sqlite.Options;
        }
        else
        {
            Options = _server!.Options;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Deadlines);
        services.AddApplication();
        services.AddInfrastructure(Options);
        AddServices(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        _ran = true;
    }

    /// <summary>A fixture's own registrations, beside the real ones.</summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    [TearDown]
    public async Task DisposeTheServices()
    {
        if (_services is not null) await _services.DisposeAsync();
        _services = null;
        _sqlite?.Dispose();
        _sqlite = null;
    }

    /// <summary>A request's worth of services: its own connection and, once begun, its one transaction.</summary>
    protected Session Open() => new(Services.CreateAsyncScope());

    /// <summary>Files a new case in one transaction, the way FileCase does; it may be stored with <paramref name="clocks"/> already running.</summary>
    protected async Task<(ExtraditionCase Case, CaseEvent Event)> FileAsync(
        CaseFile file, DateTimeOffset now, IEnumerable<Deadline>? clocks = null, Caller? by = null)
    {
        await using var session = Open();
        await session.Database.BeginAsync(CancellationToken.None);
        var number = await session.Store.NextReferenceNumberAsync(CancellationToken.None);
        var filed = ExtraditionCase.FileNew(Guid.CreateVersion7(now), $"EXT-{now.Year}-{number:D6}", file, ReceivedAt, now,
            Deadlines.RulesFor(file.RequestingState, file.RequestedState));
        var change = filed.Changes[0];
        // The case's clocks change only through its steps: a case stored with clocks is restored with them.
        if (clocks is not null)
        {
            filed = ExtraditionCase.Restore(filed.Id, filed.Reference, file, filed.State, filed.StateSince, filed.Version, filed.ReceivedAt,
                filed.CreatedAt, filed.UpdatedAt, filed.Facts, clocks, Deadlines.RulesFor(file.RequestingState, file.RequestedState));
        }

        var data = JsonSerializer.SerializeToNode(file, CaseJson.Options)!.AsObject();
        var filedEvent = CaseEvent.Create(change, filed.Version, now, by ?? Officer, Source, data, CaseEvent.GenesisHash);
        await session.Store.AddAsync(filed, [filedEvent], CancellationToken.None);
        await session.Database.CommitAsync(CancellationToken.None);
        return (filed, filedEvent);
    }

    /// <summary>Loads, changes and saves a case in one transaction, the way a command handler does.</summary>
    protected async Task<IReadOnlyList<CaseEvent>> SaveAsync(
        Guid id, Action<ExtraditionCase> change, DateTimeOffset now, Caller? by = null, JsonObject? data = null, RequestSource? source = null)
    {
        await using var session = Open();
        await session.Database.BeginAsync(CancellationToken.None);
        var loaded = (await session.Store.FindAsync(id, CancellationToken.None))!;
        var expectedVersion = loaded.Case.Version;
        change(loaded.Case);
        var events = EventsFor(loaded, now, by, data, source);
        await session.Store.SaveAsync(loaded.Case, expectedVersion, events, CancellationToken.None);
        await session.Database.CommitAsync(CancellationToken.None);
        return events;
    }

    /// <summary>One event per recorded change, numbered by version and chained from the loaded head.</summary>
    protected static List<CaseEvent> EventsFor(
        LoadedCase loaded, DateTimeOffset now, Caller? by = null, JsonObject? data = null, RequestSource? source = null)
    {
        var changed = loaded.Case;
        var events = new List<CaseEvent>();
        var sequence = changed.Version - changed.Changes.Count;
        foreach (var change in changed.Changes)
        {
            var eventData = data?.DeepClone().AsObject() ?? JsonSerializer.SerializeToNode(changed.File, CaseJson.Options)!.AsObject();
            events.Add(CaseEvent.Create(change, ++sequence, now, by ?? Officer, source ?? Source, eventData, events.Count == 0 ? loaded.HeadHash : events[^1].Hash));
        }

        return events;
    }

    protected static void ProvisionalArrest(ExtraditionCase c, DateTimeOffset occurredAt) =>
        c.Fire(WorkflowTrigger.ProvisionalArrest, new TransitionContext(occurredAt, "اعتقال مؤقت في مطار هيثرو", TriggerData.Empty),
            CaseSide.Requested, occurredAt.AddMinutes(1));

    /// <summary>Reads with plain Dapper on a connection of its own: what is stored, whatever the store under test says.</summary>
    protected async Task<List<T>> QueryAsync<T>(string sql, object? parameters = null)
    {
        await using var connection = await ConnectionFactory.OpenAsync(Options, CancellationToken.None);
        return [.. await connection.QueryAsync<T>(sql, parameters)];
    }

    /// <summary>The provider's spelling of a statement written for SQLite: schema-qualified for SQL Server.</summary>
    protected string Sql(string sqlite, string sqlServer) => provider == DatabaseProvider.SqlServer ? sqlServer : sqlite;

    protected static CaseFile CaseFileFor(string fullName, string requesting, string requested) => new()
    {
        RequestingState = requesting,
        RequestedState = requested,
        Basis = LegalBasis.Treaty,
        Category = CaseCategory.Accusation,
        RequestingAuthority = "وزارت داخلہ، اسلام آباد",
        Person = new Person
        {
            FullName = fullName,
            Aliases = [Cases.ArabicName, "Mohsin Ali", "محسن"],
            DateOfBirth = new DateOnly(1980, 2, 29),
            PlaceOfBirth = "لاہور",
            Nationality = requesting,
            Names =
            [
                new PersonName { Text = fullName, Script = "Arab", Language = "ur", Kind = NameKind.Primary },
                new PersonName { Text = "Mohsin Ali", Script = "Latn", Language = "ur-Latn", Kind = NameKind.Transliteration },
                new PersonName { Text = "Мохсин Али", Script = "Cyrl", Kind = NameKind.Alias },
            ],
            IdentityDocuments =
            [
                new IdentityDocument { Kind = IdentityDocumentKind.NationalIdentityCard, Number = "35202-1234567-1", IssuingCountry = "PK" },
                new IdentityDocument { Kind = IdentityDocumentKind.Passport, Number = "AB1234567", IssuingCountry = "PK", ExpiresOn = new DateOnly(2030, 5, 31) },
            ],
            LastKnownLocation = new Location { Place = "Bradford", Country = "GB", AsOf = new DateOnly(2026, 7, 1) },
            Custody = new Custody { Status = CustodyStatus.OnBail, Since = new DateOnly(2026, 8, 10), Place = "Westminster Magistrates' Court" },
        },
        Assurances = [new Assurance { Kind = AssuranceKind.Speciality, Reference = "MOI-ASSUR-7", GivenOn = new DateOnly(2026, 7, 20), GivenBy = "وزارت داخلہ" }],
        DomesticWarrants = [new DomesticWarrant { Kind = DomesticWarrantKind.Section73, Reference = "WMC-73-1", IssuedBy = "Westminster Magistrates' Court", IssuedOn = new DateOnly(2026, 8, 9) }],
        Hearings = [new Hearing { Court = "Westminster Magistrates' Court", At = new DateTimeOffset(2026, 8, 10, 10, 0, 0, TimeSpan.Zero), Purpose = "Initial hearing", Outcome = "Bail granted" }],
        DomesticProceedings = [new DomesticProceeding { Kind = DomesticProceedingKind.Charge, Description = "Fraud by false representation", Court = "Bradford Crown Court", Since = new DateOnly(2026, 3, 1) }],
        Surrender = new SurrenderArrangements { Place = "Heathrow", Escort = "NCA" },
        Offences =
        [
            new Offence
            {
                Description = "Money laundering", Statute = "Anti-Money Laundering Act 2010 s.3",
                Category = OffenceCategory.MoneyLaundering, MaxPenaltyMonths = 120, DeathPenalty = false,
            },
            new Offence { Description = "تمويل الإرهاب", Statute = "ATA 1997 s.11-N", Category = OffenceCategory.TerrorismFinancing, MaxPenaltyMonths = 240, DeathPenalty = false },
        ],
        Warrant = new Warrant { Reference = "ATC-ISB-2026-17", IssuedBy = "Anti-Terrorism Court Islamabad", IssuedOn = new DateOnly(2026, 1, 15) },
    };

    protected sealed class Session(AsyncServiceScope scope) : IAsyncDisposable
    {
        public DatabaseSession Database { get; } = scope.ServiceProvider.GetRequiredService<DatabaseSession>();

        public ICaseStore Store => Get<ICaseStore>();

        public T Get<T>() where T : notnull => scope.ServiceProvider.GetRequiredService<T>();

        public ValueTask DisposeAsync() => scope.DisposeAsync();
    }
}

/// <summary>The contract fixtures first, then the check of what they ran (NUnit runs ordered fixtures first, by order).</summary>
public static class ContractOrder
{
    public const int Fixtures = 1;
    public const int Coverage = 2;
}
