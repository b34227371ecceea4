using Duban.Data.Attachments;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Security;
using Duban.Data.Tasks;
using Duban.Data.Timers;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Duban.Data;

/// <summary>
/// Duban's database. The provider-specific subclasses below exist so each provider has its own committed
/// migrations; the application always asks for <see cref="DubanDbContext"/>.
/// </summary>
public abstract class DubanDbContext(DbContextOptions options) : IdentityDbContext<DubanUser>(options)
{
    public DbSet<DefinitionRecord> Definitions => Set<DefinitionRecord>();
    public DbSet<InstanceRecord> Instances => Set<InstanceRecord>();
    public DbSet<InstanceUnitRecord> InstanceUnits => Set<InstanceUnitRecord>();
    public DbSet<ItemReaderRecord> ItemReaders => Set<ItemReaderRecord>();
    public DbSet<JournalEntryRecord> Journal => Set<JournalEntryRecord>();
    public DbSet<TaskRecord> Tasks => Set<TaskRecord>();
    public DbSet<TimerRecord> Timers => Set<TimerRecord>();
    public DbSet<UnitRecord> Units => Set<UnitRecord>();
    public DbSet<DataProtectionKeyRecord> DataProtectionKeys => Set<DataProtectionKeyRecord>();
    public DbSet<AttachmentRecord> Attachments => Set<AttachmentRecord>();

    public abstract bool IsPostgres { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(DubanDbContext).Assembly);
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            var token = entity.FindProperty("ConcurrencyToken");
            if (token is null) continue;
            var property = builder.Entity(entity.ClrType).Property<uint>("ConcurrencyToken");
            if (IsPostgres) property.IsRowVersion(); // maps to the xmin system column
            else property.IsConcurrencyToken();
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpConcurrencyTokens();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateException e) when (IsRowChanged(e))
        {
            throw new DbUpdateConcurrencyException(e.InnerException!.Message, e);
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // The item rows' deadline columns follow their steps on every save, the write door's or any other (decision 042).
        await Writes.ItemDeadlines.RefreshAsync(this, cancellationToken);
        Writes.ClosedItems.QueueCompaction(this);
        BumpConcurrencyTokens();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        catch (DbUpdateException e) when (IsRowChanged(e))
        {
            throw new DbUpdateConcurrencyException(e.InnerException!.Message, e);
        }
    }

    /// <summary>PostgreSQL found a checked row changed by another transaction (<see cref="Storage.CheckedUpdateSqlGenerator"/>):
    /// the same conflict EF Core reports when it counts the rows itself, so callers see one exception type.</summary>
    private static bool IsRowChanged(DbUpdateException e) =>
        e is not DbUpdateConcurrencyException
        && e.InnerException is Npgsql.PostgresException { SqlState: Storage.CheckedUpdateSqlGenerator.RowChangedSqlState };

    /// <summary>On SQLite the token is an ordinary column: every update moves it on, and the WHERE clause checks the old value.</summary>
    private void BumpConcurrencyTokens()
    {
        if (IsPostgres) return;
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Modified) continue;
            var token = entry.Metadata.FindProperty("ConcurrencyToken");
            if (token is null) continue;
            var property = entry.Property(token.Name);
            property.CurrentValue = (uint)property.OriginalValue! + 1;
        }
    }
}

public sealed class SqliteDubanDbContext(DbContextOptions<SqliteDubanDbContext> options) : DubanDbContext(options)
{
    public override bool IsPostgres => false;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no date-time type EF can compare or sort; UTC ticks in an integer column can.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    /// <summary>Stores the instant as UTC ticks, so values written with different offsets still compare correctly.</summary>
    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}

public sealed class PostgresDubanDbContext(DbContextOptions<PostgresDubanDbContext> options) : DubanDbContext(options)
{
    public override bool IsPostgres => true;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        ReadModel.PostgresSearch.Configure(builder);
    }
}
