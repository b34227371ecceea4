using System.Text.Json.Nodes;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Supervision.Units;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Chasing;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// 催办: the chasing ladder. Each unit with an open step on an item has a case (<see cref="ChaseCaseRecord"/>) that
/// climbs the organization's ladder (or the procedure's own) as the clock passes each rung's trigger; the office can
/// raise any rung by hand. Every chase is a <see cref="ChaseRecord"/> and a journal line on the item, and counts in the
/// unit's score (docs/decisions/014). What the chasing writes share lives here.
/// </summary>
public static class Chases
{
    public const string Auto = "auto";
    public const string Manual = "manual";
    public const string RecordOutcome = "登记";
    public const string ReplyOutcome = "提交回复";

    /// <summary>Activity id of the task in which the rung's actor records a chase.</summary>
    public const string ActionActivity = "chase";
    /// <summary>Activity id of a 催办通知 the unit answers in writing.</summary>
    public const string ReplyActivity = "chase-reply";
    /// <summary>Activity id of a 催办通知 the unit only reads.</summary>
    public const string NoticeActivity = "chase-notice";

    /// <summary>
    /// Points a case at a new deadline. A deadline later than the one the cycle climbs against (an extension) starts a
    /// new cycle from the first rung; the same deadline again (a 退回 and a new round of work with the deadline
    /// unchanged, an item reopened) carries on the cycle where it was — the rungs are a function of the deadline and
    /// the time, never of when the job happened to look; none closes the case. Returns whether anything changed.
    /// </summary>
    public static bool Retarget(ChaseCaseRecord chase, DateTimeOffset? due, DateTimeOffset now)
    {
        if (chase.DueAt == due) return false;
        if (due is null)
        {
            chase.CycleDueAt ??= chase.DueAt;
            chase.DueAt = null;
            chase.NextCheckAt = null;
        }
        else
        {
            var cycleDue = chase.CycleDueAt ?? chase.DueAt;
            if (cycleDue is null || due > cycleDue)
            {
                chase.Cycle++;
                chase.NextRung = 0;
            }
            chase.CycleDueAt = due > cycleDue || cycleDue is null ? due : cycleDue;
            chase.DueAt = due;
            chase.NextCheckAt = now;
        }
        chase.UpdatedAt = now;
        return true;
    }

    /// <summary>A new case for a unit the ladder starts to climb against <paramref name="due"/>.</summary>
    internal static ChaseCaseRecord NewCase(Guid instanceId, string unitId, DateTimeOffset due, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(), InstanceId = instanceId, UnitId = unitId, DueAt = due, CycleDueAt = due, Cycle = 1, NextRung = 0, NextCheckAt = now, UpdatedAt = now,
    };

