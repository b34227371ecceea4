using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Audit;
using Duban.Server.Tests.Auth;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Security;

/// <summary>The security audit log: what it records, who reads it, and its hash chain (issue 18, decision 044).</summary>
public abstract class AuditLogTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> AuditorAsync()
    {
        var user = await TestUsers.CreateAsync(fixture, Duban.Engine.Directory.Roles.Auditor, unitId: "bgs", displayName: "审计员甲");
        var client = fixture.Factory.NewClient();
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user["userName"]!.GetValue<string>(), password = TestUsers.Password })).EnsureSuccessStatusCode();
        return client;
    }

    private static async Task<List<JsonObject>> EntriesAsync(HttpClient client, string query = "")
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/audit?pageSize=100{query}");
        return page!["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
    }

    [Fact]
    public async Task Administrative_acts_sign_ins_refusals_and_exports_are_recorded_with_who_what_and_the_result()
    {
        var admin = await fixture.As("admin");
        var user = await TestUsers.CreateAsync(fixture, Duban.Engine.Directory.Roles.Liaison);
        var userId = user["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/users/{userId}/reset-password", new { password = "Reset@2026x" })).StatusCode);
        // Refused: the policy's answer is a 400, and the attempt is in the log as 失败.
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/users/{userId}/reset-password", new { password = "Password1" })).StatusCode);
        var guess = fixture.Factory.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await guess.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = "wrong-password" })).StatusCode);
        var ducha = fixture.Factory.NewClient();
        (await ducha.PostAsJsonAsync("/api/auth/login", new { userName = "ducha", password = "Duban@2026" })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await ducha.GetAsync("/api/ledger/export")).StatusCode);

        var auditor = await AuditorAsync();
        var entries = await EntriesAsync(auditor);
        JsonObject One(string action, string result, Func<JsonObject, bool>? also = null) =>
            Assert.Single(entries, e => e["action"]!.GetValue<string>() == action && e["result"]!.GetValue<string>() == result && (also?.Invoke(e) ?? true));

        var added = One("user-add", AuditResults.Succeeded, e => e["subject"]?.GetValue<string>() == user["userName"]!.GetValue<string>()
            || e["subject"]?.GetValue<string>() == userId);
        Assert.Equal("admin", added["userName"]!.GetValue<string>());
        Assert.Equal("新增人员", added["actionName"]!.GetValue<string>());
        One("user-reset-password", AuditResults.Succeeded, e => e["subject"]!.GetValue<string>() == userId);
        var refused = One("user-reset-password", AuditResults.Failed, e => e["subject"]!.GetValue<string>() == userId);
        Assert.Contains("重置密码", refused["description"]!.GetValue<string>());
        // (The test server has no client address; a real one records it.)
        One(AuditedOperations.SignIn, AuditResults.Failed, e => e["userName"]?.GetValue<string>() == "admin");
        Assert.Contains(entries, e => e["action"]!.GetValue<string>() == AuditedOperations.SignIn && e["result"]!.GetValue<string>() == AuditResults.Succeeded
            && e["userName"]!.GetValue<string>() == "ducha");
        One(AuditedOperations.Export, AuditResults.Succeeded, e => e["userName"]!.GetValue<string>() == "ducha");
        // Every row read has its place in the chain.
        Assert.All(entries, e => Assert.NotNull(e["sequence"]));

        // Filters narrow it.
        var onlyFailures = await EntriesAsync(auditor, "&result=" + Uri.EscapeDataString(AuditResults.Failed));
        Assert.NotEmpty(onlyFailures);
        Assert.All(onlyFailures, e => Assert.Equal(AuditResults.Failed, e["result"]!.GetValue<string>()));

        // The export is an .xlsx, and is itself recorded.
        var export = await auditor.GetAsync("/api/audit/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.Content.Headers.ContentType!.MediaType);
        Assert.Contains(await EntriesAsync(auditor), e => e["action"]!.GetValue<string>() == AuditedOperations.Export
            && e["description"]!.GetValue<string>().Contains("安全审计日志", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_the_auditor_reads_it_the_administrator_whose_acts_it_records_does_not()
    {
        foreach (var name in new[] { "admin", "ducha", "lingdao", "fazhi" })
        {
            var client = await fixture.As(name);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit/verify")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/audit/export")).StatusCode);
        }
        // The platform administrator reads the platform's rows only: no organization's acts.
        var platform = fixture.Factory.NewClient();
        (await platform.PostAsJsonAsync("/api/auth/login", new { userName = "platform", password = "Duban@2026" })).EnsureSuccessStatusCode();
        var rows = await EntriesAsync(platform);
        Assert.DoesNotContain(rows, e => e["userName"]?.GetValue<string>() is "admin" or "ducha");
        Assert.Contains(rows, e => e["userName"]?.GetValue<string>() == "platform" && e["action"]!.GetValue<string>() == AuditedOperations.SignIn);
    }

    [Fact]
    public async Task An_auditor_in_a_handling_unit_reads_none_of_its_items()
    {
        // An item 法制处 takes part in: registered, approved, given to the unit.
        var item = await Infrastructure.Api.StartAsync(await fixture.As("ducha"), "demo-supervision", Infrastructure.Api.DemoStartData("fzc"));
        var lingdao = await fixture.As("lingdao");
        await Infrastructure.Api.CompleteOkAsync(lingdao, await Infrastructure.Api.TaskOfAsync(lingdao, item), "同意");
        var fazhi = await fixture.As("fazhi");
        var unitItems = (await fazhi.GetFromJsonAsync<JsonObject>("/api/ledger"))!["total"]!.GetValue<int>();
        Assert.True(unitItems > 0, "法制处 takes part in demo items");
        var user = await TestUsers.CreateAsync(fixture, Duban.Engine.Directory.Roles.Auditor, unitId: "fzc", displayName: "法制处审计员");
        var auditor = fixture.Factory.NewClient();
        (await auditor.PostAsJsonAsync("/api/auth/login", new { userName = user["userName"]!.GetValue<string>(), password = TestUsers.Password })).EnsureSuccessStatusCode();
        Assert.Equal(0, (await auditor.GetFromJsonAsync<JsonObject>("/api/ledger"))!["total"]!.GetValue<int>());
        Assert.Empty((await auditor.GetFromJsonAsync<JsonObject>("/api/tasks?box=todo"))!["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/audit")).StatusCode);
    }

    [Fact]
    public async Task The_chain_is_intact_and_an_edited_or_removed_row_is_found()
    {
        for (var i = 0; i < 3; i++) await TestUsers.CreateAsync(fixture, Duban.Engine.Directory.Roles.Liaison);
        var auditor = await AuditorAsync();
        var verification = await auditor.GetFromJsonAsync<JsonObject>("/api/audit/verify");
        Assert.True(verification!["intact"]!.GetValue<bool>(), verification.ToJsonString());
        var count = verification["sealed"]!.GetValue<long>();
        Assert.True(count >= 6, verification.ToJsonString());

        var victim = await fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<Duban.Data.DubanDbContext>().Set<AuditRecord>()
            .Where(r => r.Action == "user-add").OrderBy(r => r.Sequence).Select(r => r.Sequence!.Value).FirstAsync());
        // The database itself refuses to change or remove a sealed row (decision 046's triggers) …
        Assert.False(await TamperAsync($"UPDATE \"AuditLog\" SET \"Description\" = '（已篡改）' WHERE \"Sequence\" = {victim}", bypass: false));
        Assert.False(await TamperAsync($"DELETE FROM \"AuditLog\" WHERE \"Sequence\" = {victim}", bypass: false));
        verification = await auditor.GetFromJsonAsync<JsonObject>("/api/audit/verify");
        Assert.True(verification!["intact"]!.GetValue<bool>(), verification.ToJsonString());

        // … so someone with the owner's rights turns the triggers off and changes one row's description:
        Assert.True(await TamperAsync($"UPDATE \"AuditLog\" SET \"Description\" = '（已篡改）' WHERE \"Sequence\" = {victim}", bypass: true));
        verification = await auditor.GetFromJsonAsync<JsonObject>("/api/audit/verify");
        Assert.False(verification!["intact"]!.GetValue<bool>());
        Assert.Equal(victim, verification["brokenAt"]!.GetValue<long>());

        // … or removes it and rehashes nothing: the gap is found.
        Assert.True(await TamperAsync($"DELETE FROM \"AuditLog\" WHERE \"Sequence\" = {victim}", bypass: true));
        verification = await auditor.GetFromJsonAsync<JsonObject>("/api/audit/verify");
        Assert.False(verification!["intact"]!.GetValue<bool>());
        Assert.Equal(victim, verification["brokenAt"]!.GetValue<long>());
        Assert.Contains("缺失", verification["reason"]!.GetValue<string>());
    }

    /// <summary>
    /// Runs a change on the audit table as the database's owner would: with <paramref name="bypass"/>, the triggers off first
    /// (PostgreSQL's replica mode; SQLite's dropped — the next reset makes them again). False when the database refused it.
    /// </summary>
    private Task<bool> TamperAsync(string sql, bool bypass) => fixture.Factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<Duban.Data.DubanDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync();
        try
        {
            if (bypass && db.Database.ProviderName!.Contains("Npgsql", StringComparison.Ordinal))
                await db.Database.ExecuteSqlRawAsync("SET LOCAL session_replication_role = replica");
            else if (bypass)
                await db.Database.ExecuteSqlRawAsync("DROP TRIGGER IF EXISTS \"AuditLog_sealed_no_update\"; DROP TRIGGER IF EXISTS \"AuditLog_sealed_no_delete\"");
            var changed = await db.Database.ExecuteSqlRawAsync(sql);
            await transaction.CommitAsync();
            return changed == 1;
        }
        catch (System.Data.Common.DbException)
        {
            return false;
        }
    });
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteAuditLogTests(SqliteFixture fixture) : AuditLogTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresAuditLogTests(PostgresFixture fixture) : AuditLogTests<PostgresFixture>(fixture);
