using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Audit;
using Duban.Server.Tests.Auth;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Roles = Duban.Engine.Directory.Roles;

namespace Duban.Server.Tests.Security;

/// <summary>The second factor: enrol, sign in with a code, no replay, recovery codes, the policy per role, reset (decision 046).</summary>
public abstract class SecondFactorTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string Code(string secret, int stepsAhead = 0) =>
        new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(DateTime.UtcNow.AddSeconds(30 * stepsAhead));

    private static string UserName(JsonObject user) => user["userName"]!.GetValue<string>();

    /// <summary>Enrols the signed-in client: the secret and the recovery codes.</summary>
    private static async Task<(string Secret, List<string> RecoveryCodes)> EnrolAsync(HttpClient client)
    {
        var setup = (await (await client.PostAsync("/api/auth/second-factor/setup", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        var secret = setup["secret"]!.GetValue<string>();
        Assert.StartsWith("otpauth://totp/", setup["uri"]!.GetValue<string>());
        Assert.Contains($"secret={secret}", setup["uri"]!.GetValue<string>());
        var confirmed = await client.PostAsJsonAsync("/api/auth/second-factor/confirm", new { code = Code(secret) });
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync());
        var codes = (await confirmed.Content.ReadFromJsonAsync<JsonObject>())!["recoveryCodes"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        return (secret, codes);
    }

    private async Task<(HttpClient Client, HttpResponseMessage Answer)> PasswordStepAsync(JsonObject user)
    {
        var client = fixture.Factory.NewClient();
        var answer = await client.PostAsJsonAsync("/api/auth/login", new { userName = UserName(user), password = TestUsers.Password });
        return (client, answer);
    }

    private async Task<List<AuditRecord>> AuditOfAsync(string userId) =>
        await fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<Duban.Data.DubanDbContext>().Set<AuditRecord>().AsNoTracking()
            .Where(r => r.UserId == userId || r.Subject == userId).OrderBy(r => r.Id).ToListAsync());

    [Fact]
    public async Task Enrolled_person_signs_in_with_a_code_that_cannot_be_replayed_or_with_a_recovery_code_once()
    {
        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        var own = await TestUsers.SignInAsync(fixture, user);
        Assert.False((await own.GetFromJsonAsync<JsonObject>("/api/auth/second-factor"))!["enabled"]!.GetValue<bool>());

        // A wrong code does not enrol.
        var secretOnly = (await (await own.PostAsync("/api/auth/second-factor/setup", null)).Content.ReadFromJsonAsync<JsonObject>())!["secret"]!.GetValue<string>();
        var wrong = await own.PostAsJsonAsync("/api/auth/second-factor/confirm", new { code = Code(secretOnly) == "000000" ? "111111" : "000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("code", await wrong.Content.ReadAsStringAsync());
        Assert.False((await own.GetFromJsonAsync<JsonObject>("/api/auth/second-factor"))!["enabled"]!.GetValue<bool>());

        var (secret, recovery) = await EnrolAsync(own);
        Assert.Equal(10, recovery.Distinct().Count());
        var status = (await own.GetFromJsonAsync<JsonObject>("/api/auth/second-factor"))!;
        Assert.True(status["enabled"]!.GetValue<bool>());
        Assert.Equal(10, status["recoveryCodesLeft"]!.GetValue<int>());
        Assert.True((await TestUsers.ListedAsync(fixture, user["id"]!.GetValue<string>()))["secondFactor"]!.GetValue<bool>());

        // The password alone opens nothing.
        var (browser, answer) = await PasswordStepAsync(user);
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.True((await answer.Content.ReadFromJsonAsync<JsonObject>())!["secondFactorRequired"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/tasks")).StatusCode);
        // The code that enrolled (its step is used) is not accepted again; the next one is.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/api/auth/login/second-factor", new { code = Code(secret) })).StatusCode);
        var next = Code(secret, 1);
        var signedIn = await browser.PostAsJsonAsync("/api/auth/login/second-factor", new { code = next });
        Assert.True(signedIn.StatusCode == HttpStatusCode.OK, await signedIn.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/tasks")).StatusCode);

        // Replayed from another browser within its window: refused.
        var (thief, _) = await PasswordStepAsync(user);
        Assert.Equal(HttpStatusCode.Unauthorized, (await thief.PostAsJsonAsync("/api/auth/login/second-factor", new { code = next })).StatusCode);
        // A recovery code works once.
        Assert.Equal(HttpStatusCode.OK, (await thief.PostAsJsonAsync("/api/auth/login/second-factor", new { code = recovery[3].ToUpperInvariant() })).StatusCode);
        var (again, _) = await PasswordStepAsync(user);
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.PostAsJsonAsync("/api/auth/login/second-factor", new { code = recovery[3] })).StatusCode);
        Assert.Equal(9, (await own.GetFromJsonAsync<JsonObject>("/api/auth/second-factor"))!["recoveryCodesLeft"]!.GetValue<int>());
        // No code step without the password step.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await fixture.Factory.NewClient().PostAsJsonAsync("/api/auth/login/second-factor", new { code = Code(secret) })).StatusCode);

        var audit = await AuditOfAsync(user["id"]!.GetValue<string>());
        Assert.Contains(audit, r => r.Action == "second-factor-enrol" && r.Result == AuditResults.Succeeded);
        Assert.Contains(audit, r => r.Action == "sign-in" && r.Description == "登录成功（未使用两步验证）");
        Assert.Contains(audit, r => r.Action == "sign-in" && r.Description == "登录成功（两步验证：动态口令）");
        Assert.Contains(audit, r => r.Action == "sign-in" && r.Description == "登录成功（两步验证：恢复码）");
        Assert.Contains(audit, r => r.Action == "sign-in" && r.Description == "登录失败：动态口令错误或已使用" && r.Result == AuditResults.Failed);

        // Turned off with password and a fresh code; then the password alone signs in again.
        var badOff = await own.PostAsJsonAsync("/api/auth/second-factor/disable", new { password = "wrong-Pass1", code = Code(secret, 1) });
        Assert.Equal(HttpStatusCode.BadRequest, badOff.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await own.PostAsJsonAsync("/api/auth/second-factor/disable", new { password = TestUsers.Password, code = Code(secret) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PasswordStepAsync(user)).Answer.StatusCode);
    }

    [Fact]
    public async Task Wrong_codes_are_throttled_per_account()
    {
        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        var (secret, _) = await EnrolAsync(await TestUsers.SignInAsync(fixture, user));
        var (browser, _) = await PasswordStepAsync(user);
        var wrong = Code(secret, 1) == "123456" ? "654321" : "123456";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await browser.PostAsJsonAsync("/api/auth/login/second-factor", new { code = wrong })).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        // Even the right code waits out the window.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await browser.PostAsJsonAsync("/api/auth/login/second-factor", new { code = Code(secret, 1) })).StatusCode);
    }

    [Fact]
    public async Task A_role_the_policy_names_enrols_before_anything_else_cannot_turn_it_off_and_an_administrator_can_reset_it()
    {
        var admin = await fixture.As("admin");
        // Only the administrator sets the policy, and only with roles that exist.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("ducha")).PutAsJsonAsync("/api/security-policy", new { secondFactorRoles = new[] { Roles.Auditor } })).StatusCode);
        var unknown = await admin.PutAsJsonAsync("/api/security-policy", new { secondFactorRoles = new[] { "不存在的角色" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("secondFactorRoles", await unknown.Content.ReadAsStringAsync());
        var saved = await admin.PutAsJsonAsync("/api/security-policy", new { secondFactorRoles = new[] { Roles.Auditor } });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal([Roles.Auditor], (await admin.GetFromJsonAsync<JsonObject>("/api/security-policy"))!["secondFactorRoles"]!.AsArray().Select(r => r!.GetValue<string>()));

        var auditorUser = await TestUsers.CreateAsync(fixture, Roles.Auditor);
        var auditor = await TestUsers.SignInAsync(fixture, auditorUser);
        var refused = await auditor.GetAsync("/api/audit");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("两步验证", await refused.Content.ReadAsStringAsync());
        Assert.True((await auditor.GetFromJsonAsync<JsonObject>("/api/auth/second-factor"))!["enrolmentRequired"]!.GetValue<bool>());
        // Another role is not held to it.
        Assert.Equal(HttpStatusCode.OK, (await (await fixture.As("ducha")).GetAsync("/api/tasks")).StatusCode);

        var (secret, _) = await EnrolAsync(auditor);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/audit")).StatusCode);
        var off = await auditor.PostAsJsonAsync("/api/auth/second-factor/disable", new { password = TestUsers.Password, code = Code(secret, 1) });
        Assert.Equal(HttpStatusCode.BadRequest, off.StatusCode);
        Assert.Contains("不能关闭", await off.Content.ReadAsStringAsync());

        // Lost phone: the administrator resets it; the person's sessions end and he enrols again.
        var id = auditorUser["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/users/{id}/second-factor/reset", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await auditor.GetAsync("/api/auth/me")).StatusCode);
        var (fresh, answer) = await PasswordStepAsync(auditorUser);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fresh.GetAsync("/api/audit")).StatusCode);
        // Another organization's administrator cannot reach him (he does not exist there).
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync("/api/users/nobody-here/second-factor/reset", null)).StatusCode);

        var audit = await AuditOfAsync(id);
        Assert.Contains(audit, r => r.Action == "second-factor-reset" && r.Subject == id && r.UserName == "admin");
        Assert.Contains(audit, r => r.Action == "second-factor-disable" && r.Result == AuditResults.Failed);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteSecondFactorTests(SqliteFixture fixture) : SecondFactorTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresSecondFactorTests(PostgresFixture fixture) : SecondFactorTests<PostgresFixture>(fixture);
