using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// Scores follow the organization's regulation (issue 14, docs/decisions/022): a send-back is a property of the outcome,
/// only handling units are scored, no rules means no scores, and score events are the organization's own.
/// </summary>
public abstract class ScoringRulesTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The deadline flow with the review step's outcomes as given; <paramref name="sendsBack"/> ticked as sending back.</summary>
    private async Task<string> ImportReviewFlowAsync(string id, JsonArray outcomes, JsonArray? sendsBack, string backTo, JsonObject? reviewer = null,
        JsonObject? outcomeScores = null)
    {
        var review = new JsonObject
        {
            ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核", ["form"] = Literal("f"),
            ["assignee"] = Literal(reviewer ?? new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
            ["outcomes"] = Literal(outcomes), ["deadline"] = Literal(1),
        };
        if (sendsBack is not null) review["sendsBack"] = Literal(sendsBack);
        if (outcomeScores is not null) review["outcomeScores"] = Literal(outcomeScores);
        var flow = Flow(id, "复办测试流程", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            new JsonObject
            {
                ["id"] = "handle", ["type"] = "Duban.UserTask", ["name"] = "承办", ["form"] = Literal("f"),
                ["assignee"] = Literal(new JsonObject { ["type"] = "field", ["field"] = "unit" }),
                ["outcomes"] = Literal(new JsonArray("提交")), ["deadline"] = Literal("itemDue"),
            },
            review,
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "handle"), Connection("handle", "提交", "review"), Connection("review", "通过", "end"), Connection("review", backTo, "handle"),
            .. outcomes.Select(o => o!.GetValue<string>()).Where(o => o != "通过" && o != backTo).Select(o => Connection("review", o, "end"))]);
        flow["forms"] = JsonNode.Parse("""
            [{ "id": "f", "name": "督办单", "fields": [
                { "key": "title", "label": "事项名称", "type": "text", "required": true },
                { "key": "unit", "label": "承办单位", "type": "unit", "required": true },
                { "key": "dueDate", "label": "完成时限", "type": "date" },
                { "key": "report", "label": "办理情况", "type": "textarea" } ] }]
            """);
        var response = await (await fixture.As("admin")).PostAsJsonAsync("/api/definitions/import?publish=true", flow);
        Assert.True(response.IsSuccessStatusCode, $"import failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return id;
    }

    /// <summary>法制处 reports <paramref name="rounds"/> times; the office sends back with <paramref name="back"/> each time but the last.</summary>
    private async Task<Guid> RedoAsync(string flowId, string back, int rounds)
    {
        var id = await ApiHelpers.StartAsync(await fixture.As("ducha"), flowId, new JsonObject { ["title"] = "整改情况报告", ["unit"] = "fzc", ["dueDate"] = "2026-12-31" });
        for (var round = 1; round <= rounds; round++)
        {
            var fazhi = await fixture.As("fazhi");
            await ApiHelpers.CompleteOkAsync(fazhi, await ApiHelpers.TaskOfAsync(fazhi, id), "提交", new JsonObject { ["report"] = $"第 {round} 次报送" });
            var ducha = await fixture.As("ducha");
            var review = await ApiHelpers.TaskOfAsync(ducha, id, "审核");
            if (round < rounds) await ApiHelpers.CompleteOkAsync(ducha, review, back, comment: "整改不到位");
            fixture.Clock.Advance(TimeSpan.FromHours(1));
        }
        return id;
    }

    private async Task<JsonObject> UnitAsync(string unit) => await Json.GetAsync(await fixture.As("ducha"), $"/api/scoring/2026/units/{unit}");

    [Fact]
    public async Task An_outcome_the_designer_marks_as_sending_back_counts_as_a_redo_whatever_it_is_called()
    {
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/scoring/2026/rules", new { startScore = 3 }));
        var flow = await ImportReviewFlowAsync("sv-redo-fuban", ["通过", "复办"], ["复办"], "复办");

        // A send-back needs its reason, whatever it is called.
        var item = await ApiHelpers.StartAsync(await fixture.As("ducha"), flow, new JsonObject { ["title"] = "理由", ["unit"] = "fzc", ["dueDate"] = "2026-12-31" });
        var fazhi = await fixture.As("fazhi");
        await ApiHelpers.CompleteOkAsync(fazhi, await ApiHelpers.TaskOfAsync(fazhi, item), "提交", new JsonObject { ["report"] = "初稿" });
        var ducha = await fixture.As("ducha");
        var noReason = await ApiHelpers.FieldErrorsAsync(await ApiHelpers.CompleteAsync(ducha, await ApiHelpers.TaskOfAsync(ducha, item, "审核"), "复办"));
        Assert.Contains("comment", noReason.Keys);

        // Four reports, three 复办: the county table (redoThreshold 2) costs 0.1 at the third — 3 − 0.1 = 2.9.
        await RedoAsync(flow, "复办", rounds: 4);
        var view = await UnitAsync("fzc");
        var redo = Assert.Single(view["events"]!.AsArray());
        Assert.Equal("redo", redo!["type"]!.GetValue<string>());
        Assert.Equal("第 3 次复办", redo["note"]!.GetValue<string>());
        Assert.Equal(2.9m, view["score"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task An_old_definition_whose_outcome_is_literally_tuihui_still_counts_and_an_unmarked_loop_does_not()
    {
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/scoring/2026/rules", new { startScore = 3 }));
        // 退回 without the property (made before it existed): still a send-back. 3 − 0.1 = 2.9.
        await RedoAsync(await ImportReviewFlowAsync("sv-redo-legacy", ["通过", "退回"], null, "退回"), "退回", rounds: 4);
        Assert.Equal(2.9m, (await UnitAsync("fzc"))["score"]!.GetValue<decimal>());

        // 补充材料 loops back but the designer did not mark it as a send-back: no redo (jinan unscored: 3).
        var loop = await ImportReviewFlowAsync("sv-redo-loop", ["通过", "补充材料"], null, "补充材料");
        var id = await ApiHelpers.StartAsync(await fixture.As("ducha"), loop, new JsonObject { ["title"] = "补充", ["unit"] = "jinan", ["dueDate"] = "2026-12-31" });
        for (var round = 1; round <= 4; round++)
        {
            var jinan = await fixture.As("jinan");
            await ApiHelpers.CompleteOkAsync(jinan, await ApiHelpers.TaskOfAsync(jinan, id), "提交", new JsonObject { ["report"] = $"第 {round} 次" });
            var ducha = await fixture.As("ducha");
            if (round < 4) await ApiHelpers.CompleteOkAsync(ducha, await ApiHelpers.TaskOfAsync(ducha, id, "审核"), "补充材料");
            fixture.Clock.Advance(TimeSpan.FromHours(1));
        }
        Assert.Empty((await UnitAsync("jinan"))["events"]!.AsArray());
    }

    [Fact]
    public async Task Only_handling_units_are_scored_and_ranked_not_the_office_whose_review_ran_again()
    {
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/scoring/2026/rules", new { startScore = 3 }));
        // 4 reports, 3 退回: the office's own 审核 (offered to the office as a unit) ran 4 times as well — it is not a
        // handling unit, so it is not scored.
        var flow = await ImportReviewFlowAsync("sv-redo-office", ["通过", "退回"], null, "退回",
            new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("bgs") });
        await RedoAsync(flow, "退回", rounds: 4);
        var ranking = await Json.GetAsync(await fixture.As("lingdao"), "/api/scoring/2026");
        var units = ranking["units"]!.AsArray().Select(u => u!["unitId"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("bgs", units);                 // 厅办公室（督查室）: the supervision office
        Assert.DoesNotContain("sft", units);                 // the organization's root
        Assert.Contains("fzc", units);
        Assert.Equal(2.9m, ranking["units"]!.AsArray().Single(u => u!["unitId"]!.GetValue<string>() == "fzc")!["score"]!.GetValue<decimal>());
        var ducha = await fixture.As("ducha");
        Assert.Equal(HttpStatusCode.NotFound, (await ducha.GetAsync("/api/scoring/2026/units/bgs")).StatusCode);
        var bulletin = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync("/api/scoring/bulletins", new { unitId = "bgs", title = "通报", issuedOn = "2026-03-31" }));
        Assert.StartsWith("只有承办单位参加考核", bulletin["unitId"].Single());
    }

    [Fact]
    public async Task No_rules_no_scores_until_the_organization_chooses_the_county_table_or_its_own()
    {
        // The demo organization chose the county table when it was set up; its administrator takes the choice back.
        // Nothing chosen, no rules for 2026: a written notice is raised and logged, but nobody is scored.
        var unchosen = await (await fixture.As("admin")).PutAsJsonAsync("/api/scoring/table?year=2026", new { table = (string?)null });
        Assert.True(unchosen.IsSuccessStatusCode, await unchosen.Content.ReadAsStringAsync());
        var id = await fixture.StartItemAsync();
        // The item is due 5 working days from Mon 2 Mar, on Mon 9 Mar; the written notice is raised when it is overdue
        // (one raised before the deadline is a reminder and costs nothing, decision 022).
        fixture.Clock.Set(DeadlineFixture.Beijing(2026, 3, 11));
        var ducha = await fixture.As("ducha");
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new { unitId = "fzc", rungKey = "written" }), HttpStatusCode.Created);
        var unit = await UnitAsync("fzc");
        Assert.False(unit["scored"]!.GetValue<bool>());
        Assert.Null(unit["score"]);
        Assert.Empty(unit["events"]!.AsArray());
        var ranking = await Json.GetAsync(await fixture.As("lingdao"), "/api/scoring/2026");
        Assert.False(ranking["scored"]!.GetValue<bool>());
        Assert.Empty(ranking["units"]!.AsArray());
        var admin = await fixture.As("admin");
        var rules = await Json.GetAsync(admin, "/api/scoring/2026/rules");
        Assert.False(rules["scored"]!.GetValue<bool>());
        Assert.Null(rules["table"]);
        Assert.Equal("county", rules["tables"]![0]!["value"]!.GetValue<string>());

        var bad = await ApiHelpers.FieldErrorsAsync(await admin.PutAsJsonAsync("/api/scoring/table", new { table = "province" }));
        Assert.StartsWith("考核标准「province」不存在", bad["table"].Single());
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PutAsJsonAsync("/api/scoring/table", new { table = "county" })).StatusCode);

        // The explicit choice: the county table (003 §六). The notice already logged now costs 0.2: 3 − 0.2 = 2.8.
        var chosen = await Json.OkAsync(await admin.PutAsJsonAsync("/api/scoring/table?year=2026", new { table = "county" }));
        Assert.True(chosen["scored"]!.GetValue<bool>());
        Assert.Equal("county", chosen["table"]!.GetValue<string>());
        Assert.True(chosen["isDefault"]!.GetValue<bool>());
        Assert.Equal(2.8m, (await UnitAsync("fzc"))["score"]!.GetValue<decimal>());

        // Own rules for 2026 take precedence (start 5, notice 0.5: 5 − 0.5 = 4.5); 2025 stays on the table.
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/scoring/2026/rules", new { startScore = 5, deductions = new Dictionary<string, decimal> { ["writtenNotice"] = 0.5m } }));
        Assert.Equal(4.5m, (await UnitAsync("fzc"))["score"]!.GetValue<decimal>());
        Assert.True((await Json.GetAsync(admin, "/api/scoring/2025/rules"))["scored"]!.GetValue<bool>());

        // Choosing none again: 2025 is not scored; 2026 keeps its own rules.
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/scoring/table", new { table = (string?)null }));
        Assert.False((await Json.GetAsync(admin, "/api/scoring/2025/rules"))["scored"]!.GetValue<bool>());
        Assert.Equal(4.5m, (await UnitAsync("fzc"))["score"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task An_outcome_the_designer_counts_scores_the_unit_whose_report_was_judged_when_it_was_chosen()
    {
        var admin = await fixture.As("admin");
        var saved = await admin.PutAsJsonAsync("/api/scoring/events", new
        {
            events = new object[] { new { name = "报送材料质量差" }, new { name = "报告质量优秀", adds = true } },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var events = (await admin.GetFromJsonAsync<JsonArray>("/api/scoring/events"))!;
        string Key(string name) => events.Single(e => e!["name"]!.GetValue<string>() == name)!["key"]!.GetValue<string>();
        var (poor, fine) = (Key("报送材料质量差"), Key("报告质量优秀"));
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/scoring/2026/rules", new
        {
            startScore = 100m, floor = 0m, redoThreshold = 5,
            deductions = new Dictionary<string, decimal> { [poor] = 2m, [fine] = 1m },
        }));

        // 审核: 退回 counts as 报送材料质量差, 优秀 as 报告质量优秀, 通过 as nothing.
        var flow = await ImportReviewFlowAsync("sv-outcome-scores", ["通过", "优秀", "退回"], null, "退回",
            outcomeScores: new JsonObject { ["退回"] = poor, ["优秀"] = fine });
        var item = await RedoAsync(flow, "退回", rounds: 3);               // two 退回 of 法制处's report, then its third report waits
        var ducha = await fixture.As("ducha");
        await ApiHelpers.CompleteOkAsync(ducha, await ApiHelpers.TaskOfAsync(ducha, item, "审核"), "优秀");

        var view = await UnitAsync("fzc");
        var lines = view["events"]!.AsArray();
        Assert.Equal([poor, poor, fine], lines.Select(e => e!["type"]!.GetValue<string>()).OrderBy(t => t == fine));
        Assert.All(lines, e => Assert.Equal("outcome", e!["source"]!.GetValue<string>()));
        Assert.Contains(lines, e => e!["note"]!.GetValue<string>() == "审核：退回");
        Assert.Equal(97m, view["score"]!.GetValue<decimal>());                          // 100 − 2 − 2 + 1

        // Dated when the outcome was chosen (the clock stands in March 2026, one hour per round).
        var chosenAt = (await ApiHelpers.InstanceAsync(ducha, item))["timeline"]!.AsArray()
            .Where(j => j!["kind"]!.GetValue<string>() == "taskCompleted" && j["activityId"]?.GetValue<string>() == "review")
            .Select(j => j!["at"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(3, chosenAt.Count);
        var counted = (await ApiHelpers.InstanceAsync(ducha, item))["timeline"]!.AsArray()
            .Where(j => j!["data"]?["scoreEvent"] is not null).ToList();
        Assert.Equal(["报送材料质量差", "报送材料质量差", "报告质量优秀"], counted.Select(j => j!["data"]!["scoreEventName"]!.GetValue<string>()));
        Assert.All(counted, j => Assert.Equal("法制处", j!["data"]!["judgedUnitName"]!.GetValue<string>()));
        Assert.Equal(chosenAt.Order(), lines.Select(e => e!["at"]!.GetValue<DateTimeOffset>()).Order());
    }

    /// <summary>
    /// 撤回 (decision 031): a judgement the reviewer took back is not scored — neither its outcome's event nor the redo it
    /// opened — and the judgement made again counts once.
    /// </summary>
    [Fact]
    public async Task A_recalled_judgement_does_not_count_and_the_one_made_again_counts_once()
    {
        var admin = await fixture.As("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/scoring/events", new
        {
            events = new object[] { new { name = "报送材料质量差" }, new { name = "报告质量优秀", adds = true } },
        })).StatusCode);
        var events = (await admin.GetFromJsonAsync<JsonArray>("/api/scoring/events"))!;
        string Key(string name) => events.Single(e => e!["name"]!.GetValue<string>() == name)!["key"]!.GetValue<string>();
        var (poor, fine) = (Key("报送材料质量差"), Key("报告质量优秀"));
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/scoring/2026/rules", new
        {
            startScore = 100m, floor = 0m, redoThreshold = 0,
            deductions = new Dictionary<string, decimal> { [poor] = 2m, [fine] = 1m, ["redo"] = 0.5m },
        }));
        var flow = await ImportReviewFlowAsync("sv-recalled-scores", ["通过", "优秀", "退回"], null, "退回",
            outcomeScores: new JsonObject { ["退回"] = poor, ["优秀"] = fine });
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");

        async Task<Guid> JudgeAsync(Guid item, string outcome)
        {
            var review = await ApiHelpers.TaskOfAsync(ducha, item, "审核");
            await ApiHelpers.CompleteOkAsync(ducha, review, outcome, comment: outcome == "退回" ? "整改不到位" : null);
            fixture.Clock.Advance(TimeSpan.FromHours(1));
            return review;
        }
        async Task RecallAsync(Guid task)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsync($"/api/tasks/{task}/recall", null)).StatusCode);
            fixture.Clock.Advance(TimeSpan.FromHours(1));
        }

        // One item: sent back, taken back before 法制处 took up the redo, then judged 优秀.
        var first = await RedoAsync(flow, "退回", rounds: 1);
        await RecallAsync(await JudgeAsync(first, "退回"));
        await JudgeAsync(first, "优秀");
        Assert.Equal(101m, (await UnitAsync("fzc"))["score"]!.GetValue<decimal>());

        // Another: sent back, taken back, sent back again — one 报送材料质量差 and one redo, not two.
        var second = await RedoAsync(flow, "退回", rounds: 1);
        var review = await JudgeAsync(second, "退回");
        await RecallAsync(review);
        await JudgeAsync(second, "退回");
        await ApiHelpers.CompleteOkAsync(fazhi, await ApiHelpers.TaskOfAsync(fazhi, second), "提交", new JsonObject { ["report"] = "第 2 次报送" });
        await JudgeAsync(second, "通过");

        var view = await UnitAsync("fzc");
        var lines = view["events"]!.AsArray();
        Assert.Equal([fine, poor, "redo"], lines.Select(e => e!["type"]!.GetValue<string>()).OrderBy(t => t == fine ? 0 : t == poor ? 1 : 2));
        Assert.Equal(98.5m, view["score"]!.GetValue<decimal>());                      // 100 + 1 − 2 − 0.5
        // The recalled lines stay on the item's record: the journal is the file, 撤回 does not erase.
        var timeline = (await ApiHelpers.InstanceAsync(ducha, second))["timeline"]!.AsArray();
        Assert.Equal(2, timeline.Count(j => j!["kind"]!.GetValue<string>() == "taskCompleted" && j["outcome"]?.GetValue<string>() == "退回"));
    }

    [Fact]
    public async Task An_outcome_cannot_count_as_an_event_nobody_has_or_on_an_outcome_the_step_lacks()
    {
        var admin = await fixture.As("admin");
        var flow = Flow("sv-outcome-bad", "坏流程", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记" },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过", "退回")),
                ["outcomeScores"] = Literal(new JsonObject { ["退回"] = "own-nobody", ["驳回"] = "phone" }),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "review"), Connection("review", "通过", "end"), Connection("review", "退回", "end")]);
        var check = await Json.OkAsync(await admin.PostAsJsonAsync("/api/definitions/validate", flow));
        var messages = check["errors"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains("计入考核的结果「驳回」不在本环节的办理结果中"));

        // Publishing also checks the event exists.
        var response = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", flow);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        flow["root"]!["activities"]![1]!["outcomeScores"] = Literal(new JsonObject { ["退回"] = "own-nobody" });
        response = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", flow);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("计入的考核事件不存在", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_definition_cannot_mark_an_unknown_outcome_or_every_outcome_as_sending_back()
    {
        var admin = await fixture.As("admin");
        var flow = Flow("sv-redo-bad", "坏流程", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记" },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("复办")), ["sendsBack"] = Literal(new JsonArray("复办", "重办")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "review"), Connection("review", "复办", "end")]);
        var check = await Json.OkAsync(await admin.PostAsJsonAsync("/api/definitions/validate", flow));
        var messages = check["errors"]!.AsArray().Select(e => e!["message"]!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains("退回重办的结果「重办」不在本环节的办理结果中"));
        Assert.Contains(messages, m => m.Contains("至少要有一个办理结果不是退回重办"));
    }
}

public sealed class SqliteScoringRulesTests(SqliteDeadlineFixture fixture) : ScoringRulesTests<SqliteDeadlineFixture>(fixture), IClassFixture<SqliteDeadlineFixture>;

public sealed class PostgresScoringRulesTests(PostgresDeadlineFixture fixture) : ScoringRulesTests<PostgresDeadlineFixture>(fixture), IClassFixture<PostgresDeadlineFixture>;
