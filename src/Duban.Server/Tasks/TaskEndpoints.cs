using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Supervision;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Tasks;

public sealed record TaskSummary(
    Guid Id, Guid InstanceId, string ItemTitle, string? ItemNumber, string DefinitionId, string DefinitionName,
    string ActivityId, string ActivityName, TaskKind Kind, HumanTaskStatus Status, string? AssigneeName, string? UnitName,
    DateTimeOffset CreatedAt, DateTimeOffset? DueAt, string? Light, DateTimeOffset? CompletedAt, string? Outcome)
{
    /// <summary>The deadline falls in a year whose holiday notice is not loaded yet: it may still move (暂定).</summary>
    public bool Provisional { get; init; }
}

public sealed record ReturnTarget(string ActivityId, string Name);

public sealed record TaskDetail(
    TaskSummary Task, FormDefinition? Form, Dictionary<string, FieldPermission> Permissions, IReadOnlyList<string> Outcomes,
    JsonObject Data, string? Message, bool CanAct, bool NeedsClaim, IReadOnlyList<ReturnTarget> ReturnTargets, WorkflowStatus InstanceStatus,
    Supervision.AssignmentStepView? Assignment = null, IReadOnlyList<NextStepChoice>? NextSteps = null)
{
    /// <summary>The viewer acts on this task as the deputy of its holder (代理, decision 031).</summary>
    public OnBehalfOf? OnBehalfOf { get; init; }

    /// <summary>The documents this 阅知 brings to the unit, to download (decision 047).</summary>
    public IReadOnlyList<SentDocument> Documents { get; init; } = [];
}

/// <summary>A generated document sent to a unit: <c>GET /api/documents/{id}</c> downloads it.</summary>
public sealed record SentDocument(Guid Id, string TemplateName, string? Number, string FileName);

public sealed record CompleteTaskRequest(string? Outcome, JsonObject? Data, string? Comment, Dictionary<string, List<string>>? NextAssignees);
/// <param name="Data">What was typed into the step's form before sending back: its opinions go with the send-back.</param>
public sealed record ReturnTaskRequest(string? TargetActivityId, string? Comment, JsonObject? Data = null);
public sealed record TransferTaskRequest(string? ToUserId, string? Comment);
public sealed record ReadNoticeRequest(string? Comment);

/// <summary>The inbox (待办 / 已办 / 阅知) and what a person does with a task.</summary>
internal static class TaskEndpoints
{
    public static RouteGroupBuilder MapTasksApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks").WithTags("待办").RequireAuthorization();

