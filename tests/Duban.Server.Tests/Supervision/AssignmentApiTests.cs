using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Assignments;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Supervision;

/// <summary>交办 over HTTP: a 主办 and 协办 units, the 主办 seeing every input, the office changing units, races.</summary>
public abstract class AssignmentApiTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const string DefinitionId = "assign-test";

    private static JsonObject Field(string key, string label, string type, bool required = false, bool multiple = false) =>
        new() { ["key"] = key, ["label"] = label, ["type"] = type, ["required"] = required, ["multiple"] = multiple };

    /// <summary>登记 (主办, 协办 on the form) → 交办 → 审核 (通过 → 办结, 退回 → 交办).</summary>
    public static JsonObject Definition(string completion = "lead")
    {
        var definition = Flow(DefinitionId, "交办测试", [
            new JsonObject
            {
                ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("item"),
                ["fieldPermissions"] = Literal(new JsonObject { ["report"] = "hidden" }),
            },
            new JsonObject
            {
                ["id"] = "assign", ["type"] = "Duban.Assign", ["name"] = "交办",
                ["lead"] = Script("item.leadUnit"),
                ["co"] = Script("item.coUnits"),
                ["completion"] = Literal(completion),
                ["form"] = Literal("item"),
                ["fieldPermissions"] = Literal(new JsonObject
                {
                    ["title"] = "readOnly", ["leadUnit"] = "readOnly", ["coUnits"] = "readOnly", ["report"] = "editable",
                }),
                ["coForm"] = Literal("co"),
                ["deadline"] = Literal(10),
                ["coDeadline"] = Literal(5),
            },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过", "退回")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "assign"), Connection("assign", "提交", "review"), Connection("review", "通过", "end"), Connection("review", "退回", "assign")]);
        definition["forms"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "item", ["name"] = "督办事项",
                ["fields"] = new JsonArray(
                    Field("title", "事项名称", "text", required: true),
                    Field("leadUnit", "主办单位", "unit", required: true),
                    Field("coUnits", "协办单位", "unit", multiple: true),
                    Field("report", "办理情况", "textarea")),
            },
            new JsonObject
            {
                ["id"] = "co", ["name"] = "协办意见",
                ["fields"] = new JsonArray(Field("coOpinion", "协办意见", "opinion"), Field("coContact", "联系人", "text")),
            });
        return definition;
    }

    private async Task<Guid> StartAsync(string lead, params string[] co)
    {
        await ImportAsync(await fixture.As("admin"), Definition());
        return await Infrastructure.Api.StartAsync(await fixture.As("ducha"), DefinitionId, new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["leadUnit"] = lead, ["coUnits"] = new JsonArray(co.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        });
    }

    private static async Task<JsonObject> DetailAsync(HttpClient client, Guid taskId) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}"))!;

    private static JsonObject UnitOf(JsonObject assignment, string unitId) =>
        assignment["units"]!.AsArray().Select(u => u!.AsObject()).Single(u => u["unitId"]!.GetValue<string>() == unitId && u["status"]!.GetValue<string>() is not ("replaced" or "removed"));

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);

    [Fact]
    public async Task The_lead_sees_both_co_inputs_before_it_submits()
    {
        var id = await StartAsync("fzc", "jinan", "qingdao");
        var jinan = await fixture.As("jinan");
        var qingdao = await fixture.As("qingdao");
        var fazhi = await fixture.As("fazhi");

        var jinanTask = await TaskOfAsync(jinan, id, "交办（协办）");
        var coDetail = await DetailAsync(jinan, jinanTask);
        Assert.Equal("co", coDetail["assignment"]!["myRole"]!.GetValue<string>());
        Assert.Equal("协办意见", coDetail["form"]!["name"]!.GetValue<string>());
        Assert.Empty(coDetail["returnTargets"]!.AsArray());
        Assert.NotNull(coDetail["task"]!["dueAt"]);
        await CompleteOkAsync(jinan, jinanTask, "提交", new JsonObject { ["coOpinion"] = "建议补充2025年数据", ["coContact"] = "王五" });
        await CompleteOkAsync(qingdao, await TaskOfAsync(qingdao, id, "交办（协办）"), "提交", new JsonObject { ["coOpinion"] = "无不同意见" });

        var leadTask = await TaskOfAsync(fazhi, id, "交办（主办）");
        var detail = await DetailAsync(fazhi, leadTask);
        var assignment = detail["assignment"]!.AsObject();
        Assert.Equal("lead", assignment["myRole"]!.GetValue<string>());
        Assert.True(assignment["active"]!.GetValue<bool>());
        Assert.Equal("协办意见", assignment["coForm"]!["name"]!.GetValue<string>());
        var fromJinan = UnitOf(assignment, "jinan");
        Assert.Equal(("submitted", "协办", "济南市司法局", "刘联络"), (fromJinan["status"]!.GetValue<string>(), fromJinan["roleName"]!.GetValue<string>(),
            fromJinan["unitName"]!.GetValue<string>(), fromJinan["submittedByName"]!.GetValue<string>()));
        Assert.Equal("王五", fromJinan["input"]!["coContact"]!.GetValue<string>());
        Assert.Equal("建议补充2025年数据", fromJinan["input"]!["coOpinion"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("无不同意见", UnitOf(assignment, "qingdao")["input"]!["coOpinion"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("open", UnitOf(assignment, "fzc")["status"]!.GetValue<string>());
        Assert.Null(detail["data"]!["coOpinion"]);

        // A 协办 sees its own input, not the other 协办's.
        var jinanView = (await DetailAsync(jinan, jinanTask))["assignment"]!.AsObject();
        Assert.Equal("王五", UnitOf(jinanView, "jinan")["input"]!["coContact"]!.GetValue<string>());
        Assert.Null(UnitOf(jinanView, "qingdao")["input"]);
        Assert.True(UnitOf(jinanView, "qingdao")["inputHidden"]!.GetValue<bool>());

        await CompleteOkAsync(fazhi, leadTask, "提交", new JsonObject { ["report"] = "已汇总济南、青岛意见，形成办理报告" });
        var item = await InstanceAsync(await fixture.As("ducha"), id);
        Assert.Equal("已汇总济南、青岛意见，形成办理报告", item["data"]!["report"]!.GetValue<string>());
        var step = item["assignments"]!.AsArray().Single()!.AsObject();
        Assert.False(step["active"]!.GetValue<bool>());
        Assert.All(step["units"]!.AsArray(), u => Assert.Equal("submitted", u!["status"]!.GetValue<string>()));
        Assert.Equal(3, item["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "taskCompleted" && e["activityId"]!.GetValue<string>() == "assign"));
        Assert.Single(await InboxAsync(await fixture.As("ducha")), t => t!["instanceId"]!.GetValue<Guid>() == id && t["activityName"]!.GetValue<string>() == "审核");
    }

    [Fact]
    public async Task The_office_adds_and_replaces_units_mid_way_and_each_change_is_journaled()
    {
        var id = await StartAsync("fzc", "jinan");
        var ducha = await fixture.As("ducha");
        var jinan = await fixture.As("jinan");
        var jinanTask = await TaskOfAsync(jinan, id, "交办（协办）");
        var units = $"/api/instances/{id}/assignments/assign/units";

        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(await fixture.As("fazhi"), units, new { unitId = "qingdao", reason = "需要" })).StatusCode);
        var missing = await FieldErrorsAsync(await PostAsync(ducha, units, new { unitId = "qingdao" }));
        Assert.Equal(["请填写调整理由"], missing["reason"]);
        var unknown = await FieldErrorsAsync(await PostAsync(ducha, units, new { unitId = "nowhere", reason = "需要" }));
        Assert.Contains("不存在", unknown["unitId"].Single());
        var twice = await FieldErrorsAsync(await PostAsync(ducha, units, new { unitId = "jinan", reason = "需要" }));
        Assert.Contains("已是本次交办的协办单位", twice["unitId"].Single());
        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(ducha, $"/api/instances/{id}/assignments/review/units", new { unitId = "qingdao", reason = "需要" })).StatusCode);

        var added = await PostAsync(ducha, units, new { unitId = "qingdao", reason = "涉及青岛试点" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        var view = (await added.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(3, view["units"]!.AsArray().Count);
        var qingdaoTask = await TaskOfAsync(await fixture.As("qingdao"), id, "交办（协办）");

        var replaced = await PostAsync(ducha, $"{units}/jinan/replace", new { newUnitId = "yjs", reason = "济南市局不承担此项职能" });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        view = (await replaced.Content.ReadFromJsonAsync<JsonObject>())!;
        var old = view["units"]!.AsArray().Single(u => u!["unitId"]!.GetValue<string>() == "jinan")!;
        Assert.Equal("replaced", old["status"]!.GetValue<string>());
        Assert.Equal("济南市局不承担此项职能", old["endComment"]!.GetValue<string>());
        Assert.Equal("王督查", old["endedByName"]!.GetValue<string>());
        var yjs = UnitOf(view, "yjs");
        Assert.Equal(old["replacedByTaskId"]!.GetValue<Guid>(), yjs["taskId"]!.GetValue<Guid>());
        Assert.Equal(jinanTask, yjs["replacesTaskId"]!.GetValue<Guid>());
        Assert.Empty(await InboxAsync(jinan));
        Assert.Equal("cancelled", (await DetailAsync(ducha, jinanTask))["task"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await CompleteAsync(jinan, jinanTask, "提交", new JsonObject { ["coOpinion"] = "迟到的意见" })).StatusCode);

        // Submitted units cannot be replaced; a unit no longer in the step cannot be changed.
        await CompleteOkAsync(await fixture.As("qingdao"), qingdaoTask, "提交", new JsonObject { ["coOpinion"] = "同意" });
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(ducha, $"{units}/qingdao/replace", new { newUnitId = "lsgz", reason = "调整" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(ducha, $"{units}/jinan/remove", new { reason = "调整" })).StatusCode);
        var leadRemoval = await FieldErrorsAsync(await PostAsync(ducha, $"{units}/fzc/remove", new { reason = "调整" }));
        Assert.Contains("只能替换", leadRemoval["unitId"].Single());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(ducha, $"{units}/yjs/remove", new { reason = "由主办单位统筹" })).StatusCode);

        var item = await InstanceAsync(ducha, id);
        var changes = item["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "assignmentChanged").ToList();
        Assert.Equal(["add", "replace", "remove"], changes.Select(c => c!["data"]!["action"]!.GetValue<string>()));
        Assert.Equal(["涉及青岛试点", "济南市局不承担此项职能", "由主办单位统筹"], changes.Select(c => c!["comment"]!.GetValue<string>()));
        Assert.All(changes, c => Assert.Equal("王督查", c!["actorName"]!.GetValue<string>()));

        await CompleteOkAsync(await fixture.As("fazhi"), await TaskOfAsync(await fixture.As("fazhi"), id, "交办（主办）"), "提交", new JsonObject { ["report"] = "报告" });
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(ducha, units, new { unitId = "lsgz", reason = "晚了" })).StatusCode);
        await fixture.Factory.WithDbAsync(async db =>
        {
            var rows = await db.Set<AssignmentRecord>().Where(a => a.InstanceId == id).ToListAsync();
            Assert.Equal(["fzc", "jinan", "qingdao", "yjs"], rows.Select(r => r.UnitId).Order());
            Assert.Equal("removed", rows.Single(r => r.UnitId == "yjs").EndReason);
        });
    }

    [Fact]
    public async Task Two_liaisons_submitting_the_lead_report_at_once_one_wins_and_the_other_gets_409()
    {
        var id = await StartAsync("fzc", "jinan");
        var fazhi = await fixture.As("fazhi");
        var fzcz = await fixture.As("fzcz");
        var task = await TaskOfAsync(fazhi, id, "交办（主办）");

        fixture.Factory.Gate.HoldUntil(2, "complete");
        var responses = await Task.WhenAll(
            CompleteAsync(fazhi, task, "提交", new JsonObject { ["report"] = "张联络的报告" }),
            CompleteAsync(fzcz, task, "提交", new JsonObject { ["report"] = "赵处长的报告" }));
        fixture.Factory.Gate.Open();

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.Journal.CountAsync(j => j.TaskId == task && j.Kind == JournalKind.TaskCompleted));
            Assert.Single(await db.Tasks.Where(t => t.InstanceId == id && t.ActivityId == "review").ToListAsync());
            var cancelled = await db.Tasks.SingleAsync(t => t.InstanceId == id && t.CandidateUnitId == "jinan");
            Assert.Equal(HumanTaskStatus.Cancelled, cancelled.Status);
        });
    }

    [Fact]
    public async Task Two_changes_of_the_same_unit_at_once_one_wins_and_the_other_gets_409()
    {
        var id = await StartAsync("fzc", "jinan");
        var units = $"/api/instances/{id}/assignments/assign/units";

        fixture.Factory.Gate.HoldUntil(2, "assign-change");
        var responses = await Task.WhenAll(
            PostAsync(await fixture.As("ducha"), $"{units}/jinan/replace", new { newUnitId = "qingdao", reason = "王督查的调整" }),
            PostAsync(await fixture.As("admin"), $"{units}/jinan/replace", new { newUnitId = "lsgz", reason = "管理员的调整" }));
        fixture.Factory.Gate.Open();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.Journal.CountAsync(j => j.InstanceId == id && j.Kind == JournalKind.AssignmentChanged));
            Assert.Equal(2, await db.Tasks.CountAsync(t => t.InstanceId == id && t.Status == HumanTaskStatus.Open));
        });
    }

    [Fact]
    public async Task The_previous_step_picks_the_lead_and_co_units()
    {
        var definition = Flow("assign-previous", "拟办后交办", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记" },
            new JsonObject
            {
                ["id"] = "draft", ["type"] = "Duban.UserTask", ["name"] = "拟办",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
            },
            new JsonObject { ["id"] = "assign", ["type"] = "Duban.Assign", ["name"] = "交办", ["unitsFrom"] = Literal("previous") },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "draft"), Connection("draft", "提交", "assign"), Connection("assign", "提交", "end")]);
        await ImportAsync(await fixture.As("admin"), definition);
        var ducha = await fixture.As("ducha");
        var id = await Infrastructure.Api.StartAsync(ducha, "assign-previous", null);
        var draft = await TaskOfAsync(ducha, id, "拟办");

        var choices = (await DetailAsync(ducha, draft))["nextSteps"]!.AsArray();
        Assert.Equal([("assign", true, false), ("assign:co", false, true)],
            choices.Select(c => (c!["activityId"]!.GetValue<string>(), c["required"]!.GetValue<bool>(), c["multiple"]!.GetValue<bool>())));
        Assert.All(choices, c => Assert.True(c!["unitsOnly"]!.GetValue<bool>()));

        var none = await FieldErrorsAsync(await CompleteAsync(ducha, draft, "提交"));
        Assert.Contains("nextAssignees", none.Keys);
        var people = await FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/tasks/{draft}/complete",
            new { outcome = "提交", nextAssignees = new Dictionary<string, string[]> { ["assign"] = ["unit:fzc", "unit:jinan"] } }));
        Assert.Contains("一个主办单位", people["nextAssignees"].Single());
        var ok = await ducha.PostAsJsonAsync($"/api/tasks/{draft}/complete",
            new { outcome = "提交", nextAssignees = new Dictionary<string, string[]> { ["assign"] = ["unit:fzc"], ["assign:co"] = ["unit:qingdao"] } });
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);

        var item = await InstanceAsync(ducha, id);
        var units = item["assignments"]![0]!["units"]!.AsArray().Select(u => (u!["unitId"]!.GetValue<string>(), u["role"]!.GetValue<string>()));
        Assert.Equal([("fzc", "lead"), ("qingdao", "co")], units);
        var coTask = await TaskOfAsync(await fixture.As("qingdao"), id, "交办（协办）");
        Assert.Empty((await DetailAsync(await fixture.As("qingdao"), coTask))["nextSteps"]!.AsArray());
    }

    /// <summary>交办 (units from the form) → 督办落实 (a second 交办 whose units come from the step before) → 办结.</summary>
    private static JsonObject TwoAssignments()
    {
        var definition = Definition();
        definition["definitionId"] = "assign-twice";
        definition["name"] = "两次交办";
        var activities = definition["root"]!["activities"]!.AsArray();
        activities.Add(new JsonObject
        {
            ["id"] = "assign2", ["type"] = "Duban.Assign", ["name"] = "督办落实", ["unitsFrom"] = Literal("previous"),
            ["form"] = Literal("item"), ["coForm"] = Literal("co"),
        });
        definition["root"]!["connections"] = new JsonArray(Connection("start", "Done", "assign"), Connection("assign", "提交", "assign2"),
            Connection("assign2", "提交", "end"));
        activities.Remove(activities.Single(a => a!["id"]!.GetValue<string>() == "review"));
        return definition;
    }

    [Fact]
    public async Task A_co_unit_the_office_adds_at_one_assignment_is_carried_to_the_next()
    {
        await ImportAsync(await fixture.As("admin"), TwoAssignments());
        var ducha = await fixture.As("ducha");
        var id = await Infrastructure.Api.StartAsync(ducha, "assign-twice", new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray("jinan"),
        });
        var added = await PostAsync(ducha, $"/api/instances/{id}/assignments/assign/units", new { unitId = "qingdao", reason = "涉及青岛试点" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);

        // The 主办 of the first 交办 is not asked to staff the second: the units as they stand carry over.
        var fazhi = await fixture.As("fazhi");
        var lead = await TaskOfAsync(fazhi, id, "交办（主办）");
        var choices = (await DetailAsync(fazhi, lead))["nextSteps"]!.AsArray();
        Assert.All(choices, c => Assert.False(c!["required"]!.GetValue<bool>()));
        await CompleteOkAsync(fazhi, lead, "提交", new JsonObject { ["report"] = "已拟定方案" });

        var item = await InstanceAsync(ducha, id);
        var second = item["assignments"]!.AsArray().Single(a => a!["activityId"]!.GetValue<string>() == "assign2")!;
        var units = second["units"]!.AsArray().Select(u => (u!["unitId"]!.GetValue<string>(), u["role"]!.GetValue<string>()));
        Assert.Equal([("fzc", "lead"), ("jinan", "co"), ("qingdao", "co")], units.OrderBy(u => u.Item2 == "co").ThenBy(u => u.Item1));
        await TaskOfAsync(await fixture.As("qingdao"), id, "督办落实（协办）");
    }

    [Fact]
    public async Task An_explicit_pick_for_the_next_assignment_still_wins()
    {
        await ImportAsync(await fixture.As("admin"), TwoAssignments());
        var ducha = await fixture.As("ducha");
        var id = await Infrastructure.Api.StartAsync(ducha, "assign-twice", new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray("jinan"),
        });
        var fazhi = await fixture.As("fazhi");
        var ok = await fazhi.PostAsJsonAsync($"/api/tasks/{await TaskOfAsync(fazhi, id, "交办（主办）")}/complete", new
        {
            outcome = "提交", data = new JsonObject { ["report"] = "已拟定方案" },
            nextAssignees = new Dictionary<string, string[]> { ["assign2"] = ["unit:fzc"], ["assign2:co"] = ["unit:yjs"] },
        });
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        var item = await InstanceAsync(ducha, id);
        var second = item["assignments"]!.AsArray().Single(a => a!["activityId"]!.GetValue<string>() == "assign2")!;
        Assert.Equal(["fzc", "yjs"], second["units"]!.AsArray().Select(u => u!["unitId"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task The_head_of_the_lead_unit_and_the_head_of_a_unit_in_a_field_sign()
    {
        // 001 第二十条 (and the issue): reports 「由主办单位主要负责人签字」. fzc's head is 赵处长 (fzcz); bgs's is 王督查.
        var definition = Definition();
        definition["definitionId"] = "assign-sign";
        var activities = definition["root"]!["activities"]!.AsArray();
        activities.Remove(activities.Single(a => a!["id"]!.GetValue<string>() == "review"));
        activities.Add(new JsonObject
        {
            ["id"] = "sign", ["type"] = "Duban.UserTask", ["name"] = "主要负责人签字",
            ["assignee"] = Literal(new JsonObject { ["type"] = "assignLeadLeader" }),
        });
        activities.Add(new JsonObject
        {
            ["id"] = "issue", ["type"] = "Duban.UserTask", ["name"] = "签发",
            ["assignee"] = Literal(new JsonObject { ["type"] = "fieldUnitLeader", ["field"] = "signUnit" }),
        });
        definition["root"]!["connections"] = new JsonArray(Connection("start", "Done", "assign"), Connection("assign", "提交", "sign"),
            Connection("sign", "提交", "issue"), Connection("issue", "提交", "end"));
        definition["forms"]![0]!["fields"]!.AsArray().Add(Field("signUnit", "签发单位", "unit"));
        await ImportAsync(await fixture.As("admin"), definition);
        var ducha = await fixture.As("ducha");
        var id = await Infrastructure.Api.StartAsync(ducha, "assign-sign", new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray("jinan"), ["signUnit"] = "bgs",
        });
        var fazhi = await fixture.As("fazhi");
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id, "交办（主办）"), "提交", new JsonObject { ["report"] = "办理报告" });

        // The liaison who wrote the report does not sign it; the head of the 主办 unit does.
        Assert.DoesNotContain(await InboxAsync(fazhi), t => t!["instanceId"]!.GetValue<Guid>() == id);
        var fzcz = await fixture.As("fzcz");
        await CompleteOkAsync(fzcz, await TaskOfAsync(fzcz, id, "主要负责人签字"), "提交");
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, id, "签发"), "提交");
    }

    [Fact]
    public async Task A_head_of_unit_rule_without_its_field_cannot_be_published()
    {
        var definition = Definition();
        definition["definitionId"] = "assign-sign-bad";
        definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "review")!["assignee"] =
            Literal(new JsonObject { ["type"] = "fieldUnitLeader" });
        var response = await (await fixture.As("admin")).PostAsJsonAsync("/api/definitions/import?publish=true", definition);
        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("未选择字段", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task With_completion_all_the_lead_waits_for_every_co_unit()
    {
        await ImportAsync(await fixture.As("admin"), Definition("all"));
        var id = await Infrastructure.Api.StartAsync(await fixture.As("ducha"), DefinitionId, new JsonObject
        {
            ["title"] = "全部提交后办结", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray("jinan"),
        });
        var fazhi = await fixture.As("fazhi");
        var lead = await TaskOfAsync(fazhi, id, "交办（主办）");
        var early = await CompleteAsync(fazhi, lead, "提交", new JsonObject { ["report"] = "抢先上报" });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Contains("济南市司法局", await early.Content.ReadAsStringAsync());

        var jinan = await fixture.As("jinan");
        var noOpinion = await FieldErrorsAsync(await CompleteAsync(jinan, await TaskOfAsync(jinan, id), "提交", new JsonObject { ["report"] = "越权" }));
        Assert.Contains("report", noOpinion.Keys);
        await CompleteOkAsync(jinan, await TaskOfAsync(jinan, id), "提交", new JsonObject { ["coOpinion"] = "同意" });
        await CompleteOkAsync(fazhi, lead, "提交", new JsonObject { ["report"] = "汇总上报" });
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteAssignmentApiTests(SqliteFixture fixture) : AssignmentApiTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresAssignmentApiTests(PostgresFixture fixture) : AssignmentApiTests<PostgresFixture>(fixture);
