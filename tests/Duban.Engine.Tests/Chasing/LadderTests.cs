using System.Text.Json.Nodes;
using Duban.Engine.Calendar;
using Duban.Engine.Chasing;

namespace Duban.Engine.Tests.Chasing;

/// <summary>The chasing ladder's timing: rung by rung as the clock moves past the deadline.</summary>
public sealed class LadderTests
{
    private static readonly WorkCalendar China = ShippedCalendars.Calendar();
    private static readonly DateOnly Deadline = new(2026, 3, 16); // Monday

    private static DateTimeOffset Beijing(int m, int d, int h) => new(2026, m, d, h, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void The_default_ladder_is_the_county_one_and_is_valid()
    {
        Assert.Equal(["remind", "phone", "written", "onsite", "meeting", "accountability"], Ladder.Default.Select(r => r.Key));
        Assert.Empty(Ladder.Problems(Ladder.Default));
        Assert.Empty(Ladder.Problems(Ladder.ToJson(Ladder.Default)));
    }

    [Fact]
    public void Rungs_fall_due_in_working_days_around_the_deadline()
    {
        Assert.Equal(Beijing(3, 12, 0), Ladder.DueAt(Ladder.Default[0], Deadline, China));          // 2 working days before: Thu 3/12 morning
        Assert.Equal(ChinaTime.EndOf(new DateOnly(2026, 3, 17)), Ladder.DueAt(Ladder.Default[1], Deadline, China)); // 1 working day overdue
        Assert.Equal(ChinaTime.EndOf(new DateOnly(2026, 3, 19)), Ladder.DueAt(Ladder.Default[2], Deadline, China));
        Assert.Equal(ChinaTime.EndOf(new DateOnly(2026, 3, 23)), Ladder.DueAt(Ladder.Default[3], Deadline, China));
        Assert.Null(Ladder.DueAt(Ladder.Default[4], Deadline, China));
    }

    [Fact]
    public void An_overdue_item_climbs_one_rung_at_a_time_and_leaves_the_manual_rungs_to_people()
    {
        var rungs = Ladder.Default;
        var next = 0;
        var raised = new List<string>();
        void At(DateTimeOffset now)
        {
            var plan = Ladder.Plan(rungs, next, Deadline, now, China);
            foreach (var i in plan.Due) raised.Add(rungs[i].Key);
            next = plan.NextRung(next);
        }

        At(Beijing(3, 11, 12));
        Assert.Empty(raised);
        At(Beijing(3, 12, 9));
        Assert.Equal(["remind"], raised);
        At(Beijing(3, 17, 12));                 // overdue, but not yet a full working day
        Assert.Equal(["remind"], raised);
        At(Beijing(3, 18, 9));
        Assert.Equal(["remind", "phone"], raised);
        At(Beijing(3, 20, 9));
        Assert.Equal(["remind", "phone", "written"], raised);
        At(Beijing(3, 24, 9));
        Assert.Equal(["remind", "phone", "written", "onsite"], raised);
        var plan = Ladder.Plan(rungs, next, Deadline, Beijing(12, 31, 9), China);
        Assert.Empty(plan.Due);                 // 专项会议 is raised by hand
        Assert.Null(plan.NextCheck);
    }

    [Fact]
    public void A_late_start_raises_every_overdue_rung_already_due_in_order_and_passes_the_reminder()
    {
        var plan = Ladder.Plan(Ladder.Default, 0, Deadline, Beijing(3, 21, 9), China);
        Assert.Equal([1, 2], plan.Due);
        Assert.Equal([0], plan.Passed);                // 到期提醒 after the deadline would say something false
        Assert.Equal(3, plan.NextRung(0));
        Assert.Equal(ChinaTime.EndOf(new DateOnly(2026, 3, 23)), plan.NextCheck);
    }

    [Fact]
    public void A_bad_ladder_names_its_rungs()
    {
        var json = JsonNode.Parse("""
            [
              { "key": "a", "name": "电话", "trigger": { "kind": "overdue", "days": 400 }, "record": "fax", "scoreEvent": "phone" },
              { "key": "a", "name": "", "trigger": { "kind": "manual" }, "actor": "主任" },
              { "key": "c", "name": "通知", "trigger": { "kind": "manual" }, "notice": { "title": "", "replyDays": 0 }, "scoreEvent": "praise" }
            ]
            """);
        var problems = Ladder.Problems(json);
        Assert.Contains(problems, p => p.Contains("「电话」的天数"));
        Assert.Contains(problems, p => p.Contains("「fax」"));
        Assert.Contains(problems, p => p.Contains("标识「a」重复"));
        Assert.Contains(problems, p => p.Contains("第 2 级缺少名称"));
        Assert.Contains(problems, p => p.Contains("「主任」"));
        Assert.Contains(problems, p => p.Contains("通知缺少标题"));
        Assert.Contains(problems, p => p.Contains("回复期限"));
        Assert.Contains(problems, p => p.Contains("「praise」"));
        Assert.Contains("格式无效", Ladder.Problems(JsonValue.Create("电话")).Single());
    }

    [Fact]
    public void A_rung_that_only_generates_a_document_is_a_rung_and_one_that_does_nothing_is_not()
    {
        var json = JsonNode.Parse("""
            [
              { "key": "paper", "name": "催办通知", "trigger": { "kind": "overdue", "days": 3 }, "document": "urge" },
              { "key": "idle", "name": "空级", "trigger": { "kind": "manual" } },
              { "key": "long", "name": "长标识", "trigger": { "kind": "manual" }, "document": "" }
            ]
            """);
        var problems = Ladder.Problems(json);
        Assert.DoesNotContain(problems, p => p.Contains("「催办通知」"));
        Assert.Contains("「空级」既不登记、不发通知也不计入考核，没有作用", problems);
        Assert.Contains("「长标识」的文书模板标识无效", problems);
        Assert.Equal("urge", Ladder.Parse(json)[0].Document);
    }

    [Fact]
    public void Notice_texts_get_the_dates_filled_in()
    {
        Assert.Equal("请于2026年3月19日前回复（时限2026年3月16日）",
            Ladder.Fill("请于{replyDue}前回复（时限{due}）", Deadline, new DateOnly(2026, 3, 19), null, null));
    }

    [Fact]
    public void Every_record_kind_has_a_form()
    {
        foreach (var kind in ChaseRecords.All.Append(ChaseRecords.Reply))
        {
            var form = ChaseRecords.Form(kind)!;
            Assert.Equal(ChaseRecords.FormPrefix + kind, form.Id);
            Assert.Same(form.Name, form.Name);
            Assert.Equal(form.Id, ChaseRecords.FormOfTask(form.Id)!.Id);
            Assert.Contains(form.Fields, f => f.Required);
        }
        Assert.Null(ChaseRecords.FormOfTask("report"));
    }
}
