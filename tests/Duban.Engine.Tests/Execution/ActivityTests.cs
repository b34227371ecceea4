using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>One behaviour of each built-in activity type, driven through <see cref="WorkflowRunner"/>.</summary>
public class ActivityTests
{
    // ───────────── Start ─────────────

    private static FlowBuilder StartFormFlow(string? titleScript) => FlowBuilder.Define("lixiang", "督办立项")
        .Form("f_start", "立项登记",
            Field.Text("subject", "事项名称", required: true),
            Field.Select("level", "等级", "一般", "较大", "重大"),
            Field.Number("amount", "涉及金额"))
        .Start(form: "f_start", titleScript: titleScript)
        .UserTask("cb", "承办", Assign.Units(Jinan))
        .End()
        .Chain("start", "cb").Connect("cb", "end", "提交");

    [Fact]
    public void Start_with_start_form_keeps_the_data_and_computes_the_title()
    {
        var driver = new WorkflowDriver(StartFormFlow("'关于' + item.subject + '的督办（' + item.level + '）'").Build());

        var result = driver.Start(Wang, Json.Obj("""{ "subject": "整治违规收费", "level": "重大" }"""));

        Assert.Equal("关于整治违规收费的督办（重大）", result.State.Title);
        Assert.Equal("整治违规收费", (string?)result.State.Data["subject"]);
        Assert.Equal(Wang, result.State.InitiatorId);
        Assert.Equal(Office, result.State.InitiatorUnitId);
        Assert.Equal(WorkflowStatus.Suspended, result.State.Status);
        var started = Assert.Single(result.Effects.Journal, j => j.Kind == JournalKind.InstanceStarted);
        Assert.Equal("关于整治违规收费的督办（重大）", (string?)started.Data!["title"]);
        Assert.Equal(TaskAssignee.Unit(Jinan), Assert.Single(driver.OpenTasks).Assignee);
    }

    [Fact]
    public void Start_without_title_script_takes_the_title_field_or_else_the_procedure_name()
    {
        var withTitleField = FlowBuilder.Define("lixiang", "督办立项")
            .Form("f_start", "立项登记", Field.Text("title", "标题"))
            .Start(form: "f_start").UserTask("cb", "承办", Assign.Users(Wang)).End()
            .Chain("start", "cb").Connect("cb", "end", "提交").Build();
        Assert.Equal("关于整改的通知", new WorkflowDriver(withTitleField).Start(Wang, Json.Obj("""{ "title": "关于整改的通知" }""")).State.Title);

        var noForm = FlowBuilder.Define("lixiang", "督办立项")
            .Start().UserTask("cb", "承办", Assign.Users(Wang)).End()
            .Chain("start", "cb").Connect("cb", "end", "提交").Build();
        Assert.Equal("督办立项", new WorkflowDriver(noForm).Start(Wang).State.Title);
    }

    [Fact]
    public void Start_with_an_invalid_start_form_is_refused_with_field_errors()
    {
        var driver = new WorkflowDriver(StartFormFlow(null).Build());

        var e = Assert.Throws<WorkflowInputException>(() => driver.Start(Wang, Json.Obj("""{ "level": "特大" }""")));

        Assert.Contains(e.Errors, f => f.Field == "subject");
        Assert.Contains(e.Errors, f => f.Field == "level");
    }

    // ───────────── UserTask ─────────────