        group.MapGet("/", async Task<Ok<PagedList<TaskSummary>>> (string? box, int? page, int? pageSize, string? q, string? definitionId, string? light,
            string? after, HttpContext http, DubanDbContext db, OrganizationCache orgCache, DeadlineLights deadlineLights, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var org = await orgCache.GetAsync(ct);
            var (p, size) = Paging.Normalize(page, pageSize);
            box ??= "todo";
            if (box is not ("todo" or "done" or "notice"))
                throw new WorkflowInputException("box", "box 只能是 todo（待办）、done（已办）或 notice（阅知）");
            if (light is not (null or "" or "green" or "yellow" or "red"))
                throw new WorkflowInputException("light", "状态灯只能是 green、yellow 或 red");
            if (!string.IsNullOrEmpty(light) && box == "done")
                throw new WorkflowInputException("light", "状态灯只用于未办结的待办，已办不能按状态灯筛选");
            if (!string.IsNullOrEmpty(after) && box != "done")
                throw new WorkflowInputException(PageCursor.Parameter, "只有已办按翻页位置（after）翻页，待办和阅知请用 page");
            // 已办 pages by keyset: after the (completion time, id) of the last row of the page before (docs/decisions/042, addendum).
            var filterPrint = PageCursor.FilterOf(http.Request.Query);
            var cursor = box == "done" ? PageCursor.Decode(after, "completedAt", true, filterPrint) : null;

            var tasks = box == "done"
                ? db.Tasks.Where(t => t.CompletedById == user.Id)
                : Open(db, user, org, await Deputies.PrincipalsOfAsync(db, user.Id, clock.GetUtcNow(), ct)).Where(t => box == "notice" ? t.Kind == TaskKind.Notice : t.Kind == TaskKind.Task);
            var query = from t in tasks
                        join i in db.Instances on t.InstanceId equals i.Id
                        select new { t, i.Title, i.Number, i.DefinitionId, i.DefinitionName, i.DefinitionRecordId };
            if (!string.IsNullOrWhiteSpace(q))
                query = query.Where(x => x.Title.Contains(q) || (x.Number != null && x.Number.Contains(q)) || x.t.Name.Contains(q));
            if (!string.IsNullOrWhiteSpace(definitionId)) query = query.Where(x => x.DefinitionId == definitionId);
            var now = clock.GetUtcNow();
            if (light == "red") query = query.Where(x => x.t.DueAt != null && x.t.DueAt < now);
            else if (light is "green" or "yellow") query = query.Where(x => x.t.DueAt != null && x.t.DueAt >= now);

            if (cursor is not null)
            {
                var at = cursor.KeyTicks is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw PageCursor.Bad();
                var lastId = cursor.Id;
                // (CompletedAt, Id) < (at, id), with the bound the index scan starts from spelled out.
                query = query.Where(x => x.t.CompletedAt <= at && (x.t.CompletedAt < at || x.t.Id.CompareTo(lastId) < 0));
            }
            // 已办 newest first, then by id: a total order, read off the index (CompletedById, CompletedAt, Id).
            var ordered = box == "done"
                ? query.OrderByDescending(x => x.t.CompletedAt).ThenByDescending(x => x.t.Id)
                : query.OrderBy(x => x.t.DueAt == null).ThenBy(x => x.t.DueAt).ThenByDescending(x => x.t.CreatedAt);
            int total;
            bool? totalCapped = null;
            string? nextCursor = null;
            List<Row> pageRows;
            if (light is "green" or "yellow")
            {
                // Yellow or green depends on working days left (the organization's calendar) and each procedure's
                // rule (options.lights): decided here, on four small columns of at most MaxLightCandidates rows (a
                // person's open tasks number in the hundreds), and only the page asked for is read in full.
                var candidates = await ordered.Select(x => new { x.t.Id, x.t.CreatedAt, x.t.DueAt, x.DefinitionRecordId }).Take(MaxLightCandidates).ToListAsync(ct);
                var judge = await deadlineLights.JudgeAsync(candidates.Select(c => c.DefinitionRecordId), ct);
                var matching = candidates.Where(c => judge.Of(c.DefinitionRecordId, c.CreatedAt, c.DueAt) == light).Select(c => c.Id).ToList();
                total = matching.Count;
                var ids = matching.Skip((p - 1) * size).Take(size).ToList();
                var found = await query.Where(x => ids.Contains(x.t.Id)).ToListAsync(ct);
                var byId = found.ToDictionary(x => x.t.Id);
                pageRows = ids.Where(byId.ContainsKey).Select(id => byId[id]).Select(x => new Row(x.t, x.Title, x.Number, x.DefinitionId, x.DefinitionName, x.DefinitionRecordId)).ToList();
            }
            else
            {
                // 已办 grows without end: counted only so far past the page's start (docs/decisions/042); 待办 and 阅知 are
                // the badge's exact count.
                // With a cursor the rows before it are not read again: they are the cursor's count.
                var skip = cursor is null ? (p - 1) * size : 0;
                var before = cursor?.Before ?? skip;
                if (box == "done")
                {
                    (total, var capped) = await Paging.CountAsync(ordered, skip, ct);
                    if (cursor is not null) total += before;
                    totalCapped = capped ? true : null;
                }
                else total = await query.CountAsync(ct);
                pageRows = (await ordered.Skip(skip).Take(size).ToListAsync(ct))
                    .Select(x => new Row(x.t, x.Title, x.Number, x.DefinitionId, x.DefinitionName, x.DefinitionRecordId)).ToList();
                if (cursor is not null) p = before / size + 1;
                if (box == "done" && pageRows.Count > 0 && total > before + pageRows.Count)
                    nextCursor = new PageCursor("completedAt", true, PageCursor.KeyOf(pageRows[^1].Task.CompletedAt), pageRows[^1].Task.Id, before + pageRows.Count, filterPrint)
                        .Encode();
            }
            var lights = await deadlineLights.JudgeAsync(pageRows.Select(x => x.DefinitionRecordId), ct);
            var items = pageRows.Select(x => Summary(x.Task, x.Title, x.Number, x.DefinitionId, x.DefinitionName, org, lights, x.DefinitionRecordId)).ToList();
            return TypedResults.Ok(new PagedList<TaskSummary>(items, total, p, size) { TotalCapped = totalCapped, NextCursor = nextCursor });
        }).WithSummary("我的待办 / 已办 / 阅知（已办的 total 只数到本页起 1000 条，超出时 totalCapped = true；已办翻下一页时把 nextCursor 作为 after 传回）");

