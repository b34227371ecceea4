using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Scoring;

namespace Duban.Engine.Chasing;

/// <summary>
/// When a rung is raised: <c>overdue</c> — N days after the deadline day has ended without the work done
/// (0: as soon as it is overdue); <c>beforeDue</c> — on the morning N days before the deadline day; <c>manual</c> —
/// only by hand. Days are working days unless <c>calendarDays</c> is true.
/// </summary>
public sealed record RungTrigger(string Kind, int Days = 0, bool CalendarDays = false)
{
    public const string Overdue = "overdue";
    public const string BeforeDue = "beforeDue";
    public const string Manual = "manual";

    public bool IsAutomatic => Kind is Overdue or BeforeDue;
}

/// <summary>
/// What a rung sends to the chased unit's inbox: a notice (e.g. 《督查督办通知单》) for the unit's liaisons, and
/// whether it needs a written reply (on the reasons for the delay and the measures) within <see cref="ReplyDays"/>.
/// </summary>
public sealed record RungNotice(string Title, string? Text = null, bool ReplyRequired = true, int? ReplyDays = null);

/// <summary>
/// One rung of the chasing ladder (催办阶梯). <see cref="Actor"/>: the role that acts (raises it by hand, and gets
/// the task to record it when the system raises it). <see cref="Person"/>: a named person (a user id) who acts instead of
/// the role. <see cref="ItemOwner"/>: the rung goes to the item's 专人 when the office has named one (「对紧急批示交办事项，
/// 实行专人跟踪催办」, 000 第十三条（四）), else to <see cref="Person"/>, else to the role (docs/decisions/027). <see cref="Record"/>: what that person records — see
/// <see cref="ChaseRecords"/>. <see cref="Notice"/>: what goes to the unit. <see cref="ScoreEvent"/>: what the unit is
/// scored for (see <see cref="ScoreEventTypes"/>); null for a mere reminder. <see cref="Document"/>: the key of the
/// organization's 文书模板 generated when the rung is raised (a 催办通知 with its 文号) and sent to the chased unit
/// (docs/decisions/047).
/// </summary>
public sealed record LadderRung
{
    public required string Key { get; init; }
    public required string Name { get; init; }
    public required RungTrigger Trigger { get; init; }
    public string Actor { get; init; } = Roles.Supervisor;
    public string? Person { get; init; }
    public bool ItemOwner { get; init; }
    public string? Record { get; init; }
    public RungNotice? Notice { get; init; }
    public string? ScoreEvent { get; init; }
    public string? Document { get; init; }
}

/// <summary>The chasing ladder: its shipped default, parsing, checks and timing. Pure.</summary>
public static class Ladder
{
    /// <summary>
    /// The county ladder (seed 003 §四) with a reminder before it: 到期提醒 (2 working days before) → 电话催办 (1 working
    /// day overdue) → 书面督办 with a 《督查督办通知单》 needing a written reply (3 overdue) → 现场督办 (5 overdue) →
    /// 专项会议督办 (by hand; written self-criticism) → 责任追究 (by hand).
    /// </summary>
    public static IReadOnlyList<LadderRung> Default { get; } =
    [
        new()
        {
            Key = "remind", Name = "到期提醒", Trigger = new(RungTrigger.BeforeDue, 2),
            Notice = new("督办事项即将到期提醒", "该督办事项将于{due}到期，请抓紧办理并按时反馈办理情况。", ReplyRequired: false),
        },
        new()
        {
            Key = "phone", Name = "电话催办", Trigger = new(RungTrigger.Overdue, 1),
            Record = ChaseRecords.PhoneLog, ScoreEvent = ScoreEventTypes.Phone,
        },
        new()
        {
            Key = "written", Name = "书面督办", Trigger = new(RungTrigger.Overdue, 3),
            Notice = new("督查督办通知单", "你单位承办的督办事项已超过办理时限（{due}），经电话督办仍未办结。请尽快赶上工作进度，并于{replyDue}前书面说明未按期办结的原因和下一步措施。", ReplyRequired: true, ReplyDays: 3),
            ScoreEvent = ScoreEventTypes.WrittenNotice,
        },
        new()
        {
            Key = "onsite", Name = "现场督办", Trigger = new(RungTrigger.Overdue, 5),
            Record = ChaseRecords.OnSiteLog, ScoreEvent = ScoreEventTypes.OnSite,
        },
        new()
        {
            Key = "meeting", Name = "专项会议督办", Trigger = new(RungTrigger.Manual),
            Record = ChaseRecords.MeetingLog,
            Notice = new("书面检查", "因你单位承办事项落实不力，已召开专项会议督办。请单位主要负责同志于{replyDue}前提交书面检查，说明情况。", ReplyRequired: true, ReplyDays: 3),
            ScoreEvent = ScoreEventTypes.SpecialMeeting,
        },
        new()
        {
            Key = "accountability", Name = "责任追究", Trigger = new(RungTrigger.Manual), Actor = Roles.Leader,
            Record = ChaseRecords.AccountabilityLog, ScoreEvent = ScoreEventTypes.Accountability,
        },
    ];