    [Fact]
    public void UserTask_outcome_offered_until_the_deadline_is_refused_once_it_has_passed()
    {
        // 签收 with a 交办异议 window: 退回 only within the step's deadline, 签收 at any time.
        static WorkflowDriver Signoff() => new(FlowBuilder.Define()
            .Start()
            .Node("cb", ActivityTypes.UserTask, "签收",
                ("assignee", In.Literal(Assign.Users(Wang))), ("outcomes", In.Literal(new[] { "签收", "退回" })),
                ("outcomesUntilDue", In.Literal(new[] { "退回" })), ("dueIn", In.Literal("P5D")))
            .End()
            .Chain("start", "cb").Connect("cb", "end", "签收").Connect("cb", "end", "退回").Build());

        var within = Signoff();
        var due = Assert.Single(within.Start(Liu).Effects.NewTasks).DueAt;
        Assert.NotNull(due);
        within.Clock.Advance(TimeSpan.FromDays(4));
        Assert.Equal(WorkflowStatus.Completed, within.Complete("cb", Wang, "退回", comment: "不属于本单位职责").State.Status);

        var late = Signoff();
        late.Start(Liu);
        late.Clock.Advance(TimeSpan.FromDays(6));
        var refused = Assert.Throws<WorkflowInputException>(() => late.Complete("cb", Wang, "退回", comment: "不属于本单位职责"));
        Assert.Equal("outcome", Assert.Single(refused.Errors).Field);
        Assert.Contains("现已超过期限", refused.Errors[0].Message);
        Assert.Equal(WorkflowStatus.Completed, late.Complete("cb", Wang, "签收").State.Status);
    }

    [Fact]
    public void UserTask_outcomes_until_due_must_be_outcomes_and_leave_one_for_after_the_deadline()
    {
        static List<string> Problems(string[] untilDue)
        {
            var definition = FlowBuilder.Define().Start()
                .Node("cb", ActivityTypes.UserTask, "签收", ("assignee", In.Literal(Assign.Users(Wang))),
                    ("outcomes", In.Literal(new[] { "签收", "退回" })), ("outcomesUntilDue", In.Literal(untilDue)))
                .End().Chain("start", "cb", "end").Build();
            return new UserTaskActivity().Validate(definition.Root.Find("cb")!, definition).ToList();
        }

        Assert.Empty(Problems(["退回"]));
        Assert.Contains("限期办理结果「撤回」不在本环节的办理结果中", Problems(["撤回"]));
        Assert.Contains("至少要有一个办理结果在期限过后仍可选择", Problems(["签收", "退回"]));
    }

    [Fact]
    public void UserTask_single_creates_one_task_and_its_completion_carries_on()
    {
        var definition = FlowBuilder.Define()
            .Start().UserTask("cb", "承办", Assign.Users(Wang)).End()
            .Chain("start", "cb").Connect("cb", "end", "提交").Build();
        var driver = new WorkflowDriver(definition);

        var started = driver.Start(Liu);

        var task = Assert.Single(started.Effects.NewTasks);
        Assert.Equal("cb", task.ActivityId);
        Assert.Equal("承办", task.Name);
        Assert.Equal(TaskKind.Task, task.Kind);
        Assert.Equal(TaskAssignee.User(Wang), task.Assignee);
        Assert.Equal(["提交"], task.Outcomes);
        Assert.Equal("cb#1", task.ExecutionId);
        var bookmark = Assert.Single(started.State.Bookmarks);
        Assert.Equal(task.BookmarkId, bookmark.Id);
        Assert.Equal(WorkflowStatus.Suspended, started.State.Status);

        var done = driver.Complete("cb", Wang, comment: "已办理");

        Assert.Equal(WorkflowStatus.Completed, done.State.Status);
        Assert.Equal("办结", done.State.Result);
        Assert.Contains(task.BookmarkId!, done.Effects.RemovedBookmarkIds);
        Assert.Empty(done.State.Bookmarks);
        var completed = Assert.Single(done.Effects.Journal, j => j.Kind == JournalKind.TaskCompleted);
        Assert.Equal(("提交", "已办理", Wang, "王督查"), (completed.Outcome, completed.Comment, completed.ActorId, completed.ActorName));
    }

