using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Data.Notifications;
using Duban.Server.Notifications;
using Duban.Server.Tests.Supervision;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Notifications;

/// <summary>
/// 通知 (docs/decisions/040): a task, a send-back, a chase, an extension decision and a near deadline each tell the people
/// concerned — in the bell, by email through a real SMTP server, and to group robots — and only them.
/// </summary>
public abstract class NotificationTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private NotificationDispatcher Dispatcher => fixture.Factory.Services.GetRequiredService<NotificationDispatcher>();

    private async Task<int> RunDispatcherAsync()
    {
        Dispatcher.SweepDeadlinesNextPoll();
        return await Dispatcher.RunOnceAsync(CancellationToken.None);
    }

    private async Task<int> UnreadAsync(string user) =>
        (await Json.GetAsync(await fixture.As(user), "/api/notifications/unread-count"))["count"]!.GetValue<int>();

    private async Task<List<JsonObject>> ListAsync(string user, string order = "newest") =>
        [.. (await Json.GetAsync(await fixture.As(user), $"/api/notifications?order={order}&pageSize=100"))["items"]!.AsArray().Select(n => n!.AsObject())];

    private static string Kind(JsonObject n) => n["kind"]!.GetValue<string>();

    [Fact]
    public async Task A_new_task_tells_the_units_liaisons_once_each_and_links_to_the_task_and_nobody_else()
    {
        var item = await fixture.StartItemAsync();
        var task = await ApiHelpers.TaskOfAsync(await fixture.As("fazhi"), item);

        foreach (var liaison in new[] { "fazhi", "fzcz" })
        {
            var list = await ListAsync(liaison);
            var only = Assert.Single(list);
            Assert.Equal("task", Kind(only));
            Assert.Equal("新待办：承办", only["title"]!.GetValue<string>());
            Assert.Contains("推进行政复议体制改革", only["body"]!.GetValue<string>());
            Assert.Equal($"/tasks/{task}", only["link"]!.GetValue<string>());
            Assert.Equal(1, await UnreadAsync(liaison));
        }
        // Whoever started it is not told about his own act; another unit's liaison hears nothing.
        Assert.Empty(await ListAsync("ducha"));
        Assert.Empty(await ListAsync("jinan"));

        // Only the recipient reads or marks his own.
        var mine = (await ListAsync("fazhi"))[0]["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("fzcz")).PostAsync($"/api/notifications/{mine}/read", null)).StatusCode);
        await Json.OkAsync(await (await fixture.As("fazhi")).PostAsync($"/api/notifications/{mine}/read", null));
        Assert.Equal(0, await UnreadAsync("fazhi"));
        Assert.Equal(1, await UnreadAsync("fzcz"));
        Assert.Equal(fixture.Clock.GetUtcNow(), (await ListAsync("fazhi"))[0]["readAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_task_another_liaison_took_stops_counting_and_work_sent_back_tells_the_one_who_did_it()
    {
        var item = await fixture.StartItemAsync();
        var fazhi = await fixture.As("fazhi");
        await ApiHelpers.CompleteOkAsync(fazhi, await ApiHelpers.TaskOfAsync(fazhi, item), "提交", new JsonObject { ["report"] = "已办" });

        // fazhi took the unit's task: for 赵处长 it is settled, no longer unread work.
        Assert.Equal(0, await UnreadAsync("fzcz"));
        Assert.True(Assert.Single(await ListAsync("fzcz"))["settled"]!.GetValue<bool>());

        // 审核 goes to the 督查员 role: its holder is told.
        var review = Assert.Single(await ListAsync("ducha"));
        Assert.Equal("新待办：审核", review["title"]!.GetValue<string>());
        var ducha = await fixture.As("ducha");
        await ApiHelpers.CompleteOkAsync(ducha, review["taskId"]!.GetValue<Guid>(), "退回", comment: "数据不全");

        var returned = (await ListAsync("fazhi")).Where(n => Kind(n) == "returned").ToList();
        var back = Assert.Single(returned);
        Assert.Equal("被退回，请重新办理：承办", back["title"]!.GetValue<string>());
        Assert.Equal(await ApiHelpers.TaskOfAsync(fazhi, item), back["taskId"]!.GetValue<Guid>());
        await Json.OkAsync(await fazhi.PostAsync("/api/notifications/read-all", null));
        Assert.Equal(0, await UnreadAsync("fazhi"));
    }

    [Fact]
    public async Task A_chase_an_extension_decision_and_a_near_deadline_each_tell_the_unit_and_the_deadline_only_once()
    {
        var item = await fixture.StartItemAsync();                // the step is due Monday 3/9
        fixture.Clock.Set(Beijing(2026, 3, 5, 9));                 // two working days before: the ladder's 到期提醒
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Single(await ListAsync("fazhi"), n => Kind(n) == "chased");
        Assert.Equal(0, await RunDispatcherAsync());
        Assert.DoesNotContain(await ListAsync("fazhi"), n => Kind(n) == "deadline");   // 2 working days away; the setting is 1

        fixture.Clock.Set(Beijing(2026, 3, 6, 9));                 // Friday: one working day before
        await RunDispatcherAsync();
        await RunDispatcherAsync();
        var deadline = Assert.Single(await ListAsync("fazhi"), n => Kind(n) == "deadline");
        Assert.Equal("临近办理时限：承办", deadline["title"]!.GetValue<string>());
        Assert.Single(await ListAsync("fzcz"), n => Kind(n) == "deadline");

        var fazhi = await fixture.As("fazhi");
        var asked = await Json.OkAsync(await fazhi.PostAsJsonAsync($"/api/instances/{item}/extensions",
            new { reason = "需要会同财政部门核实数据", newDueDate = "2026-03-20" }), HttpStatusCode.Created);
        var ducha = await fixture.As("ducha");
        Assert.Single(await ListAsync("ducha"), n => Kind(n) == "task" && n["title"]!.GetValue<string>().Contains("延期", StringComparison.Ordinal));
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true, opinion = "同意延期" }));
        var decided = Assert.Single(await ListAsync("fazhi"), n => Kind(n) == "extension");
        Assert.Equal("延期申请已同意", decided["title"]!.GetValue<string>());
        Assert.Contains("2026-03-20", decided["body"]!.GetValue<string>());
        Assert.Equal($"/items/{item}", decided["link"]!.GetValue<string>());
        Assert.DoesNotContain(await ListAsync("fzcz"), n => Kind(n) == "extension");
    }

    [Fact]
    public async Task A_deputy_hears_of_the_work_of_the_one_he_stands_in_for_marked_as_such_and_as_his_own_preferences_say()
    {
        var fazhi = await fixture.As("fazhi");
        var jinan = await fixture.As("jinan");
        var jinanId = (await Json.GetAsync(jinan, "/api/auth/me"))["id"]!.GetValue<string>();
        var today = Duban.Engine.Calendar.ChinaTime.DateOf(fixture.Clock.GetUtcNow());
        await Json.OkAsync(await fazhi.PostAsJsonAsync("/api/deputies", new { deputyUserId = jinanId, startsOn = today, endsOn = today.AddDays(3), reason = "休假" }),
            HttpStatusCode.Created);
        // 刘联络 wants no 退回 in his bell.
        await Json.OkAsync(await jinan.PutAsJsonAsync("/api/notifications/preferences",
            new { preferences = new[] { new { kind = "returned", channel = "inApp", enabled = false } } }));

        var item = await fixture.StartItemAsync();
        var task = await ApiHelpers.TaskOfAsync(fazhi, item);
        var copy = Assert.Single(await ListAsync("jinan"));
        Assert.Equal("（代张联络）新待办：承办", copy["title"]!.GetValue<string>());
        Assert.Equal($"/tasks/{task}", copy["link"]!.GetValue<string>());
        Assert.False(copy["settled"]!.GetValue<bool>());
        Assert.Equal(1, await UnreadAsync("jinan"));
        Assert.Equal("新待办：承办", Assert.Single(await ListAsync("fazhi"))["title"]!.GetValue<string>());
        // 赵处长 has no deputy: one message, his own.
        Assert.Single(await ListAsync("fzcz"));

        // The deputy opens it from the message and may act on it.
        Assert.True((await Json.GetAsync(jinan, $"/api/tasks/{task}"))["canAct"]!.GetValue<bool>());
        // Once the work is done the item no longer waits on 张联络: the one visibility rule takes it, and its message, from his deputy.
        await ApiHelpers.CompleteOkAsync(fazhi, task, "提交", new JsonObject { ["report"] = "已办" });
        Assert.Empty(await ListAsync("jinan"));
        Assert.Equal(0, await UnreadAsync("jinan"));
        var ducha = await fixture.As("ducha");
        await ApiHelpers.CompleteOkAsync(ducha, await ApiHelpers.TaskOfAsync(ducha, item), "退回", comment: "数据不全");
        Assert.Single(await ListAsync("fazhi"), n => Kind(n) == "returned");
        // Sent back to 张联络, it waits on him again: the deputy sees the first message (done), but not the 退回 — a copy was
        // written for him, and he turned 退回 off in his bell.
        Assert.True(Assert.Single(await ListAsync("jinan"))["settled"]!.GetValue<bool>());
        var fazhiId = (await Json.GetAsync(fazhi, "/api/auth/me"))["id"]!.GetValue<string>();
        var rows = await fixture.WithScopeAsync(sp => sp.GetRequiredService<Duban.Data.DubanDbContext>()
            .Set<NotificationRecord>().AsNoTracking().Where(n => n.UserId == jinanId).OrderBy(n => n.Kind).ToListAsync());
        Assert.Equal(["returned", "task"], rows.Select(r => r.Kind));
        Assert.All(rows, r => Assert.Equal(fazhiId, r.ForUserId));
    }

    [Fact]
    public async Task Kinds_turned_off_in_app_are_not_shown_and_bad_preferences_are_refused()
    {
        var fazhi = await fixture.As("fazhi");
        var bad = await fazhi.PutAsJsonAsync("/api/notifications/preferences", new { preferences = new[] { new { kind = "nonsense", channel = "inApp", enabled = false } } });
        Assert.Contains("preferences[0].kind", (await ApiHelpers.FieldErrorsAsync(bad)).Keys);
        Assert.Contains("email", (await ApiHelpers.FieldErrorsAsync(await fazhi.PutAsJsonAsync("/api/notifications/preferences", new { email = "不是邮箱" }))).Keys);

        var saved = await Json.OkAsync(await fazhi.PutAsJsonAsync("/api/notifications/preferences",
            new { preferences = new[] { new { kind = "task", channel = "inApp", enabled = false } } }));
        var task = saved["kinds"]!.AsArray().Single(k => k!["kind"]!.GetValue<string>() == "task")!;
        Assert.False(task["inApp"]!.GetValue<bool>());
        Assert.True(task["email"]!.GetValue<bool>());

        await fixture.StartItemAsync();
        Assert.Equal(0, await UnreadAsync("fazhi"));
        Assert.Equal(1, await UnreadAsync("fzcz"));
    }

    [Fact]
    public async Task An_email_reaches_a_real_smtp_server_after_it_was_down_and_its_link_opens_the_task()
    {
        var port = LocalSmtpServer.FreePort();
        var admin = await fixture.As("admin");
        var refused = await admin.PutAsJsonAsync("/api/notifications/settings", new { emailEnabled = true, smtpHost = "", fromAddress = "duban@example.gov.cn" });
        Assert.Contains("smtpHost", (await ApiHelpers.FieldErrorsAsync(refused)).Keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).GetAsync("/api/notifications/settings")).StatusCode);
        var settings = await Json.OkAsync(await admin.PutAsJsonAsync("/api/notifications/settings", new
        {
            emailEnabled = true, smtpHost = "127.0.0.1", smtpPort = port, smtpSecurity = "none", fromAddress = "duban@example.gov.cn",
            fromName = "督办系统", siteUrl = "http://duban.test/", deadlineWorkingDays = 1,
        }));
        Assert.Equal("http://duban.test", settings["siteUrl"]!.GetValue<string>());
        await Json.OkAsync(await (await fixture.As("fazhi")).PutAsJsonAsync("/api/notifications/preferences", new { email = "fazhi@example.gov.cn" }));
        // 赵处长 wants no mail about new tasks.
        await Json.OkAsync(await (await fixture.As("fzcz")).PutAsJsonAsync("/api/notifications/preferences",
            new { email = "fzcz@example.gov.cn", preferences = new[] { new { kind = "task", channel = "email", enabled = false } } }));

        var item = await fixture.StartItemAsync();
        var task = await ApiHelpers.TaskOfAsync(await fixture.As("fazhi"), item);

        // The mail server is down: the write went through all the same, and the delivery waits to be tried again.
        Assert.Equal(0, await RunDispatcherAsync());
        var waiting = await fixture.WithScopeAsync(sp => sp.GetRequiredService<Duban.Data.DubanDbContext>()
            .Set<NotificationDeliveryRecord>().AsNoTracking().ToListAsync());
        var delivery = Assert.Single(waiting);
        Assert.Equal("fazhi@example.gov.cn", delivery.Target);
        Assert.Equal(1, delivery.Attempts);
        Assert.NotNull(delivery.LastError);

        await using var smtp = await LocalSmtpServer.StartAsync(port);
        Assert.Equal(0, await RunDispatcherAsync());               // still inside the backoff
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, await RunDispatcherAsync());
        Assert.Equal(0, await RunDispatcherAsync());               // sent once

        var mail = Assert.Single(smtp.Messages());
        Assert.Equal("fazhi@example.gov.cn", mail.To.Mailboxes.Single().Address);
        Assert.Equal("duban@example.gov.cn", mail.From.Mailboxes.Single().Address);
        Assert.Equal("【督办】新待办：承办", mail.Subject);
        Assert.Contains("推进行政复议体制改革", mail.TextBody);
        var link = $"http://duban.test/tasks/{task}";
        Assert.Contains(link, mail.TextBody);
        Assert.Contains($"href=\"{link}\"", mail.HtmlBody);
        // The link opens the task for the one it was sent to.
        var opened = await Json.GetAsync(await fixture.As("fazhi"), new Uri(link).AbsolutePath.Replace("/tasks/", "/api/tasks/", StringComparison.Ordinal));
        Assert.Equal(task, opened["task"]!["id"]!.GetValue<Guid>());
        Assert.True(opened["canAct"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_administrator_tries_the_mail_server_and_a_robot_before_saving_and_hears_the_servers_answer()
    {
        var admin = await fixture.As("admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).PostAsJsonAsync("/api/notifications/settings/test",
            new { smtpHost = "127.0.0.1", fromAddress = "duban@example.gov.cn", to = "a@example.gov.cn" })).StatusCode);
        Assert.Contains("to", (await ApiHelpers.FieldErrorsAsync(await admin.PostAsJsonAsync("/api/notifications/settings/test",
            new { smtpHost = "127.0.0.1", fromAddress = "duban@example.gov.cn", to = "不是邮箱" }))).Keys);
        Assert.Contains("smtpHost", (await ApiHelpers.FieldErrorsAsync(await admin.PostAsJsonAsync("/api/notifications/settings/test",
            new { smtpHost = "", fromAddress = "duban@example.gov.cn", to = "a@example.gov.cn" }))).Keys);

        var port = LocalSmtpServer.FreePort();
        var form = new { smtpHost = "127.0.0.1", smtpPort = port, smtpSecurity = "none", fromAddress = "duban@example.gov.cn", fromName = "督办系统", to = "ducha@example.gov.cn" };
        var down = await Json.OkAsync(await admin.PostAsJsonAsync("/api/notifications/settings/test", form));
        Assert.False(down["sent"]!.GetValue<bool>());
        Assert.Equal($"无法连接发信服务器 127.0.0.1:{port}：对方拒绝连接（该端口上没有服务在运行）", down["message"]!.GetValue<string>());

        await using (var smtp = await LocalSmtpServer.StartAsync(port))
        {
            var sent = await Json.OkAsync(await admin.PostAsJsonAsync("/api/notifications/settings/test", form));
            Assert.True(sent["sent"]!.GetValue<bool>(), sent["message"]!.GetValue<string>());
            Assert.Contains("ducha@example.gov.cn", sent["message"]!.GetValue<string>());
            var mail = Assert.Single(smtp.Messages());
            Assert.Equal("ducha@example.gov.cn", mail.To.Mailboxes.Single().Address);
            Assert.Equal("【督办】测试消息", mail.Subject);
        }

        using var robot = new LocalRobot { Answer = "{\"errcode\":310000,\"errmsg\":\"sign not match\"}" };
        Assert.Contains("url", (await ApiHelpers.FieldErrorsAsync(await admin.PostAsJsonAsync("/api/notifications/channels/test",
            new { kind = "dingtalk", url = "ftp://x" }))).Keys);
        var refused = await Json.OkAsync(await admin.PostAsJsonAsync("/api/notifications/channels/test",
            new { kind = "dingtalk", name = "督查群", url = robot.Url, secret = "SECwrong" }));
        Assert.False(refused["sent"]!.GetValue<bool>());
        Assert.Contains("加签", refused["message"]!.GetValue<string>());
        Assert.Contains("sign not match", refused["message"]!.GetValue<string>());
        robot.Answer = "{\"errcode\":0,\"errmsg\":\"ok\"}";
        var posted = await Json.OkAsync(await admin.PostAsJsonAsync("/api/notifications/channels/test",
            new { kind = "wecom", name = "联络员群", url = robot.Url }));
        Assert.True(posted["sent"]!.GetValue<bool>(), posted["message"]!.GetValue<string>());
        Assert.Equal(2, robot.Received.Count);
        Assert.Contains("测试消息", JsonNode.Parse(robot.Received[1].Body)!["markdown"]!["content"]!.GetValue<string>());
        Assert.NotNull(System.Web.HttpUtility.ParseQueryString(robot.Received[0].Url.Query)["sign"]);

        // Nothing was saved by trying.
        var settings = await Json.GetAsync(admin, "/api/notifications/settings");
        Assert.Null(settings["smtpHost"]?.GetValue<string>());
        Assert.Empty(settings["channels"]!.AsArray());
    }

    [Fact]
    public async Task Group_robots_get_one_post_per_event_in_their_own_format_and_dingtalk_posts_are_signed()
    {
        using var dingtalk = new LocalRobot();
        using var wecom = new LocalRobot();
        var admin = await fixture.As("admin");
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/notifications/settings", new { emailEnabled = false, siteUrl = "http://duban.test" }));
        Assert.Contains("url", (await ApiHelpers.FieldErrorsAsync(await admin.PostAsJsonAsync("/api/notifications/channels",
            new { kind = "dingtalk", name = "督查群", url = "ftp://x", enabled = true, kinds = new[] { "task" } }))).Keys);
        await Json.OkAsync(await admin.PostAsJsonAsync("/api/notifications/channels",
            new { kind = "dingtalk", name = "督查群", url = dingtalk.Url, secret = "SECtest", enabled = true, kinds = new[] { "task", "chased" } }));
        await Json.OkAsync(await admin.PostAsJsonAsync("/api/notifications/channels",
            new { kind = "wecom", name = "联络员群", url = wecom.Url, enabled = true, kinds = new[] { "returned" } }));
        var listed = (await Json.GetAsync(admin, "/api/notifications/settings"))["channels"]!.AsArray();
        Assert.Equal(2, listed.Count);
        Assert.True(listed.Single(c => c!["kind"]!.GetValue<string>() == "dingtalk")!["hasSecret"]!.GetValue<bool>());

        var item = await fixture.StartItemAsync();                 // two liaisons told, one post
        var task = await ApiHelpers.TaskOfAsync(await fixture.As("fazhi"), item);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await RunDispatcherAsync());

        var (url, body) = Assert.Single(dingtalk.Received);
        Assert.Empty(wecom.Received);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("markdown", json["msgtype"]!.GetValue<string>());
        Assert.Equal("新待办：承办", json["markdown"]!["title"]!.GetValue<string>());
        Assert.Contains($"[打开办理](http://duban.test/tasks/{task})", json["markdown"]!["text"]!.GetValue<string>());
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var timestamp = query["timestamp"]!;
        Assert.Equal(fixture.Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        var expected = Convert.ToBase64String(HMACSHA256.HashData("SECtest"u8.ToArray(), Encoding.UTF8.GetBytes($"{timestamp}\nSECtest")));
        Assert.Equal(expected, query["sign"]);

        // 退回 goes to the 企业微信 robot, in its format.
        var fazhi = await fixture.As("fazhi");
        await ApiHelpers.CompleteOkAsync(fazhi, task, "提交", new JsonObject { ["report"] = "已办" });
        var ducha = await fixture.As("ducha");
        await ApiHelpers.CompleteOkAsync(ducha, await ApiHelpers.TaskOfAsync(ducha, item), "退回", comment: "数据不全");
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));
        await RunDispatcherAsync();
        var (_, posted) = Assert.Single(wecom.Received);
        var content = JsonNode.Parse(posted)!["markdown"]!["content"]!.GetValue<string>();
        Assert.Contains("被退回，请重新办理：承办", content);
        Assert.Equal(2, dingtalk.Received.Count);                  // and 审核, a new task for the 督查员, went to the 钉钉 robot
    }
}

[Collection(SqliteDeadlineFixture.Collection)]
public sealed class SqliteNotificationTests(SqliteDeadlineFixture fixture) : NotificationTests<SqliteDeadlineFixture>(fixture);

[Collection(PostgresDeadlineFixture.Collection)]
public sealed class PostgresNotificationTests(PostgresDeadlineFixture fixture) : NotificationTests<PostgresDeadlineFixture>(fixture);