        group.MapGet("/{id:guid}", async Task<Ok<TaskDetail>> (Guid id, HttpContext http, DubanDbContext db, OrganizationCache orgCache,
            DefinitionCache definitions, DeadlineLights deadlineLights, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var org = await orgCache.GetAsync(ct);
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("待办不存在");
            var canAct = user.CanAct(task, org);
            var deputyOf = canAct ? null : await Deputies.ActingForAsync(db, org, user, task, clock.GetUtcNow(), ct);
            canAct |= deputyOf is not null;
            if ((!canAct && task.CompletedById != user.Id && !await ItemVisibility.CanSeeAsync(db, user, task.InstanceId, ct))
                || await Confidentiality.HidesAsync(db, user, task.InstanceId, ct))
                throw new NotFoundException("待办不存在");
            var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == task.InstanceId, ct);
            var definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));
            var state = Duban.Data.Runtime.ItemWriter.StateOf(instance);
            var permissions = StepPermissions.Of(definition, task);
            // A task outside the flow (chase record, written reply) carries a built-in form.
            var form = definition.FindForm(task.FormId) ?? Duban.Engine.Chasing.ChaseRecords.FormOfTask(task.FormId);
            var returnTargets = task.Status == HumanTaskStatus.Open && task.BookmarkId is not null
                ? WorkflowRunner.ReturnTargets(definition, state, task.ActivityId).Select(a => new ReturnTarget(a.Id, a.DisplayName)).ToList()
                : [];
            // What this task's step may see (a 阅知 what the start step shows, a task outside the flow nothing; decision 034) …
            var data = ItemAccess.StepData(definition, task, state.Data);
            if (!canAct)
            {
                // … and for someone else's step no more than this user may see of the item anyway.
                var fields = await ItemAccess.FieldsAsync(db, user, instance, definition, ct);
                if (!fields.SeesAll) data = fields.Filter(data);
            }
            // A 交办 unit's task: the step's units and, for the 主办, every 协办 input received so far.
            var assignment = await Supervision.AssignmentViews.ForTaskAsync(db, task, instance, definition, org, user, ct);
            // A 协办 gives its input to the 主办: it neither sends the step back nor staffs the next steps.
            var coTask = assignment?.Units.Any(u => u.TaskId == task.Id && u.Role == AssignActivity.Co) == true;
            // Outcomes offered only until the deadline (a 交办异议 window) are gone once it has passed.
            var outcomes = JsonSerializer.Deserialize<List<string>>(task.OutcomesJson, DefinitionJson.Options) ?? [];
            if (task.BookmarkId is not null && definition.Root.Find(task.ActivityId) is { } node)
                outcomes = UserTaskActivity.OpenOutcomes(node, outcomes, task.DueAt, clock.GetUtcNow());
            return TypedResults.Ok(new TaskDetail(
                Summary(task, instance.Title, instance.Number, instance.DefinitionId, instance.DefinitionName, org,
                    await deadlineLights.JudgeAsync([instance.DefinitionRecordId], ct), instance.DefinitionRecordId),
                form, permissions,
                outcomes,
                data,
                task.Message,
                canAct && task.Status == HumanTaskStatus.Open,
                task.Status == HumanTaskStatus.Open && task.AssigneeUserId is null,
                coTask ? [] : returnTargets,
                instance.Status,
                assignment,
                NextSteps: task.Status == HumanTaskStatus.Open && task.BookmarkId is not null && !coTask
                    ? NextStepChoices.Of(definition, state, task.ActivityId, outcomes)
                    : [])
            {
                OnBehalfOf = deputyOf is null ? null : new OnBehalfOf(deputyOf, org.FindUser(deputyOf)?.DisplayName ?? deputyOf),
                Documents = task.ActivityId == Duban.Data.Documents.DocumentMaker.NoticeActivity
                    ? await (from d in db.Set<Duban.Data.Documents.DocumentDeliveryRecord>().AsNoTracking()
                             join g in db.Set<Duban.Data.Documents.GeneratedDocumentRecord>().AsNoTracking() on d.DocumentId equals g.Id
                             where d.TaskId == task.Id
                             select new SentDocument(g.Id, g.TemplateName, g.Number, g.FileName)).ToListAsync(ct)
                    : [],
            });
        }).WithSummary("待办详情（含表单与本环节字段权限）");

        group.MapPost("/{id:guid}/claim", async (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new ClaimTask(id, await http.GetCurrentUserAsync()), ct);
            return TypedResults.NoContent();
        }).WithSummary("签收").ProducesProblem(409);

        group.MapPost("/{id:guid}/complete", async (Guid id, CompleteTaskRequest request, [FromHeader(Name = Idempotency.Header)] string? idempotencyKey,
            HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var submission = new TaskSubmission(request.Outcome, request.Data, request.Comment, request.NextAssignees);
            await door.RunAsync(new CompleteTask(id, user, submission), Idempotency.KeyOf(idempotencyKey, user, "complete", id, request), ct);
            return TypedResults.NoContent();
        }).WithSummary("办理：选择结果、填写表单和意见后提交（可带 Idempotency-Key 头：重复提交得到第一次的结果）")
            .ProducesValidationProblem().ProducesProblem(409);

        group.MapPost("/{id:guid}/return", async (Guid id, ReturnTaskRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new ReturnTask(id, await http.GetCurrentUserAsync(), request.TargetActivityId, request.Comment, request.Data), ct);
            return TypedResults.NoContent();
        }).WithSummary("退回（沿退回出口，或退回到指定的已办环节）").ProducesValidationProblem().ProducesProblem(409);

        group.MapPost("/{id:guid}/transfer", async (Guid id, TransferTaskRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.ToUserId)) throw new WorkflowInputException("toUserId", "请选择转办对象");
            await door.RunAsync(new TransferTask(id, await http.GetCurrentUserAsync(), request.ToUserId, request.Comment), ct);
            return TypedResults.NoContent();
        }).WithSummary("转办").ProducesValidationProblem().ProducesProblem(409);

        group.MapPost("/{id:guid}/read", async (Guid id, ReadNoticeRequest? request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new ReadNotice(id, await http.GetCurrentUserAsync(), request?.Comment), ct);
            return TypedResults.NoContent();
        }).WithSummary("阅知：确认已阅").ProducesProblem(409);

        return group;
    }

    /// <summary>Most open tasks read to decide green and yellow lights in memory (see the list endpoint).</summary>
    internal const int MaxLightCandidates = 2000;

    private sealed record Row(TaskRecord Task, string Title, string? Number, string DefinitionId, string DefinitionName, Guid DefinitionRecordId);

    /// <summary>Open tasks this user may act on: theirs, their unit's (for its liaisons and leader), or their roles'.</summary>
    /// <param name="principals">The people this user stands in for today (代理): their own tasks are his too.</param>
    internal static IQueryable<TaskRecord> Open(DubanDbContext db, CurrentUser user, Duban.Data.Organization.OrganizationSnapshot org,
        IReadOnlyList<string>? principals = null)
    {
        // A deputy's inbox holds what his principals' would (代理, decision 031): their tasks, units and roles are his too.
        var people = (principals ?? []).Select(p => Deputies.As(org, p)).OfType<CurrentUser>().Prepend(user).ToList();
        // … but a confidential item's tasks only if one of them is named on it (decision 037).
        return Confidentiality.KnownTo(db, people, StandIn.Of(people, org).OpenTasks(db.Tasks));
    }

    /// <summary>A task's line in a list, its light decided by <paramref name="lights"/> (calendar and the procedure's rule).</summary>
    internal static TaskSummary Summary(TaskRecord t, string title, string? number, string definitionId, string definitionName, IOrganization org,
        LightJudge lights, Guid definitionRecordId) =>
        Summary(t, title, number, definitionId, definitionName, org,
            light: t.Status == HumanTaskStatus.Open ? lights.Of(definitionRecordId, t.CreatedAt, t.DueAt) : null)
        with
        { Provisional = t.Status == HumanTaskStatus.Open && lights.IsProvisional(t.DueAt) };

    private static TaskSummary Summary(TaskRecord t, string title, string? number, string definitionId, string definitionName, IOrganization org, string? light)
    {
        var assignee = t.AssigneeUserId is { } u ? org.FindUser(u) : null;
        var unitId = t.CandidateUnitId ?? assignee?.UnitId;
        var assigneeName = assignee?.DisplayName ?? (t.CandidateRole is { } role ? $"{role}（待签收）" : t.CandidateUnitId is not null ? "待签收" : null);
        return new TaskSummary(t.Id, t.InstanceId, title, number, definitionId, definitionName, t.ActivityId, t.Name,
            t.Kind, t.Status, assigneeName,
            unitId is null ? null : org.FindUnit(unitId)?.Name, t.CreatedAt, t.DueAt,
            light, t.CompletedAt, t.Outcome);
    }
}
