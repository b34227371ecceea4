using System.Text.Json.Nodes;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime.Tasks;
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

namespace Duban.Data.Supervision;

/// <summary>
/// 催办: the chasing ladder. Each unit with an open step on an item has a case (<see cref="ChaseCaseRecord"/>) that
/// climbs the organization's ladder (or the procedure's own) as the clock passes each rung's trigger; the office can
/// raise any rung by hand. Every chase is a <see cref="ChaseRecord"/> and a journal row on the item, and counts in the
/// unit's score. See docs/decisions (the chase worker).
/// </summary>
public sealed class ChaseService(
    DubanDbContext db,
    DefinitionCache definitions,
    OrganizationCache organizationCache,
    SupervisionSettings settings,
    ICommitGate gate,
    TimeProvider clock)
{
    public const string Auto = "auto";
    public const string Manual = "manual";
    public const string RecordOutcome = "登记";
    public const string ReplyOutcome = "提交回复";

    // ---- the ladder job ------------------------------------------------------------------------------------------

    /// <summary>
    /// Brings the cases in line with the open steps: a case for every (item, unit) with an open step that has a
    /// deadline, its deadline the nearest one; cases whose unit has nothing open any more are closed. Idempotent; two
    /// processes running it at once lose nothing (a duplicate case is refused by the unique index).
    /// </summary>
    public async Task<int> SyncCasesAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var org = await organizationCache.GetAsync(ct);
        var kinds = await Supervise.UnitKindsAsync(db, ct);
        var now = clock.GetUtcNow();
        var rows = await (
            from t in db.Tasks
            where t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null
            join i in db.Instances on t.InstanceId equals i.Id
            where i.Status != WorkflowStatus.Completed && i.Status != WorkflowStatus.Cancelled
            select new { t.InstanceId, t.CandidateUnitId, t.AssigneeUserId, TaskDue = t.DueAt, ItemDue = i.DueAt }).AsNoTracking().ToListAsync(ct);
        var wanted = rows
            .Select(r => (r.InstanceId, Unit: Supervise.UnitOf(r.CandidateUnitId, r.AssigneeUserId, org), Due: r.TaskDue ?? r.ItemDue))
            .Where(r => r.Due is not null && Supervise.IsHandlingUnit(org, r.Unit, kinds))
            .GroupBy(r => (r.InstanceId, r.Unit!))
            .ToDictionary(g => g.Key, g => g.Min(r => r.Due!.Value));

        var cases = await db.Set<ChaseCaseRecord>().Where(c => c.DueAt != null).ToListAsync(ct);
        var wantedIds = wanted.Keys.Select(k => k.InstanceId).Distinct().ToList();
        var known = cases.Select(c => c.Id).ToHashSet();
        foreach (var chunk in wantedIds.Chunk(500))
            cases.AddRange((await db.Set<ChaseCaseRecord>().Where(c => chunk.Contains(c.InstanceId)).ToListAsync(ct)).Where(c => known.Add(c.Id)));
        var byKey = cases.ToDictionary(c => (c.InstanceId, c.UnitId));

        var changed = 0;
        foreach (var ((instanceId, unitId), due) in wanted)
        {
            if (byKey.Remove((instanceId, unitId), out var existing))
            {
                if (Retarget(existing, due, now)) changed++;
                continue;
            }
            db.Set<ChaseCaseRecord>().Add(new ChaseCaseRecord
            {
                Id = Guid.CreateVersion7(), InstanceId = instanceId, UnitId = unitId, DueAt = due, Cycle = 1, NextRung = 0,
                NextCheckAt = now, UpdatedAt = now,
            });
            changed++;
        }
        foreach (var stale in byKey.Values.Where(c => c.DueAt is not null))
            if (Retarget(stale, null, now)) changed++;
        if (changed == 0) return 0;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another process synced the same cases at the same time; the next round sees its work.
            db.ChangeTracker.Clear();
            return 0;
        }
        return changed;
    }

    /// <summary>
    /// Points a case at a new deadline. A later deadline (an extension, a new round of work after 退回) starts a new
    /// cycle from the first rung; none closes the case. Returns whether anything changed.
    /// </summary>
    public static bool Retarget(ChaseCaseRecord chase, DateTimeOffset? due, DateTimeOffset now)
    {
        if (chase.DueAt == due) return false;
        if (due is null)
        {
            chase.DueAt = null;
            chase.NextCheckAt = null;
        }
        else
        {
            if (chase.DueAt is null || due > chase.DueAt)
            {
                chase.Cycle++;
                chase.NextRung = 0;
            }
            chase.DueAt = due;
            chase.NextCheckAt = now;
        }
        chase.UpdatedAt = now;
        return true;
    }

    /// <summary>Raises the rungs that have fallen due for one claimed case, in one transaction. Returns how many were raised.</summary>
    public Task<int> ProcessCaseAsync(Guid caseId, CancellationToken ct) =>
        Supervise.CommitAsync(db, gate, "chase", caseId, async () =>
        {
            var chase = await db.Set<ChaseCaseRecord>().FirstOrDefaultAsync(c => c.Id == caseId, ct);
            if (chase is null) return 0;
            var now = clock.GetUtcNow();
            var org = await organizationCache.GetAsync(ct);
            var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == chase.InstanceId, ct);
            Retarget(chase, instance is null ? null : await EffectiveDueAsync(instance, chase.UnitId, org, ct), now);
            Release(chase, now);
            if (chase.DueAt is not { } due || instance is null)
            {
                chase.NextCheckAt = null;
                return 0;
            }
            var definition = await Supervise.DefinitionOfAsync(db, definitions, instance, ct);
            var organizationId = OrganizationScope.OrganizationOf(org, chase.UnitId) ?? chase.UnitId;
            var ladder = await settings.LadderAsync(organizationId, definition, ct);
            var calendar = org.CalendarFor(chase.UnitId);
            var plan = Ladder.Plan(ladder, chase.NextRung, ChinaTime.DateOf(due), now, calendar);
            foreach (var index in plan.Due)
                Raise(instance, chase.UnitId, ladder[index], index, chase, Actor.System, Auto, record: null, note: null, org, calendar, now,
                    autoKey: $"{chase.Id:N}:{chase.Cycle}:{index}");
            if (plan.Due.Count > 0) chase.NextRung = plan.Due[^1] + 1;
            chase.NextCheckAt = plan.NextCheck;
            return plan.Due.Count;
        }, ct);

    private static void Release(ChaseCaseRecord chase, DateTimeOffset now)
    {
        chase.LeaseOwner = null;
        chase.LeaseUntil = null;
        chase.Attempts = 0;
        chase.LastError = null;
        chase.UpdatedAt = now;
    }

    /// <summary>The nearest deadline among the unit's open steps on the item (a step without one has the item's); null when none.</summary>
    private async Task<DateTimeOffset?> EffectiveDueAsync(InstanceRecord instance, string unitId, OrganizationSnapshot org, CancellationToken ct)
    {
        if (instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled) return null;
        var open = await db.Tasks.AsNoTracking()
            .Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null)
            .Select(t => new { t.CandidateUnitId, t.AssigneeUserId, t.DueAt }).ToListAsync(ct);
        return open.Where(t => Supervise.UnitOf(t.CandidateUnitId, t.AssigneeUserId, org) == unitId)
            .Select(t => t.DueAt ?? instance.DueAt).Where(d => d is not null).Min();
    }

    // ---- raising, recording, replying ----------------------------------------------------------------------------

    /// <summary>
    /// Raises a rung against a unit: the chase row, the journal row, the actor's task to record it (when it has to be
    /// recorded and no record came with it), and the notice to the unit (with a reply task when a reply is required).
    /// </summary>
    private ChaseRecord Raise(InstanceRecord instance, string unitId, LadderRung rung, int rungIndex, ChaseCaseRecord? chase, Actor actor,
        string trigger, JsonObject? record, string? note, OrganizationSnapshot org, WorkCalendar calendar, DateTimeOffset now, string? autoKey = null)
    {
        var unitName = Supervise.UnitName(org, unitId);
        var due = chase?.DueAt;
        var today = ChinaTime.DateOf(now);
        var record_ = new ChaseRecord
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
            ScoreEvent = rung.ScoreEvent,
            RaisedAt = now,
            RaisedById = actor.Id,
            RaisedByName = actor.Name,
            DueAt = due,
            Status = ChaseStatus.Done,
            Actor = rung.Actor,
            RecordKind = rung.Record,
            Note = note,
        };
        db.Set<ChaseRecord>().Add(record_);

        var overdue = due is { } d && now > d ? calendar.WorkingDaysBetween(ChinaTime.DateOf(d), today) : (int?)null;
        var situation = due is { } dd
            ? now > dd ? $"已超过办理时限（{StepDeadline.Describe(dd)}）{(overdue > 0 ? $" {overdue} 个工作日" : "")}" : $"办理时限为{StepDeadline.Describe(dd)}"
            : "";

        if (rung.Record is { } recordKind)
        {
            if (record is not null)
            {
                record_.RecordJson = record.ToJsonString(DefinitionJson.Options);
                record_.RecordedAt = now;
                record_.RecordedByName = actor.Name;
            }
            else
            {
                var task = Supervise.DetachedTask(instance.Id, DetachedTasks.ChaseAction, $"{DetachedTasks.ChaseAction}:{record_.Id:N}",
                    $"{rung.Name}：{unitName}", TaskKind.Task, TaskAssignee.ForRole(rung.Actor), ChaseRecords.FormPrefix + recordKind,
                    [RecordOutcome], $"请对{unitName}进行{rung.Name}并登记{ChaseRecords.Label(recordKind)}。{situation}".TrimEnd(), now, dueAt: null);
                db.Tasks.Add(task);
                record_.ActionTaskId = task.Id;
                record_.Status = ChaseStatus.Open;
            }
        }

        if (rung.Notice is { } notice)
        {
            var replyDue = notice.ReplyRequired ? calendar.AddWorkingDays(today, notice.ReplyDays ?? 3) : (DateOnly?)null;
            var text = Ladder.Fill(notice.Text ?? $"请抓紧办理「{{item}}」。", due is { } x ? ChinaTime.DateOf(x) : null, replyDue, instance.Title, unitName);
            record_.NoticeTitle = notice.Title;
            var full = $"{unitName}：{text}";
            record_.NoticeText = full.Length <= 4000 ? full : full[..4000];
            record_.ReplyRequired = notice.ReplyRequired;
            var task = Supervise.DetachedTask(instance.Id,
                notice.ReplyRequired ? DetachedTasks.ChaseReply : DetachedTasks.ChaseNotice, $"{DetachedTasks.ChaseReply}:{record_.Id:N}",
                notice.Title, notice.ReplyRequired ? TaskKind.Task : TaskKind.Notice, TaskAssignee.Unit(unitId),
                notice.ReplyRequired ? ChaseRecords.FormPrefix + ChaseRecords.Reply : null,
                notice.ReplyRequired ? [ReplyOutcome] : [], record_.NoticeText, now,
                replyDue is { } r ? ChinaTime.EndOf(r) : null);
            db.Tasks.Add(task);
            record_.NoticeTaskId = task.Id;
            if (replyDue is { } rd)
            {
                record_.ReplyDueAt = ChinaTime.EndOf(rd);
                record_.Status = ChaseStatus.Open;
            }
        }

        instance.UpdatedAt = now;
        Supervise.Journal(db, instance.Id, JournalKind.Chased, now, actor, "chase", rung.Name, trigger == Auto ? "自动" : "手动", note,
            new JsonObject
            {
                ["chaseId"] = record_.Id.ToString(),
                ["rungKey"] = rung.Key,
                ["rungName"] = rung.Name,
                ["unitId"] = unitId,
                ["unitName"] = unitName,
                ["trigger"] = trigger,
                ["scoreEvent"] = rung.ScoreEvent,
                ["deadline"] = due,
                ["overdueWorkingDays"] = overdue,
                ["noticeTitle"] = record_.NoticeTitle,
                ["record"] = record?.DeepClone(),
            });
        return record_;
    }

    /// <summary>
    /// Raises a rung by hand (督查员, or the rung's own role): against a unit taking part in the item. A rung that records
    /// something takes the record with it (a phone call is raised when it has been made).
    /// </summary>
    public Task<ChaseRecord> RaiseByHandAsync(Guid instanceId, CurrentUser user, string? unitId, string? rungKey, JsonObject? record, string? note, CancellationToken ct) =>
        Supervise.CommitAsync(db, gate, "chase-raise", instanceId, async () =>
        {
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(unitId)) errors.Add(new("unitId", "请选择被催办单位"));
            if (string.IsNullOrWhiteSpace(rungKey)) errors.Add(new("rungKey", "请选择催办方式"));
            if (note?.Length > 2000) errors.Add(new("note", "备注不能超过 2000 字"));
            if (errors.Count > 0) throw new WorkflowInputException("催办信息填写有误", errors);

            var instance = await ItemVisibility.Visible(db, user).FirstOrDefaultAsync(i => i.Id == instanceId, ct)
                ?? throw new NotFoundException("事项不存在");
            if (instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
                throw new WorkflowConflictException("事项已结束，不能再催办");
            var org = await organizationCache.GetAsync(ct);
            var definition = await Supervise.DefinitionOfAsync(db, definitions, instance, ct);
            var organizationId = OrganizationScope.OrganizationOf(org, unitId) ?? unitId!;
            var ladder = await settings.LadderAsync(organizationId, definition, ct);
            var index = ladder.ToList().FindIndex(r => r.Key == rungKey);
            if (index < 0)
                throw new WorkflowInputException("rungKey", $"催办方式「{rungKey}」不存在，可选：{string.Join("、", ladder.Select(r => $"{r.Key}（{r.Name}）"))}");
            var rung = ladder[index];
            if (!user.IsInRole(Roles.Supervisor) && !user.IsInRole(rung.Actor))
                throw new ForbiddenException($"只有督查员或{rung.Actor}可以进行{rung.Name}");
            var kinds = await Supervise.UnitKindsAsync(db, ct);
            if (!Supervise.IsHandlingUnit(org, unitId, kinds)
                || !await db.InstanceUnits.AnyAsync(u => u.InstanceId == instanceId && u.UnitId == unitId, ct))
                throw new WorkflowInputException("unitId", "被催办单位应是承办该事项的单位");

            JsonObject? values = null;
            if (rung.Record is { } kind)
                values = ValidateRecord(kind, record ?? new JsonObject(), prefix: "record.");
            else if (record is { Count: > 0 })
                throw new WorkflowInputException("record", $"{rung.Name}不需要登记内容");

            var now = clock.GetUtcNow();
            var chase = await db.Set<ChaseCaseRecord>().FirstOrDefaultAsync(c => c.InstanceId == instanceId && c.UnitId == unitId, ct);
            if (chase is null && await EffectiveDueAsync(instance, unitId!, org, ct) is { } due)
            {
                // The ladder job has not seen this unit yet: open its case now, so the ladder goes on from this rung.
                chase = new ChaseCaseRecord
                {
                    Id = Guid.CreateVersion7(), InstanceId = instanceId, UnitId = unitId!, DueAt = due, Cycle = 1, NextRung = 0, NextCheckAt = now, UpdatedAt = now,
                };
                db.Set<ChaseCaseRecord>().Add(chase);
            }
            var raised = Raise(instance, unitId!, rung, index, chase, user.ToActor(), Manual, values, note?.Trim(), org, org.CalendarFor(unitId), now);
            if (chase is not null && chase.DueAt is not null && index >= chase.NextRung)
            {
                // The ladder carries on above this rung; the lower automatic rungs are passed.
                chase.NextRung = index + 1;
                chase.NextCheckAt = now;
                chase.UpdatedAt = now;
            }
            return raised;
        }, ct);

    /// <summary>The actor records an automatically raised chase from the item page (or the API).</summary>
    public Task RecordAsync(Guid chaseId, CurrentUser user, JsonObject? record, CancellationToken ct) =>
        Supervise.CommitAsync(db, gate, "chase-record", chaseId, async () =>
        {
            var chase = await FindVisibleAsync(chaseId, user, ct);
            if (chase.ActionTaskId is not { } taskId || await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId, ct) is not { } task)
                throw new WorkflowConflictException("该催办不需要登记或已登记");
            var instance = await db.Instances.FirstAsync(i => i.Id == chase.InstanceId, ct);
            await CompleteActionAsync(chase, task, instance, user, record, ct);
            return 0;
        }, ct);

    /// <summary>Completing a detached chase task from the inbox: a record for the actor, a written reply for the unit.</summary>
    internal async Task CompleteTaskAsync(WriteContext context, TaskRecord task, InstanceRecord instance, CurrentUser user, TaskSubmission command, CancellationToken ct)
    {
        if (task.ActivityId == DetachedTasks.ChaseAction)
        {
            var chase = await db.Set<ChaseRecord>().FirstOrDefaultAsync(c => c.ActionTaskId == task.Id, ct)
                ?? throw new WorkflowConflictException("该催办已撤销");
            if (command.Outcome is not (null or RecordOutcome)) throw new WorkflowInputException("outcome", $"请选择办理结果（{RecordOutcome}）");
            await CompleteActionAsync(chase, task, instance, user, command.Data, ct);
            return;
        }
        var replied = await db.Set<ChaseRecord>().FirstOrDefaultAsync(c => c.NoticeTaskId == task.Id, ct)
            ?? throw new WorkflowConflictException("该催办已撤销");
        if (command.Outcome is not (null or ReplyOutcome)) throw new WorkflowInputException("outcome", $"请选择办理结果（{ReplyOutcome}）");
        var values = ValidateRecord(ChaseRecords.Reply, command.Data ?? new JsonObject(), prefix: "");
        var now = clock.GetUtcNow();
        Supervise.Close(task, user, HumanTaskStatus.Completed, ReplyOutcome, command.Comment, now);
        replied.ReplyJson = values.ToJsonString(DefinitionJson.Options);
        replied.RepliedAt = now;
        replied.RepliedByName = user.DisplayName;
        replied.Status = Outstanding(replied) ? ChaseStatus.Open : ChaseStatus.Done;
        instance.UpdatedAt = now;
        Supervise.Journal(db, instance.Id, JournalKind.ChaseReplied, now, user.ToActor(), "chase", replied.NoticeTitle ?? replied.RungName,
            ReplyOutcome, command.Comment, new JsonObject { ["chaseId"] = replied.Id.ToString(), ["unitId"] = replied.UnitId, ["reply"] = values.DeepClone() },
            task.Id);
    }

    private async Task CompleteActionAsync(ChaseRecord chase, TaskRecord task, InstanceRecord instance, CurrentUser user, JsonObject? data, CancellationToken ct)
    {
        if (task.Status != HumanTaskStatus.Open) throw new WorkflowConflictException("该催办已登记");
        if (!user.IsInRole(Roles.Supervisor) && (chase.Actor is null || !user.IsInRole(chase.Actor)))
            throw new ForbiddenException($"只有督查员或{chase.Actor}可以登记{chase.RungName}");
        var values = ValidateRecord(chase.RecordKind!, data ?? new JsonObject(), prefix: "");
        var now = clock.GetUtcNow();
        Supervise.Close(task, user, HumanTaskStatus.Completed, RecordOutcome, null, now);
        chase.RecordJson = values.ToJsonString(DefinitionJson.Options);
        chase.RecordedAt = now;
        chase.RecordedByName = user.DisplayName;
        chase.Status = Outstanding(chase) ? ChaseStatus.Open : ChaseStatus.Done;
        instance.UpdatedAt = now;
        var org = await organizationCache.GetAsync(ct);
        Supervise.Journal(db, instance.Id, JournalKind.ChaseRecorded, now, user.ToActor(), "chase", chase.RungName, RecordOutcome, null,
            new JsonObject
            {
                ["chaseId"] = chase.Id.ToString(), ["unitId"] = chase.UnitId, ["unitName"] = Supervise.UnitName(org, chase.UnitId),
                ["record"] = values.DeepClone(),
            }, task.Id);
    }

    /// <summary>Withdraws a chase raised by mistake (督查员): its open tasks are cancelled and it no longer counts.</summary>
    public Task CancelAsync(Guid chaseId, CurrentUser user, string? reason, CancellationToken ct) =>
        Supervise.CommitAsync(db, gate, "chase-cancel", chaseId, async () =>
        {
            if (!user.IsInRole(Roles.Supervisor)) throw new ForbiddenException("只有督查员可以撤销催办");
            reason = reason?.Trim();
            if (string.IsNullOrEmpty(reason)) throw new WorkflowInputException("reason", "请填写撤销理由");
            if (reason.Length > 500) throw new WorkflowInputException("reason", "撤销理由不能超过 500 字");
            var chase = await FindVisibleAsync(chaseId, user, ct);
            if (chase.Status == ChaseStatus.Cancelled) throw new WorkflowConflictException("该催办已撤销");
            var now = clock.GetUtcNow();
            chase.Status = ChaseStatus.Cancelled;
            chase.CancelReason = reason;
            foreach (var id in new[] { chase.ActionTaskId, chase.NoticeTaskId }.OfType<Guid>())
                if (await db.Tasks.FirstOrDefaultAsync(t => t.Id == id && t.Status == HumanTaskStatus.Open, ct) is { } task)
                    Supervise.Close(task, null, HumanTaskStatus.Cancelled, null, reason, now);
            // The ladder goes back to just above the highest rung still standing in this cycle.
            if (chase.CaseId is { } caseId && await db.Set<ChaseCaseRecord>().FirstOrDefaultAsync(c => c.Id == caseId, ct) is { } chaseCase
                && chaseCase.Cycle == chase.Cycle && chaseCase.DueAt is not null)
            {
                var standing = await db.Set<ChaseRecord>()
                    .Where(c => c.CaseId == caseId && c.Cycle == chase.Cycle && c.Id != chase.Id && c.Status != ChaseStatus.Cancelled)
                    .Select(c => (int?)c.RungIndex).MaxAsync(ct);
                chaseCase.NextRung = (standing ?? -1) + 1;
                chaseCase.NextCheckAt = now;
                chaseCase.UpdatedAt = now;
            }
            var instance = await db.Instances.FirstAsync(i => i.Id == chase.InstanceId, ct);
            instance.UpdatedAt = now;
            Supervise.Journal(db, instance.Id, JournalKind.ChaseCancelled, now, user.ToActor(), "chase", chase.RungName, null, reason,
                new JsonObject { ["chaseId"] = chase.Id.ToString(), ["unitId"] = chase.UnitId });
            return 0;
        }, ct);

    public async Task<IReadOnlyList<ChaseRecord>> ListAsync(Guid instanceId, CurrentUser user, CancellationToken ct)
    {
        if (!await ItemVisibility.CanSeeAsync(db, user, instanceId, ct)) throw new NotFoundException("事项不存在");
        return await db.Set<ChaseRecord>().AsNoTracking().Where(c => c.InstanceId == instanceId).OrderBy(c => c.RaisedAt).ThenBy(c => c.RungIndex).ToListAsync(ct);
    }

    /// <summary>The ladder that applies to an item (for the item page's 催办 menu).</summary>
    public async Task<IReadOnlyList<LadderRung>> LadderForAsync(Guid instanceId, CurrentUser user, CancellationToken ct)
    {
        var instance = await ItemVisibility.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        var org = await organizationCache.GetAsync(ct);
        var definition = await Supervise.DefinitionOfAsync(db, definitions, instance, ct);
        return await settings.LadderAsync(OrganizationScope.Require(org, instance.InitiatorUnitId), definition, ct);
    }

    private async Task<ChaseRecord> FindVisibleAsync(Guid chaseId, CurrentUser user, CancellationToken ct)
    {
        var chase = await db.Set<ChaseRecord>().FirstOrDefaultAsync(c => c.Id == chaseId, ct) ?? throw new NotFoundException("催办记录不存在");
        if (!await ItemVisibility.CanSeeAsync(db, user, chase.InstanceId, ct)) throw new NotFoundException("催办记录不存在");
        return chase;
    }

    private static bool Outstanding(ChaseRecord chase) =>
        (chase.RecordKind is not null && chase.RecordedAt is null) || (chase.ReplyRequired && chase.RepliedAt is null);

    /// <summary>Checks a record against its built-in form; field errors name <paramref name="prefix"/> + the field.</summary>
    private static JsonObject ValidateRecord(string kind, JsonObject data, string prefix)
    {
        var form = ChaseRecords.Form(kind) ?? throw new InvalidOperationException($"unknown chase record {kind}");
        var result = FormValidator.Validate(form, data, new FormContext());
        if (!result.IsValid)
            throw new WorkflowInputException($"{form.Name}填写有误，请检查标出的字段", result.Errors.Select(e => new FieldError(prefix + e.Field, e.Message)).ToList());
        return result.Values;
    }
}
