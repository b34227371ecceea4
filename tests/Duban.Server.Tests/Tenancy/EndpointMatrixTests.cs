using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Tenancy;

/// <summary>
/// Every operation of the live OpenAPI document, called by every role of the other organization and by the platform
/// administrator with the demo organization's ids in its path (decision 035). A new endpoint is probed without anyone
/// writing a line here — unless its path names something this table has no value for, which fails the test until one is
/// added. Nothing answered may carry the demo organization's data, nothing may answer 5xx, a path naming one of its
/// objects must be refused, and after all of it the demo organization's rows are exactly as they were.
/// </summary>
public abstract class EndpointMatrixTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TwoOrganizationsFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The callers from outside the demo organization: each role of the other one, and the platform administrator.</summary>
    private static readonly string[] Outsiders = ["gov-admin", "gov-ducha", "gov-lingdao", "gov-nj", "platform"];

    /// <summary>Not probed, and why.</summary>
    private static readonly Dictionary<string, string> NotProbed = new()
    {
        ["POST /api/auth/login"] = "signs in; anonymous",
        ["POST /api/auth/logout"] = "would end the caller's own session",
        ["POST /api/clock/advance"] = "the installation's test clock (refused in production), not an organization's data",
        ["GET /api/public/feedback/{token}"] = "anonymous, by an unguessable token",
        ["POST /api/public/feedback/{token}"] = "anonymous, by an unguessable token",
    };

    [Fact]
    public async Task No_one_outside_an_organization_reads_or_changes_anything_of_it_through_any_endpoint()
    {
        var samples = await SamplesAsync();
        var before = await FingerprintAsync();
        var document = (await fixture.Anonymous().GetFromJsonAsync<JsonObject>("/api/openapi/v1.json"))!;
        var faults = new List<string>();
        var probed = 0;
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, _) in item!.AsObject())
            {
                if (method == "parameters") continue;
                var name = $"{method.ToUpperInvariant()} {path}";
                if (NotProbed.ContainsKey(name)) continue;
                var (url, namesObject) = Fill(path, samples, faults);
                if (url is null) continue;
                probed++;
                foreach (var user in Outsiders)
                {
                    var client = await fixture.As(user);
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                    if (method is "post" or "put" or "patch") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    using var response = await client.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    var status = (int)response.StatusCode;
                    if (status >= 500) faults.Add($"{name} as {user}: {status}");
                    else if (namesObject && response.IsSuccessStatusCode) faults.Add($"{name} as {user}: {status} for the demo organization's object");
                    foreach (var marker in samples.Markers)
                        // The platform administrator's list of organizations names them: that, and only that, is his to read.
                        if (body.Contains(marker, StringComparison.Ordinal) && !(user == "platform" && path.StartsWith("/api/platform/", StringComparison.Ordinal) && marker == samples.OrganizationName)
                            // The superior's office lists its subordinate organizations by name to assign to (decision 050).
                            && !(path == "/api/referral-targets" && marker == samples.OrganizationName))
                            faults.Add($"{name} as {user}: the answer holds 「{marker}」");
                }
            }
        }
        Assert.True(probed > 80, $"only {probed} operations probed");
        Assert.True(faults.Count == 0, "leaks across organizations:\n" + string.Join("\n", faults.Distinct()));
        Assert.Equal(before, await FingerprintAsync());
        // Inside the demo organization, the 交办 it received is its office's: a unit liaison naming it gets 403/404 on every path
        // (after the fingerprint: its own refused attempts are its own audit log's).
        foreach (var (path, item) in document["paths"]!.AsObject().Where(p => p.Key.Contains("{referralId}", StringComparison.Ordinal)
            || p.Key.StartsWith("/api/referrals/{id}", StringComparison.Ordinal)))
        {
            foreach (var (method, _) in item!.AsObject())
            {
                if (method == "parameters") continue;
                var (url, _) = Fill(path, samples, faults);
                using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
                if (method is "post" or "put" or "patch") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                using var response = await (await fixture.As("fazhi")).SendAsync(request);
                if ((int)response.StatusCode is not (403 or 404)) faults.Add($"{method.ToUpperInvariant()} {path} as fazhi: {(int)response.StatusCode} for its office's 交办");
            }
        }
        Assert.True(faults.Count == 0, "a 交办 answered to its organization's unit liaison:\n" + string.Join("\n", faults.Distinct()));
    }

    /// <summary>
    /// The demo organization's objects to put in a path, and the words its data holds that nobody else's does. Objects a
    /// path may name are keyed by the segment before the parameter ("instances/{id}") or by the parameter's own name.
    /// </summary>
    private sealed record Samples(Dictionary<string, string> Values, HashSet<string> ObjectKeys, List<string> Markers, string OrganizationName);

    private async Task<Samples> SamplesAsync()
    {
        var admin = await fixture.As("admin");
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var users = (await admin.GetFromJsonAsync<JsonArray>("/api/users"))!;
        string UserId(string userName) => users.Single(u => u!["userName"]!.GetValue<string>() == userName)!["id"]!.GetValue<string>();
        var task = await Infrastructure.Api.TaskOfAsync(lingdao, fixture.SftItem);

        // A procedure, a file, a deputy and a bulletin of the demo organization, made as its people would.
        await Infrastructure.Api.ImportAsync(admin, TwoOrganizationsFixture.SftOnlyProcedure());
        using var upload = new MultipartFormDataContent { { new ByteArrayContent("司法厅内部材料"u8.ToArray()), "file", "internal.txt" } };
        var file = (await (await ducha.PostAsync("/api/attachments", upload)).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();
        var deputy = await lingdao.PostAsJsonAsync("/api/deputies", new { deputyUserId = UserId("fzcz"), startsOn = "2026-12-01", endsOn = "2027-01-31", reason = "出差" });
        Assert.True(deputy.IsSuccessStatusCode, await deputy.Content.ReadAsStringAsync());
        var deputyId = (await deputy.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();
        var bulletin = await ducha.PostAsJsonAsync("/api/scoring/bulletins", new { unitId = "fzc", title = "司法厅通报批评样例", issuedOn = "2026-12-01" });
        Assert.True(bulletin.IsSuccessStatusCode, await bulletin.Content.ReadAsStringAsync());
        var bulletinId = (await bulletin.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();

        // A document template and a generated document of the demo organization (decision 039).
        var template = await admin.PostAsync("/api/document-templates/shipped/notice", null);
        Assert.True(template.IsSuccessStatusCode, await template.Content.ReadAsStringAsync());
        var templateId = (await template.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();
        var generated = await ducha.PostAsJsonAsync($"/api/instances/{fixture.SftItem}/documents", new { templateKey = "notice" });
        Assert.True(generated.IsSuccessStatusCode, await generated.Content.ReadAsStringAsync());
        var documentId = (await generated.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();

        // A 督查专报 and a 定期专报 of the demo organization (decision 048).
        Assert.True((await admin.PostAsync("/api/document-templates/shipped/period-report", null)).IsSuccessStatusCode);
        var report = await ducha.PostAsJsonAsync("/api/reports", new { templateKey = "period-report", preset = "month" });
        Assert.True(report.IsSuccessStatusCode, await report.Content.ReadAsStringAsync());
        var reportId = (await report.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();
        var reportSchedule = await admin.PostAsJsonAsync("/api/report-schedules", new { templateKey = "period-report", frequency = "weekly", day = 1 });
        Assert.True(reportSchedule.IsSuccessStatusCode, await reportSchedule.Content.ReadAsStringAsync());
        var reportScheduleId = (await reportSchedule.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();

        // A robot channel the demo organization's administrator set up, and one of its people's notifications (decision 040).
        var channel = await admin.PostAsJsonAsync("/api/notifications/channels",
            new { kind = "dingtalk", name = "司法厅督查群", url = "http://127.0.0.1:9/robot", enabled = true, kinds = new[] { "task" } });
        Assert.True(channel.IsSuccessStatusCode, await channel.Content.ReadAsStringAsync());
        var channelId = (await channel.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();
        var notices = (await lingdao.GetFromJsonAsync<JsonObject>("/api/notifications"))!["items"]!.AsArray();
        Assert.NotEmpty(notices);
        var notificationId = notices[0]!["id"]!.ToString();

        // A 模拟运行 scenario kept with the demo organization's procedure (decision 045).
        var scenario = await admin.PostAsJsonAsync("/api/definitions/sft-only/scenarios",
            new { name = "司法厅模拟场景", scenario = new { startDate = "2026-12-01", units = new[] { "fzc" }, maxDays = 10 } });
        Assert.True(scenario.IsSuccessStatusCode, await scenario.Content.ReadAsStringAsync());
        var scenarioId = (await scenario.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();

        // A role of the demo organization's own (decision 049): another organization neither lists nor changes it.
        var role = await admin.PostAsJsonAsync("/api/role-definitions", new { name = "司法厅特约督查员", permissions = new[] { "seeAllItems" } });
        Assert.True(role.IsSuccessStatusCode, await role.Content.ReadAsStringAsync());

        // A real 上级交办 the demo organization received (decision 050), with a file passed down and the report's candidate
        // file of its own: its id in a path is refused to everyone outside — even to the superior's people, whose side is
        // read through their own item only — and to the demo organization's own people without 督查督办 (below).
        var linked = await (await fixture.As("platform")).PutAsJsonAsync("/api/platform/organizations/sft/superior", new { superiorOrganizationId = TwoOrganizationsFixture.Other });
        Assert.True(linked.IsSuccessStatusCode, await linked.Content.ReadAsStringAsync());
        var govDucha = await fixture.As("gov-ducha");
        using var govUpload = new MultipartFormDataContent { { new ByteArrayContent("省府交办材料"u8.ToArray()), "file", "notice.txt" } };
        var govFile = (await (await govDucha.PostAsync($"/api/attachments?instanceId={fixture.GovItem}", govUpload)).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();
        var assigned = await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals", new { subordinateOrganizationId = "sft", fileIds = new[] { govFile } });
        Assert.True(assigned.IsSuccessStatusCode, await assigned.Content.ReadAsStringAsync());
        var referralId = (await assigned.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.ToString();
        // Unlinked again (the 交办 stands): the platform administrator's probe of PUT …/superior with no superior changes nothing.
        Assert.True((await (await fixture.As("platform")).PutAsJsonAsync("/api/platform/organizations/sft/superior", new { superiorOrganizationId = (string?)null })).IsSuccessStatusCode);

        var values = new Dictionary<string, string>
        {
            ["{scenarioId}"] = scenarioId,
            ["role-definitions/{name}"] = "司法厅特约督查员",
            ["channels/{id}"] = channelId,
            ["notifications/{id}"] = notificationId,
            ["document-templates/{key}"] = "notice",
            ["shipped/{kind}"] = "notice",
            ["versions/{id}"] = templateId,
            ["documents/{id}"] = documentId,
            ["reports/{id}"] = reportId,
            ["report-schedules/{id}"] = reportScheduleId,
            ["instances/{id}"] = fixture.SftItem.ToString(),
            ["incidents/{id}"] = fixture.SftItem.ToString(),
            ["tasks/{id}"] = task.ToString(),
            ["units/{id}"] = "fzc",
            ["users/{id}"] = UserId("ducha"),
            ["attachments/{id}"] = file,
            ["deputies/{id}"] = deputyId,
            ["bulletins/{id}"] = bulletinId,
            ["organizations/{id}"] = "sft",
            ["{definitionId}"] = "sft-only",
            ["{unitId}"] = "fzc",
            ["{activityId}"] = "approve",
            ["{year}"] = "2026",
            ["{date}"] = "2026-12-26",
            // No object of these kinds is made here yet: a fresh id, so the probe checks no 5xx and no leak, not the refusal.
            ["{chaseId}"] = Guid.NewGuid().ToString(),
            ["{extensionId}"] = Guid.NewGuid().ToString(),
            ["{entryId}"] = Guid.NewGuid().ToString(),
            ["schedules/{id}"] = Guid.NewGuid().ToString(),
            // The 交办 the demo organization received, and the file passed down with it (ReferralTests walks who sees what).
            ["referrals/{id}"] = referralId,
            ["{referralId}"] = referralId,
            ["{fileId}"] = govFile,
        };
        HashSet<string> objects = ["channels/{id}", "notifications/{id}", "versions/{id}", "documents/{id}", "reports/{id}", "report-schedules/{id}", "instances/{id}", "incidents/{id}", "tasks/{id}", "units/{id}", "users/{id}", "attachments/{id}", "deputies/{id}",
            "bulletins/{id}", "{definitionId}", "{unitId}", "{scenarioId}", "role-definitions/{name}", "referrals/{id}", "{referralId}"];
        // Its item, task, file, procedure and bulletin, every person's id and name, every unit's name.
        List<string> markers = [TwoOrganizationsFixture.SftMarker, fixture.SftItem.ToString(), task.ToString(), file, templateId, documentId, channelId,
            notificationId, reportId, reportScheduleId, referralId, "司法厅专用流程", "司法厅通报批评样例", "司法厅督查群", scenarioId, "司法厅模拟场景", "司法厅特约督查员"];
        markers.AddRange(users.SelectMany(u => new[] { u!["id"]!.GetValue<string>(), u["displayName"]!.GetValue<string>() }));
        var units = (await admin.GetFromJsonAsync<JsonArray>("/api/units"))!;
        markers.AddRange(units.Select(u => u!["name"]!.GetValue<string>()));
        return new Samples(values, objects, markers, units.Single(u => u!["parentId"] is null)!["name"]!.GetValue<string>());
    }

    /// <summary>The path with sample values; whether it names one of the demo organization's objects (then it must be refused).</summary>
    private static (string? Url, bool NamesObject) Fill(string path, Samples samples, List<string> faults)
    {
        var segments = path.Split('/');
        var namesObject = false;
        for (var i = 0; i < segments.Length; i++)
        {
            if (!segments[i].StartsWith('{')) continue;
            var byPlace = i > 0 ? $"{segments[i - 1]}/{segments[i]}" : segments[i];
            var key = samples.Values.ContainsKey(byPlace) ? byPlace : segments[i];
            if (!samples.Values.TryGetValue(key, out var value))
            {
                faults.Add($"{path}: no sample value for {segments[i]} — add one to EndpointMatrixTests");
                return (null, false);
            }
            namesObject |= samples.ObjectKeys.Contains(key);
            segments[i] = Uri.EscapeDataString(value);
        }
        return (string.Join('/', segments), namesObject);
    }

    /// <summary>Everything of the demo organization a stray write could change, as one string.</summary>
    private Task<string> FingerprintAsync() => fixture.Factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<DubanDbContext>();
        var text = new StringBuilder();
        foreach (var i in await db.Instances.AsNoTracking().Where(i => i.OrganizationId == "sft").OrderBy(i => i.Id).ToListAsync())
            text.Append($"I{i.Id}:{i.Status}:{i.UpdatedAt.UtcTicks}:{i.StateJson.Length};");
        foreach (var t in await db.Tasks.AsNoTracking().Where(t => t.OrganizationId == "sft").OrderBy(t => t.Id).ToListAsync())
            text.Append($"T{t.Id}:{t.Status}:{t.AssigneeUserId}:{t.CandidateUnitId}:{t.CandidateRole}:{t.HasDraft}:{t.DueAt?.UtcTicks};");
        text.Append($"J{await db.Journal.CountAsync(j => db.Instances.Any(i => i.Id == j.InstanceId && i.OrganizationId == "sft"))};");
        foreach (var u in await db.Units.AsNoTracking().Where(u => u.Id == "sft" || u.ParentId == "sft").OrderBy(u => u.Id).ToListAsync())
            text.Append($"U{u.Id}:{u.Name}:{u.ParentId}:{u.LeaderUserId}:{u.IsActive}:{u.ConcurrencyToken};");
        foreach (var u in await db.Users.AsNoTracking().Where(u => u.OrganizationId == "sft").OrderBy(u => u.Id).ToListAsync())
            text.Append($"P{u.Id}:{u.DisplayName}:{u.UnitId}:{u.IsActive}:{u.ConcurrencyStamp}:{u.SecurityStamp}:{u.PasswordHash};");
        text.Append($"R{await db.UserRoles.CountAsync(r => db.Users.Any(u => u.Id == r.UserId && u.OrganizationId == "sft"))};");
        foreach (var d in await db.Definitions.AsNoTracking().Where(d => d.OrganizationId == "sft").OrderBy(d => d.Id).ToListAsync())
            text.Append($"D{d.Id}:{d.Version}:{d.IsPublished}:{d.IsLatest}:{d.UpdatedAt.UtcTicks};");
        // Every other table, by what ties its rows to the organization: its own column, its item, its person.
        foreach (var entity in db.Model.GetEntityTypes().Where(e => e.GetTableName() is { } t && !Detailed.Contains(t)).OrderBy(e => e.GetTableName()))
        {
            var column = entity.GetProperties().Select(p => p.GetColumnName()).ToHashSet();
            var where = column.Contains("OrganizationId") ? "\"OrganizationId\" = 'sft'"
                : column.Contains("InstanceId") ? "\"InstanceId\" IN (SELECT \"Id\" FROM \"WorkflowInstances\" WHERE \"OrganizationId\" = 'sft')"
                : column.Contains("UserId") ? "\"UserId\" IN (SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"OrganizationId\" = 'sft')"
                : column.Contains("UploadedById") ? "\"UploadedById\" IN (SELECT \"Id\" FROM \"AspNetUsers\" WHERE \"OrganizationId\" = 'sft')"
                : null;
            if (where is not null) text.Append($"{entity.GetTableName()}{await CountAsync(db, entity.GetTableName()!, where)};");
        }
        return text.ToString();
    });

    /// <summary>Tables compared row by row above.</summary>
    private static readonly HashSet<string> Detailed = ["WorkflowInstances", "Tasks", "JournalEntries", "Units", "AspNetUsers", "AspNetUserRoles", "WorkflowDefinitions"];

    private static async Task<string> CountAsync(DubanDbContext db, string table, string where)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        if (command.Connection!.State != System.Data.ConnectionState.Open) await command.Connection.OpenAsync();
        command.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE {where}";
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}

[Collection(SqliteTwoOrganizationsFixture.Collection)]
public sealed class SqliteEndpointMatrixTests(SqliteTwoOrganizationsFixture fixture) : EndpointMatrixTests<SqliteTwoOrganizationsFixture>(fixture);

[Collection(PostgresTwoOrganizationsFixture.Collection)]
public sealed class PostgresEndpointMatrixTests(PostgresTwoOrganizationsFixture fixture) : EndpointMatrixTests<PostgresTwoOrganizationsFixture>(fixture);