    private static WorkflowDriver CountersignFlow(string mode, params string[] users) => new(FlowBuilder.Define()
        .Start()
        .UserTask("hq", "会签", Assign.Users(users), outcomes: ["同意", "退回"], countersign: mode)
        .UserTask("ld", "领导审批", Assign.Users(Liu))
        .UserTask("xg", "修改", Assign.Initiator())
        .End()
        .Chain("start", "hq")
        .Connect("hq", "ld", "同意").Connect("hq", "xg", "退回")
        .Connect("ld", "end", "提交").Connect("xg", "hq", "提交")
        .Build());

    [Fact]
    public void Countersign_all_waits_for_everyone_then_takes_the_primary_outcome()
    {
        var driver = CountersignFlow(UserTaskActivity.All, Wang, Zhao, Chen);
        driver.Start(Admin);
        Assert.Equal(3, driver.OpenTasksOf("hq").Count());
        Assert.Single(driver.State.Bookmarks);

        var first = driver.Complete("hq", Wang, "同意");
        var second = driver.Complete("hq", Chen, "同意");

        Assert.All(new[] { first, second }, r =>
        {
            Assert.Equal(WorkflowStatus.Suspended, r.State.Status);
            Assert.Empty(r.Effects.NewTasks);
            Assert.Empty(r.Effects.RemovedBookmarkIds);
            Assert.DoesNotContain(r.Effects.Journal, j => j.Kind == JournalKind.ActivityCompleted);
        });
        Assert.Equal(TaskAssignee.User(Zhao), Assert.Single(driver.OpenTasksOf("hq")).Assignee);

        var last = driver.Complete("hq", Zhao, "同意");

        Assert.Single(last.Effects.RemovedBookmarkIds);
        Assert.Equal(TaskAssignee.User(Liu), Assert.Single(driver.OpenTasks).Assignee);
        Assert.Equal("同意", Assert.Single(last.Effects.Journal, j => j.Kind == JournalKind.ActivityCompleted && j.ActivityId == "hq").Outcome);
    }

    [Fact]
    public void Countersign_all_one_return_decides_at_once_and_removes_the_others_bookmark()
    {
        var driver = CountersignFlow(UserTaskActivity.All, Wang, Zhao, Chen);
        driver.Start(Admin);
        var bookmarkId = driver.State.Bookmarks.Single().Id;
        driver.Complete("hq", Wang, "同意");

        var returned = driver.Complete("hq", Zhao, "退回", comment: "依据不足");

        Assert.Equal([bookmarkId], returned.Effects.RemovedBookmarkIds);
        Assert.Empty(driver.OpenTasksOf("hq"));                       // 陈处长's task is gone with the bookmark
        Assert.Equal(TaskAssignee.User(Admin), Assert.Single(driver.OpenTasks).Assignee);
        Assert.Equal("xg", driver.OpenTasks[0].ActivityId);
    }

    [Fact]
    public void Countersign_any_the_first_to_act_decides_for_everyone()
    {
        var driver = CountersignFlow(UserTaskActivity.Any, Wang, Zhao, Chen);
        driver.Start(Admin);
        Assert.Equal(3, driver.OpenTasksOf("hq").Count());

        var result = driver.Complete("hq", Chen, "同意");

        Assert.Single(result.Effects.RemovedBookmarkIds);
        Assert.Empty(driver.OpenTasksOf("hq"));
        Assert.Equal("ld", Assert.Single(driver.OpenTasks).ActivityId);
    }