    public static IReadOnlyList<LadderRung> Parse(JsonNode? node)
    {
        if (node is not JsonArray) throw new JsonException("催办阶梯应为数组");
        return node.Deserialize<List<LadderRung>>(DefinitionJson.Options) ?? throw new JsonException("催办阶梯为空");
    }

    public static JsonArray ToJson(IReadOnlyList<LadderRung> rungs) =>
        (JsonArray)JsonSerializer.SerializeToNode(rungs, DefinitionJson.Options)!;

    /// <summary>Any role name: a procedure's own ladder, whose organization is checked when it is published.</summary>
    public static readonly Func<string, bool> AnyRoleName = _ => true;

    /// <summary>Problems in a ladder, each naming its rung; empty when usable.</summary>
    public static IReadOnlyList<string> Problems(JsonNode? node, ScoreEventCatalog? events = null, Func<string, bool>? isRole = null)
    {
        IReadOnlyList<LadderRung> rungs;
        try
        {
            rungs = Parse(node);
        }
        catch (JsonException)
        {
            return ["催办阶梯的格式无效：应为数组，每级含 key、name、trigger（kind、days）"];
        }
        return Problems(rungs, events, isRole);
    }

    /// <param name="rungs">The ladder.</param>
    /// <param name="events">
    /// The organization's score events, which a rung's event must be one of; null where the organization is not known (a
    /// procedure's own ladder): a shipped event or an organization's own (<see cref="ScoreEventCatalog.OwnPrefix"/>…), and
    /// an own event the organization does not have counts nothing.
    /// </param>
    /// <param name="isRole">
    /// Whether a rung's actor is one of the organization's roles (roles are its data, decision 049); null: one of the four
    /// built-in business roles. A procedure's own ladder is checked with <see cref="AnyRoleName"/> here, and against its
    /// organization's roles when published (<c>DirectoryReferences</c>).
    /// </param>
    public static IReadOnlyList<string> Problems(IReadOnlyList<LadderRung> rungs, ScoreEventCatalog? events = null, Func<string, bool>? isRole = null)
    {
        var problems = new List<string>();
        if (rungs.Count == 0) problems.Add("催办阶梯至少需要一级");
        if (rungs.Count > 20) problems.Add("催办阶梯最多 20 级");
        var keys = new HashSet<string>();
        for (var i = 0; i < rungs.Count; i++)
        {
            var rung = rungs[i];
            if (rung is null) { problems.Add($"第 {i + 1} 级为空"); continue; }
            var name = string.IsNullOrWhiteSpace(rung.Name) ? $"第 {i + 1} 级" : $"「{rung.Name}」";
            if (string.IsNullOrWhiteSpace(rung.Key)) problems.Add($"{name}缺少标识（key）");
            else if (!keys.Add(rung.Key)) problems.Add($"标识「{rung.Key}」重复");
            else if (rung.Key.Length > 40) problems.Add($"{name}的标识过长");
            if (string.IsNullOrWhiteSpace(rung.Name)) problems.Add($"第 {i + 1} 级缺少名称（name）");
            if (rung.Trigger is null) problems.Add($"{name}缺少触发条件（trigger）");
            else
            {
                if (rung.Trigger.Kind is not (RungTrigger.Overdue or RungTrigger.BeforeDue or RungTrigger.Manual))
                    problems.Add($"{name}的触发方式「{rung.Trigger.Kind}」无效，可选：overdue（逾期 N 天）、beforeDue（到期前 N 天）、manual（手动）");
                if (rung.Trigger.Days is < 0 or > 365) problems.Add($"{name}的天数应在 0 到 365 之间");
            }
            if (string.IsNullOrWhiteSpace(rung.Actor) || rung.Actor.Length > 20)
                problems.Add($"{name}缺少办理角色");
            else if (isRole is null && !Roles.All.Contains(rung.Actor))
                problems.Add($"{name}的办理角色「{rung.Actor}」无效，可选：{string.Join("、", Roles.All)}");
            else if (isRole is not null && !isRole(rung.Actor))
                problems.Add($"{name}的办理角色「{rung.Actor}」不是本组织参与业务的角色，请重新选择");
            if (rung.Record is not null && !ChaseRecords.All.Contains(rung.Record))
                problems.Add($"{name}的登记内容「{rung.Record}」无效，可选：{string.Join("、", ChaseRecords.All)}");
            if (rung.Notice is { } notice)
            {
                if (string.IsNullOrWhiteSpace(notice.Title)) problems.Add($"{name}的通知缺少标题");
                if (notice.ReplyDays is < 1 or > 60) problems.Add($"{name}的回复期限应在 1 到 60 个工作日之间");
            }
            if (rung.ScoreEvent is { Length: 0 or > 40 }) problems.Add($"{name}的考核事件无效");
            else if (rung.ScoreEvent is not null && !(events ?? ScoreEventCatalog.Shipped).Contains(rung.ScoreEvent)
                     && (events is not null || !rung.ScoreEvent.StartsWith(ScoreEventCatalog.OwnPrefix, StringComparison.Ordinal)))
                problems.Add($"{name}的考核事件「{rung.ScoreEvent}」无效，可选：{string.Join("、", (events ?? ScoreEventCatalog.Shipped).Events.Select(e => e.Name))}");
            if (rung.Person is { Length: > 64 }) problems.Add($"{name}的办理人标识过长");
            if (rung.Document is { Length: 0 or > 64 }) problems.Add($"{name}的文书模板标识无效");
            if (rung.Record is null && rung.Notice is null && rung.ScoreEvent is null && rung.Document is null)
                problems.Add($"{name}既不登记、不发通知也不计入考核，没有作用");
        }
        return problems;
    }

