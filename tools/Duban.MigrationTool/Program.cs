// Adds an EF Core migration for both providers. The dotnet-ef tool is not in our package registry, so this
// small program drives EF's design-time services directly.
//
//   dotnet run --project tools/Duban.MigrationTool -- add <MigrationName>
//
// It writes src/Duban.Data/Migrations/Sqlite/* and src/Duban.Data/Migrations/Postgres/*. Review and commit both.
#pragma warning disable EF1001 // provider design-time services live in .Internal namespaces
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

if (args is not ["add", var name])
{
    Console.Error.WriteLine("usage: dotnet run --project tools/Duban.MigrationTool -- add <MigrationName>");
    return 2;
}

var projectDir = FindProjectDir();
Scaffold(
    new SqliteDubanDbContext(new DbContextOptionsBuilder<SqliteDubanDbContext>().UseSqlite("Data Source=:memory:").Options),
    new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices(),
    "Sqlite");
Scaffold(
    new PostgresDubanDbContext(new DbContextOptionsBuilder<PostgresDubanDbContext>().UseNpgsql("Host=localhost").Options),
    new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices(),
    "Postgres");
return 0;

void Scaffold(DubanDbContext context, IDesignTimeServices providerServices, string folder)
{
    using (context)
    {
        var services = new ServiceCollection();
        services.AddEntityFrameworkDesignTimeServices();
        services.AddDbContextDesignTimeServices(context);
        providerServices.ConfigureDesignTimeServices(services);
        using var provider = services.BuildServiceProvider();
        var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
        var migration = scaffolder.ScaffoldMigration(name, "Duban.Data", $"Migrations.{folder}", "C#");
        var files = scaffolder.Save(projectDir, migration, Path.Combine(projectDir, "Migrations", folder));
        Console.WriteLine($"{folder}: {files.MigrationFile}");
    }
}

static string FindProjectDir()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Duban.slnx")))
            return Path.Combine(dir.FullName, "src", "Duban.Data");
    throw new InvalidOperationException("Run this from inside the Duban repository.");
}