    /// <summary>The nearest deadline among the unit's open steps on the item (a step without one has the item's); null when none.</summary>
    internal static async Task<DateTimeOffset?> EffectiveDueAsync(DubanDbContext db, InstanceRecord instance, string unitId, OrganizationSnapshot org, CancellationToken ct)
    {
        // A closed item, or one filed away (归档, decision 047), has nothing left to chase.
        if (instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled || instance.ArchivedAt is not null) return null;
        var open = await db.Tasks.AsNoTracking()
            .Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null)
            .Select(t => new { t.CandidateUnitId, t.AssigneeUserId, t.DueAt }).ToListAsync(ct);
        return open.Where(t => HandlingUnits.UnitOf(t.CandidateUnitId, t.AssigneeUserId, org) == unitId)
            .Select(t => t.DueAt ?? instance.DueAt).Where(d => d is not null).Min();
    }

    /// <summary>
    /// Raises a rung against a unit: the chase row, the journal line, the actor's task to record it (when it has to be
    /// recorded and no record came with it), and the notice to the unit (with a reply task when a reply is required).
    /// </summary>
    /// <remarks>
    /// A rung the ladder raises when the unit is overdue, raised by hand before the deadline (<see cref="Early"/>), is a
    /// reminder, not a 督办 of a late unit: its notice says what is true — the deadline has not passed, and which rungs
    /// came before (<paramref name="earlier"/>) — instead of the rung's text written for an overdue unit, and it costs
    /// no points (docs/decisions/022).
    /// </remarks>
    /// <remarks>
    /// The task to record the action goes to the item's 专人 when the rung is meant for them and one is named
    /// (<paramref name="itemOwner"/>), else to the rung's named person, else to the rung's role (docs/decisions/027). A rung
    /// the ladder raised late is dated when it fell due (<paramref name="fellDueAt"/>).
    /// </remarks>
    internal static ChaseRecord Raise(WriteContext context, InstanceRecord instance, string unitId, LadderRung rung, int rungIndex, ChaseCaseRecord? chase,
        Actor actor, string trigger, JsonObject? record, string? note, WorkCalendar calendar, string? itemOwner, string? autoKey = null,
        IReadOnlyList<string>? earlier = null, DateTimeOffset? fellDueAt = null)
    {
        var now = context.Now;
        var assignee = AssigneeFor(rung, itemOwner, context.Organization);
        var unitName = HandlingUnits.NameOf(context.Organization, unitId);
        var due = chase?.DueAt;
        var today = ChinaTime.DateOf(now);
        var early = Early(rung, trigger, due ?? instance.DueAt, now);
        var raised = new ChaseRecord
        {
            Id = Guid.CreateVersion7(),
            InstanceId = instance.Id,
            UnitId = unitId,
            CaseId = chase?.Id,
            Cycle = chase?.Cycle ?? 0,
            RungIndex = rungIndex,
            RungKey = rung.Key,
            RungName = rung.Name,
            AutoKey = autoKey,
            Trigger = trigger,
            ScoreEvent = early ? null : rung.ScoreEvent,
            RaisedAt = now,
            FellDueAt = fellDueAt,
            RaisedById = actor.Id,
            RaisedByName = actor.Name,
            DueAt = due,
            Status = ChaseStatus.Done,
            Actor = rung.Actor,
            ActorUserId = rung.Record is null ? null : assignee.UserId,
            ForItemOwner = rung.ItemOwner,
            RecordKind = rung.Record,
            Note = note,
        };
        context.Db.Set<ChaseRecord>().Add(raised);

        var overdue = due is { } d && now > d ? calendar.WorkingDaysBetween(ChinaTime.DateOf(d), today) : (int?)null;
        var situation = due is { } dd
            ? now > dd ? $"已超过办理时限（{StepDeadline.Describe(dd)}）{(overdue > 0 ? $" {overdue} 个工作日" : "")}" : $"办理时限为{StepDeadline.Describe(dd)}"
            : "";

        if (rung.Record is { } recordKind)
        {
            if (record is not null)
            {
                raised.RecordJson = record.ToJsonString(DefinitionJson.Options);
                raised.RecordedAt = now;
                raised.RecordedByName = actor.Name;
            }
            else
            {
                var task = context.OpenDetachedTask(instance, ActionActivity, $"{ActionActivity}:{raised.Id:N}",
                    $"{rung.Name}：{unitName}", TaskKind.Task, assignee, ChaseRecords.FormPrefix + recordKind,
                    [RecordOutcome], $"请对{unitName}进行{rung.Name}并登记{ChaseRecords.Label(recordKind)}。{situation}".TrimEnd(), dueAt: null);
                raised.ActionTaskId = task.Id;
                raised.Status = ChaseStatus.Open;
            }
        }

        if (rung.Notice is { } notice)
        {
            var replyDue = notice.ReplyRequired ? calendar.AddWorkingDays(today, notice.ReplyDays ?? 3) : (DateOnly?)null;
            var text = early ? EarlyNotice(rung, notice, earlier ?? []) : notice.Text ?? "请抓紧办理「{item}」。";
            var full = Ladder.Address(text, due is { } x ? ChinaTime.DateOf(x) : null, replyDue, instance.Title, unitName);
            raised.NoticeTitle = notice.Title;
            raised.NoticeText = full.Length <= 4000 ? full : full[..4000];
            raised.ReplyRequired = notice.ReplyRequired;
            var task = context.OpenDetachedTask(instance,
                notice.ReplyRequired ? ReplyActivity : NoticeActivity, $"{ReplyActivity}:{raised.Id:N}",
                notice.Title, notice.ReplyRequired ? TaskKind.Task : TaskKind.Notice, TaskAssignee.Unit(unitId),
                notice.ReplyRequired ? ChaseRecords.FormPrefix + ChaseRecords.Reply : null,
                notice.ReplyRequired ? [ReplyOutcome] : [], raised.NoticeText,
                replyDue is { } r ? ChinaTime.EndOf(r) : null);
            raised.NoticeTaskId = task.Id;
            if (replyDue is { } rd)
            {
                raised.ReplyDueAt = ChinaTime.EndOf(rd);
                raised.Status = ChaseStatus.Open;
            }
        }

        instance.UpdatedAt = now;
        context.Journal(instance.Id, JournalKind.Chased, actor, ActionActivity, rung.Name, trigger == Auto ? "自动" : "手动", note,
            new JsonObject
            {
                ["chaseId"] = raised.Id.ToString(),
                ["rungKey"] = rung.Key,
                ["rungName"] = rung.Name,
                ["unitId"] = unitId,
                ["unitName"] = unitName,
                ["trigger"] = trigger,
                ["scoreEvent"] = raised.ScoreEvent,
                ["early"] = early,
                ["deadline"] = due,
                ["fellDueAt"] = fellDueAt,
                ["actorUserId"] = raised.ActorUserId,
                ["actorName"] = raised.ActorUserId is { } who ? context.Organization.FindUser(who)?.DisplayName : null,
                ["overdueWorkingDays"] = overdue,
                ["noticeTitle"] = raised.NoticeTitle,
                ["record"] = record?.DeepClone(),
            });
        return raised;
    }

    /// <summary>The rung's document (a 催办通知 with its 文号), generated and sent to the chased unit in the same write (decision 047).</summary>
    internal static Task DocumentAsync(WriteContext context, InstanceRecord instance, LadderRung rung, string unitId, Actor actor, CancellationToken ct) =>
        rung.Document is not null && context.Services.GetService(typeof(IDesignedDocuments)) is IDesignedDocuments documents
            ? documents.ForRungAsync(context, instance, rung, unitId, actor, ct)
            : Task.CompletedTask;

    /// <summary>Who records a rung: the item's 专人 (when the rung is meant for them and one is named), the rung's person, or its role.</summary>
    internal static TaskAssignee AssigneeFor(LadderRung rung, string? itemOwner, OrganizationSnapshot org)
    {
        if (rung.ItemOwner && itemOwner is not null && org.FindUser(itemOwner) is not null) return TaskAssignee.User(itemOwner);
        if (rung.Person is { } person && org.FindUser(person) is not null) return TaskAssignee.User(person);
        return TaskAssignee.ForRole(rung.Actor);
    }

    /// <summary>The item's 专人 (a user id), when the office has named one.</summary>
    internal static Task<string?> ItemOwnerAsync(DubanDbContext db, Guid instanceId, CancellationToken ct) =>
        db.Set<ItemOwnerRecord>().AsNoTracking().Where(o => o.InstanceId == instanceId).Select(o => o.UserId).FirstOrDefaultAsync(ct);

    /// <summary>Whether <paramref name="user"/> may raise or record the rung: the office, its role, or the person it went to.</summary>
    internal static bool MayAct(CurrentUser user, string? role, string? person) =>
        user.Has(Permission.Supervise) || (role is not null && user.IsInRole(role)) || (person is not null && person == user.Id);

    /// <summary>A rung meant for an overdue unit, raised by hand while the deadline has not passed (or there is none).</summary>
    internal static bool Early(LadderRung rung, string trigger, DateTimeOffset? due, DateTimeOffset now) =>
        trigger == Manual && rung.Trigger.Kind == RungTrigger.Overdue && (due is null || now <= due);

    /// <summary>The notice of an early rung, built from the situation.</summary>
    private static string EarlyNotice(LadderRung rung, RungNotice notice, IReadOnlyList<string> earlier) =>
        "你单位承办的「{item}」办理时限为{due}，尚未到期。"
        + (earlier.Count > 0 ? $"此前已进行{string.Join("、", earlier.Distinct())}。" : "")
        + $"为确保按期办结，现进行{rung.Name}，请抓紧办理"
        + (notice.ReplyRequired ? "，并于{replyDue}前书面报告办理进展和下一步措施。" : "。");

    /// <summary>A chase the user may see, tracked; one they may not see does not exist for them.</summary>
    internal static async Task<ChaseRecord> FindVisibleAsync(DubanDbContext db, Guid chaseId, CurrentUser user, CancellationToken ct)
    {
        var chase = await db.Set<ChaseRecord>().FirstOrDefaultAsync(c => c.Id == chaseId, ct) ?? throw new NotFoundException("催办记录不存在");
        if (!await ItemVisibility.CanSeeAsync(db, user, chase.InstanceId, ct)) throw new NotFoundException("催办记录不存在");
        return chase;
    }

    /// <summary>Still waiting for its record or for the unit's reply.</summary>
    internal static bool Outstanding(ChaseRecord chase) =>
        (chase.RecordKind is not null && chase.RecordedAt is null) || (chase.ReplyRequired && chase.RepliedAt is null);

    /// <summary>Checks a record against its built-in form; field errors name <paramref name="prefix"/> + the field.</summary>
    internal static JsonObject ValidateRecord(string kind, JsonObject data, string prefix)
    {
        var form = ChaseRecords.Form(kind) ?? throw new InvalidOperationException($"unknown chase record {kind}");
        var result = FormValidator.Validate(form, data, new FormContext());
        if (!result.IsValid)
            throw new WorkflowInputException($"{form.Name}填写有误，请检查标出的字段", result.Errors.Select(e => new FieldError(prefix + e.Field, e.Message)).ToList());
        return result.Values;
    }
}