    /// <summary>When an automatic rung falls due for a deadline on <paramref name="deadline"/> (a China date); null for manual rungs.</summary>
    public static DateTimeOffset? DueAt(LadderRung rung, DateOnly deadline, WorkCalendar calendar)
    {
        var trigger = rung.Trigger;
        return trigger.Kind switch
        {
            RungTrigger.Overdue => ChinaTime.EndOf(trigger.CalendarDays ? deadline.AddDays(trigger.Days) : calendar.AddWorkingDays(deadline, trigger.Days)),
            RungTrigger.BeforeDue => ChinaTime.StartOf(trigger.CalendarDays ? deadline.AddDays(-trigger.Days) : calendar.AddWorkingDays(deadline, -trigger.Days)),
            _ => null,
        };
    }

    /// <summary>
    /// The rungs to raise now, climbing from <paramref name="next"/>: each automatic rung whose time has come, in
    /// order, stopping at one not yet due — whose time is returned as <c>NextCheck</c> (null: nothing more will fall
    /// due by itself). A manual rung is stepped over: it is raised by hand whenever someone decides to, and does not
    /// hold back the automatic rungs after it (a company's routine calls are manual, its written notice automatic). A
    /// before-due rung whose deadline has already passed is <c>Passed</c>, not raised: a 即将到期提醒 for an overdue
    /// item says something false (docs/decisions/022).
    /// </summary>
    public static LadderPlan Plan(IReadOnlyList<LadderRung> rungs, int next, DateOnly deadline, DateTimeOffset now, WorkCalendar calendar)
    {
        var due = new List<int>();
        var passed = new List<int>();
        var overdue = now > ChinaTime.EndOf(deadline);
        for (var i = Math.Max(0, next); i < rungs.Count; i++)
        {
            if (DueAt(rungs[i], deadline, calendar) is not { } at) continue;
            if (at > now) return new LadderPlan(due, at, passed);
            if (overdue && rungs[i].Trigger.Kind == RungTrigger.BeforeDue) passed.Add(i);
            else due.Add(i);
        }
        return new LadderPlan(due, null, passed);
    }

    /// <summary>
    /// The notice as the unit reads it: the text with its placeholders filled, addressed to the unit — unless the text
    /// names the unit itself (<c>{unit}</c>), which then is not printed twice.
    /// </summary>
    public static string Address(string text, DateOnly? due, DateOnly? replyDue, string? item, string unit)
    {
        var filled = Fill(text, due, replyDue, item, unit);
        return text.Contains("{unit}", StringComparison.Ordinal) ? filled : $"{unit}：{filled}";
    }

    /// <summary>Fills {due}, {replyDue}, {item}, {unit} into a notice text.</summary>
    public static string Fill(string text, DateOnly? due, DateOnly? replyDue, string? item, string? unit) => text
        .Replace("{due}", due is { } d ? $"{d.Year}年{d.Month}月{d.Day}日" : "办理时限", StringComparison.Ordinal)
        .Replace("{replyDue}", replyDue is { } r ? $"{r.Year}年{r.Month}月{r.Day}日" : "规定时限", StringComparison.Ordinal)
        .Replace("{item}", item ?? "", StringComparison.Ordinal)
        .Replace("{unit}", unit ?? "", StringComparison.Ordinal);
}

/// <summary>What to raise now (<see cref="Due"/>), what is passed without raising (<see cref="Passed"/>), and when to look again.</summary>
public sealed record LadderPlan(IReadOnlyList<int> Due, DateTimeOffset? NextCheck, IReadOnlyList<int>? Passed = null)
{
    /// <summary>The rung the ladder goes on from after this plan.</summary>
    public int NextRung(int next) => Due.Concat(Passed ?? []).DefaultIfEmpty(next - 1).Max() + 1;
}