    [Fact]
    public void Countersign_sequence_creates_the_tasks_one_after_another()
    {
        var driver = CountersignFlow(UserTaskActivity.Sequence, Wang, Zhao, Chen);

        var started = driver.Start(Admin);

        var first = Assert.Single(started.Effects.NewTasks);
        Assert.Equal((TaskAssignee.User(Wang), 1), (first.Assignee, first.Sequence));

        var afterWang = driver.Complete("hq", Wang, "同意");
        var second = Assert.Single(afterWang.Effects.NewTasks);
        Assert.Equal((TaskAssignee.User(Zhao), 2, first.BookmarkId), (second.Assignee, second.Sequence, second.BookmarkId));
        Assert.Empty(afterWang.Effects.RemovedBookmarkIds);

        var afterZhao = driver.Complete("hq", Zhao, "同意");
        var third = Assert.Single(afterZhao.Effects.NewTasks);
        Assert.Equal((TaskAssignee.User(Chen), 3), (third.Assignee, third.Sequence));

        var afterChen = driver.Complete("hq", Chen, "同意");
        Assert.Equal("ld", Assert.Single(afterChen.Effects.NewTasks).ActivityId);
        Assert.Equal([first.BookmarkId!], afterChen.Effects.RemovedBookmarkIds);
    }

    [Fact]
    public void Countersign_sequence_stops_at_the_first_return()
    {
        var driver = CountersignFlow(UserTaskActivity.Sequence, Wang, Zhao, Chen);
        driver.Start(Admin);
        driver.Complete("hq", Wang, "同意");

        var result = driver.Complete("hq", Zhao, "退回", comment: "请补充材料");

        Assert.Equal("xg", Assert.Single(result.Effects.NewTasks).ActivityId);
        Assert.Empty(driver.OpenTasksOf("hq"));
    }

    // ───────────── Decision / Switch ─────────────

    [Theory]
    [InlineData(50000, "ld", "True")]
    [InlineData(800, "cb", "False")]
    public void Decision_takes_the_true_or_false_port_from_a_script_over_the_form_data(int amount, string next, string port)
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Form("f_start", "立项登记", Field.Text("subject", "事项名称"), Field.Number("amount", "涉及金额"))
            .Start(form: "f_start")
            .Decision("d", "金额较大？", "item.amount >= 10000 && item.subject.length > 0")
            .UserTask("ld", "领导审批", Assign.Users(Liu))
            .UserTask("cb", "承办", Assign.Units(Jinan))
            .End()
            .Chain("start", "d")
            .Connect("d", "ld", "True").Connect("d", "cb", "False")
            .Connect("ld", "end", "提交").Connect("cb", "end", "提交")
            .Build());

        var result = driver.Start(Wang, new JsonObject { ["subject"] = "违规收费", ["amount"] = amount });

        Assert.Equal(next, Assert.Single(driver.OpenTasks).ActivityId);
        Assert.Equal(port, result.Effects.Journal.Single(j => j.Kind == JournalKind.ActivityCompleted && j.ActivityId == "d").Outcome);
    }

    [Theory]
    [InlineData("重大", "end_major", "报厅长")]
    [InlineData("较大", "end_medium", "报主任")]
    [InlineData("一般", "end_default", "办结")]
    public void Switch_takes_the_first_matching_case_or_Default(string level, string endId, string expectedResult)
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Form("f_start", "立项登记", Field.Select("level", "等级", "一般", "较大", "重大"))
            .Start(form: "f_start")
            .Switch("sw", "按等级分流", ("重大", "item.level === '重大'"), ("较大", "item.level === '较大' || item.level === '重大'"))
            .End("end_major", "报厅长").End("end_medium", "报主任").End("end_default")
            .Chain("start", "sw")
            .Connect("sw", "end_major", "重大").Connect("sw", "end_medium", "较大").Connect("sw", "end_default", "Default")
            .Build());

        var result = driver.Start(Wang, new JsonObject { ["level"] = level });

        Assert.Equal(WorkflowStatus.Completed, result.State.Status);
        Assert.Equal(expectedResult, result.State.Result);
        Assert.Equal(endId, result.Effects.Journal.Single(j => j.Kind == JournalKind.InstanceCompleted).ActivityId);
    }

    // ───────────── Fork / Join ─────────────

    private static WorkflowDriver ForkJoinFlow(string joinMode) => new(FlowBuilder.Define()
        .Start()
        .Fork("fork")
        .UserTask("a", "济南市局办理", Assign.Units(Jinan))
        .UserTask("b", "青岛市局办理", Assign.Units(Qingdao))
        .Join("join", mode: joinMode)
        .UserTask("hz", "汇总", Assign.Users(Wang))
        .End()
        .Chain("start", "fork").Connect("fork", "a").Connect("fork", "b")
        .Connect("a", "join", "提交").Connect("b", "join", "提交")
        .Chain("join", "hz").Connect("hz", "end", "提交")
        .Build());

    [Fact]
    public void Fork_runs_both_branches_and_Join_waitAll_waits_for_both()
    {
        var driver = ForkJoinFlow(JoinActivity.WaitAll);
        driver.Start(Wang);
        Assert.Equal(["a", "b"], driver.OpenTasks.Select(t => t.ActivityId).Order());
        Assert.Equal(2, driver.State.Bookmarks.Count);

        var first = driver.Complete("a", JinanLiaison);

        Assert.Equal(WorkflowStatus.Suspended, first.State.Status);
        Assert.Empty(first.Effects.NewTasks);
        Assert.Empty(driver.RoundsOf("join"));
        Assert.Equal("b", Assert.Single(driver.OpenTasks).ActivityId);

        var second = driver.Complete("b", QingdaoLiaison);

        Assert.Equal("hz", Assert.Single(second.Effects.NewTasks).ActivityId);
        Assert.Equal([1], driver.RoundsOf("join"));
        Assert.Empty(second.State.JoinArrivals);

        driver.Complete("hz", Wang);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void Join_waitAny_continues_at_the_first_arrival_and_removes_the_other_branch()
    {
        var driver = ForkJoinFlow(JoinActivity.WaitAny);
        driver.Start(Wang);
        var otherBookmark = driver.OpenTasksOf("b").Single().BookmarkId!;

        var first = driver.Complete("a", JinanLiaison);

        Assert.Equal("hz", Assert.Single(first.Effects.NewTasks).ActivityId);
        Assert.Contains(otherBookmark, first.Effects.RemovedBookmarkIds);
        Assert.Empty(driver.OpenTasksOf("b"));
        Assert.DoesNotContain(first.State.Bookmarks, b => b.ActivityId == "b");

        driver.Complete("hz", Wang);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
        Assert.Equal([1], driver.RoundsOf("join"));
    }

    // ───────────── Timer ─────────────

    private static WorkflowDriver TimerFlow(Func<FlowBuilder, FlowBuilder> timer, FakeTimeProvider clock) => new(timer(FlowBuilder.Define()
            .Form("f_start", "立项登记", Field.Text("deadline", "办结期限"))
            .Start(form: "f_start"))
        .UserTask("cb", "催办后承办", Assign.Units(Jinan))
        .End()
        .Chain("start", "timer", "cb").Connect("cb", "end", "提交")
        .Build(), clock: clock);

    [Theory]
    [InlineData("\"P3D\"", 3 * 24 * 3600)]
    [InlineData("\"PT2H\"", 2 * 3600)]
    [InlineData("90", 90)]
    public void Timer_with_a_duration_is_due_that_long_after_now_and_resuming_it_continues(string duration, int seconds)
    {
        var clock = new FakeTimeProvider();
        var now = clock.GetUtcNow();
        var driver = TimerFlow(f => f.TimerFor("timer", "等待", Json.Node(duration)!), clock);

        var started = driver.Start(Wang);

        var timer = Assert.Single(started.Effects.NewTimers);
        Assert.Equal(now.AddSeconds(seconds), timer.DueAt);
        Assert.Equal("timer", timer.ActivityId);
        Assert.Equal(BookmarkKinds.Timer, started.State.Bookmarks.Single(b => b.Id == timer.BookmarkId).Kind);
        Assert.Empty(driver.OpenTasks);
        Assert.Equal(WorkflowStatus.Suspended, started.State.Status);

        var fired = driver.FireTimer("timer");

        Assert.Equal("cb", Assert.Single(fired.Effects.NewTasks).ActivityId);
        Assert.Contains(timer.BookmarkId, fired.Effects.RemovedBookmarkIds);
        Assert.Contains(fired.Effects.Journal, j => j.Kind == JournalKind.TimerFired && j.ActorId == "system");
    }

    [Fact]
    public void Timer_until_a_literal_moment_is_due_at_that_moment()
    {
        var driver = TimerFlow(f => f.TimerUntil("timer", "等到期限", In.Literal("2025-06-30T17:00:00+08:00")), new FakeTimeProvider());

        var started = driver.Start(Wang);

        Assert.Equal(new DateTimeOffset(2025, 6, 30, 17, 0, 0, TimeSpan.FromHours(8)), Assert.Single(started.Effects.NewTimers).DueAt);
        Assert.Equal("cb", Assert.Single(driver.FireTimer("timer").Effects.NewTasks).ActivityId);
    }

    [Fact]
    public void Timer_until_a_script_over_the_form_data()
    {
        var driver = TimerFlow(f => f.TimerUntil("timer", "等到期限", In.Js("item.deadline + 'T09:00:00+08:00'")), new FakeTimeProvider());

        var started = driver.Start(Wang, Json.Obj("""{ "deadline": "2025-07-15" }"""));

        Assert.Equal(new DateTimeOffset(2025, 7, 15, 9, 0, 0, TimeSpan.FromHours(8)), Assert.Single(started.Effects.NewTimers).DueAt);
    }

    // ───────────── SetVariables ─────────────

    [Fact]
    public void SetVariables_changes_vars_and_a_later_Decision_sees_them()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Variable("count", 0)
            .Variable("route", null)
            .Start()
            .SetVariables("sv", "计数", "vars.count = vars.count + 1; vars.route = '快速通道';")
            .Decision("d", "快速通道？", "vars.count === 1 && vars.route === '快速通道'")
            .End("end_fast", "快速办结").End("end_slow", "常规办结")
            .Chain("start", "sv", "d").Connect("d", "end_fast", "True").Connect("d", "end_slow", "False")
            .Build());

        var result = driver.Start(Wang);

        Assert.Equal(1, (int)result.State.Variables["count"]!);
        Assert.Equal("快速通道", (string?)result.State.Variables["route"]);
        Assert.Equal("快速办结", result.State.Result);
    }

    // ───────────── Notify ─────────────

    private static WorkflowDriver NotifyFlow(bool wait) => new(FlowBuilder.Define()
        .Start()
        .Notify("cs", "抄送市局", Assign.Units(Jinan, Qingdao), wait, "请知悉督办事项")
        .UserTask("cb", "承办", Assign.Users(Wang))
        .End()
        .Chain("start", "cs").Connect("cs", "cb").Connect("cb", "end", "提交")
        .Build());

    [Fact]
    public void Notify_without_wait_sends_notices_and_goes_straight_on()
    {
        var driver = NotifyFlow(wait: false);

        var started = driver.Start(Liu);

        var notices = started.Effects.NewTasks.Where(t => t.Kind == TaskKind.Notice).ToList();
        Assert.Equal([TaskAssignee.Unit(Jinan), TaskAssignee.Unit(Qingdao)], notices.Select(n => n.Assignee));
        Assert.All(notices, n =>
        {
            Assert.Null(n.BookmarkId);
            Assert.Equal(["已阅"], n.Outcomes);
            Assert.Equal("请知悉督办事项", n.Message);
        });
        Assert.Contains(started.Effects.NewTasks, t => t.ActivityId == "cb" && t.Kind == TaskKind.Task);
        Assert.DoesNotContain(started.State.Bookmarks, b => b.Kind == BookmarkKinds.Notice);
    }

    [Fact]
    public void Notify_with_wait_continues_only_after_every_notice_is_read()
    {
        var driver = NotifyFlow(wait: true);

        var started = driver.Start(Liu);

        Assert.All(started.Effects.NewTasks, t => Assert.Equal(TaskKind.Notice, t.Kind));
        Assert.Equal(2, started.Effects.NewTasks.Count);
        var bookmark = Assert.Single(started.State.Bookmarks);
        Assert.Equal(BookmarkKinds.Notice, bookmark.Kind);
        Assert.All(started.Effects.NewTasks, t => Assert.Equal(bookmark.Id, t.BookmarkId));

        var firstRead = driver.Read("cs", QingdaoLiaison)!;
        Assert.Empty(firstRead.Effects.NewTasks);
        Assert.Equal(WorkflowStatus.Suspended, firstRead.State.Status);

        var secondRead = driver.Read("cs", JinanLiaison)!;
        Assert.Equal("cb", Assert.Single(secondRead.Effects.NewTasks).ActivityId);
        Assert.Equal(2, driver.Journal.Count(j => j.Kind == JournalKind.NoticeRead));
    }

    // ───────────── SubProcess ─────────────

    private static WorkflowDriver SubProcessFlow(ActivityInput items) => new(FlowBuilder.Define()
        .Form("f_start", "分解", new FormField
        {
            Key = "rows", Label = "任务分解", Type = FieldTypes.Table,
            Columns = [Field.Text("task", "任务"), Field.Units("unit", "承办单位")],
        })
        .Start(form: "f_start")
        .SubProcess("sub", "逐项办理", "rectify", items)
        .UserTask("hz", "汇总", Assign.Users(Wang))
        .End()
        .Chain("start", "sub").Connect("sub", "hz").Connect("hz", "end", "提交")
        .Build());

    [Fact]
    public void SubProcess_starts_one_child_per_item_and_completes_only_after_the_third()
    {
        var driver = SubProcessFlow(In.Literal(Json.Node("""
            [ { "task": "济南市局整改", "unit": ["jinan"] }, { "task": "青岛市局整改", "unit": ["qingdao"] }, { "task": "法制处复核", "unit": ["legal"] } ]
            """)));

        var started = driver.Start(Wang);

        var children = started.Effects.NewChildren;
        Assert.Equal(3, children.Count);
        Assert.Equal([0, 1, 2], children.Select(c => c.Index));
        Assert.Equal(["济南市局整改", "青岛市局整改", "法制处复核"], children.Select(c => c.Title));
        Assert.All(children, c => Assert.Equal("rectify", c.DefinitionId));
        Assert.Single(children.Select(c => c.ParentBookmarkId).Distinct());
        Assert.Equal("qingdao", (string?)children[1].Input!["unit"]![0]);
        Assert.Equal(3, children.Select(c => c.InstanceId).Distinct().Count());

        var one = driver.CompleteChild(children[1]);
        var two = driver.CompleteChild(children[0]);
        Assert.All(new[] { one, two }, r =>
        {
            Assert.Equal(WorkflowStatus.Suspended, r.State.Status);
            Assert.Empty(r.Effects.NewTasks);
        });

        var three = driver.CompleteChild(children[2]);
        Assert.Equal("hz", Assert.Single(three.Effects.NewTasks).ActivityId);
        Assert.Equal(3, driver.Journal.Count(j => j.Kind == JournalKind.ChildCompleted));
    }

    [Fact]
    public void SubProcess_items_from_a_script_over_the_table_field()
    {
        var driver = SubProcessFlow(In.Js("item.rows.filter(r => r.task)"));

        var started = driver.Start(Wang, Json.Obj("""{ "rows": [ { "task": "甲" }, { "task": "乙" }, { "task": "丙" } ] }"""));

        Assert.Equal(["甲", "乙", "丙"], started.Effects.NewChildren.Select(c => c.Title));
    }

    [Fact]
    public void SubProcess_refuses_a_child_completion_it_has_already_counted()
    {
        var driver = SubProcessFlow(In.Literal(Json.Node("""["甲", "乙"]""")));
        driver.Start(Wang);
        var child = driver.RunningChildren[0];
        driver.CompleteChild(child);
        var before = driver.StateJson();

        Assert.Throws<WorkflowConflictException>(() => driver.CompleteChild(child));
        Assert.Equal(before, driver.StateJson());
    }

    [Fact]
    public void SubProcess_with_an_empty_list_continues_at_once()
    {
        var driver = SubProcessFlow(In.Literal(new JsonArray()));

        var started = driver.Start(Wang);

        Assert.Empty(started.Effects.NewChildren);
        Assert.Equal("hz", Assert.Single(started.Effects.NewTasks).ActivityId);
        Assert.DoesNotContain(started.State.Bookmarks, b => b.Kind == BookmarkKinds.Children);
    }

    // ───────────── End ─────────────

    [Theory]
    [InlineData("立项", "办结")]
    [InlineData("不予立项", "不予立项")]
    public void End_completes_the_instance_with_its_result(string outcome, string result)
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .UserTask("sc", "审查", Assign.Users(Wang), outcomes: ["立项", "不予立项"])
            .End("end_ok").End("end_no", "不予立项")
            .Chain("start", "sc").Connect("sc", "end_ok", "立项").Connect("sc", "end_no", "不予立项")
            .Build());
        driver.Start(Liu);

        var done = driver.Complete("sc", Wang, outcome);

        Assert.Equal(WorkflowStatus.Completed, done.State.Status);
        Assert.Equal(result, done.State.Result);
        Assert.Equal(result, Assert.Single(done.Effects.Journal, j => j.Kind == JournalKind.InstanceCompleted).Outcome);
    }

    [Fact]
    public void End_removes_the_bookmarks_of_other_branches()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .Fork("fork")
            .UserTask("a", "办理", Assign.Users(Wang))
            .UserTask("b", "复核", Assign.Users(Zhao))
            .TimerFor("t", "等待一天", JsonValue.Create("P1D"))
            .End("end_a")
            .Join("join")
            .End("end_join", "不应到达")
            .Chain("start", "fork").Connect("fork", "a").Connect("fork", "b").Connect("fork", "t")
            .Connect("a", "end_a", "提交").Connect("b", "join", "提交").Connect("t", "join")
            .Chain("join", "end_join")
            .Build());
        driver.Start(Liu);
        var others = driver.State.Bookmarks.Where(b => b.ActivityId != "a").Select(b => b.Id).ToList();
        Assert.Equal(2, others.Count);

        var done = driver.Complete("a", Wang);

        Assert.Equal(WorkflowStatus.Completed, done.State.Status);
        Assert.Equal("办结", done.State.Result);
        Assert.Empty(done.State.Bookmarks);
        Assert.All(others, id => Assert.Contains(id, done.Effects.RemovedBookmarkIds));
        Assert.Empty(driver.OpenTasks);
        Assert.Empty(driver.PendingTimers);
    }

    [Fact]
    public void Cancel_removes_every_bookmark_and_refuses_further_events()
    {
        var driver = ForkJoinFlow(JoinActivity.WaitAll);
        driver.Start(Wang);
        var task = driver.TaskOf("a", JinanLiaison);

        var cancelled = driver.Cancel(Liu, "重复立项");

        Assert.Equal(WorkflowStatus.Cancelled, cancelled.State.Status);
        Assert.Equal(2, cancelled.Effects.RemovedBookmarkIds.Count);
        Assert.Empty(driver.OpenTasks);
        Assert.Throws<WorkflowConflictException>(() => driver.CompleteTask(task, JinanLiaison));
        Assert.Throws<WorkflowConflictException>(() => driver.Cancel(Liu));
    }
}
