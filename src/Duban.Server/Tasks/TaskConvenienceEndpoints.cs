using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Tasks;

/// <param name="Exists">Whether a draft is kept for this task and this user.</param>
public sealed record TaskDraftView(bool Exists, JsonObject? Data, string? Comment, DateTimeOffset? SavedAt);

public sealed record SaveTaskDraftRequest(JsonObject? Data, string? Comment);

public sealed record TaskDraftSaved(DateTimeOffset SavedAt);

public sealed record BatchReadRequest(List<Guid>? TaskIds, string? Comment);

/// <param name="Status"><c>read</c>, or why not: <c>conflict</c> (already read or taken — the 409 a single 已阅 would get),
/// <c>invalid</c> (not a notice), <c>forbidden</c>, <c>notFound</c>.</param>
public sealed record BatchReadResult(Guid TaskId, string Status, string? Message);

/// <param name="Read">How many were marked read by this request.</param>
public sealed record BatchReadResponse(int Read, IReadOnlyList<BatchReadResult> Results);

public sealed record UrgeResult(Guid ChaseId, string RungName, string UnitName, DateTimeOffset RaisedAt);

/// <summary>The opinion that sent a step back, for the one who redoes it.</summary>
public sealed record SentBackOpinion(string Key, string Label, string Text);

/// <param name="FromStep">The step that sent the work back.</param>
/// <param name="Direct">That step is set to 直达退回环节: after the redo the item goes straight back to it.</param>
public sealed record SentBackNote(
    string FromStep, string? ByName, DateTimeOffset At, string? Reason, IReadOnlyList<SentBackOpinion> Opinions, bool Direct);

public sealed record SentBackView(SentBackNote? Note);

/// <summary>
/// Conveniences on tasks (issue 16, docs/decisions/032): 暂存 drafts, 批量已阅, 一键催办, and the send-back a redo answers.
/// </summary>
internal static class TaskConvenienceEndpoints
{
    /// <summary>Most notices one 批量已阅 takes.</summary>
    public const int MaxBatch = 200;

    public static RouteGroupBuilder MapTaskConveniencesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks").WithTags("待办").RequireAuthorization();

        group.MapGet("/{id:guid}/draft", async Task<Ok<TaskDraftView>> (Guid id, HttpContext http, DubanDbContext db, OrganizationCache orgCache,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("待办不存在");
            // Only the person holding the open task reads its draft; for anyone else there is none.
            if (task.Status != HumanTaskStatus.Open || task.AssigneeUserId != user.Id || !task.HasDraft)
            {
                if ((!user.CanAct(task, await orgCache.GetAsync(ct)) && !await ItemVisibility.CanSeeAsync(db, user, task.InstanceId, ct))
                    || await Confidentiality.HidesAsync(db, user, task.InstanceId, ct))
                    throw new NotFoundException("待办不存在");
                return TypedResults.Ok(new TaskDraftView(false, null, null, null));
            }
            var draft = await db.Set<TaskDraftRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.TaskId == id && d.UserId == user.Id, ct);
            return TypedResults.Ok(draft is null
                ? new TaskDraftView(false, null, null, null)
                : new TaskDraftView(true, JsonNode.Parse(draft.DataJson) as JsonObject, draft.Comment, draft.SavedAt));
        }).WithSummary("读取暂存（仅本待办的办理人）");

        group.MapPut("/{id:guid}/draft", async Task<Ok<TaskDraftSaved>> (Guid id, SaveTaskDraftRequest request, HttpContext http, WriteDoor door,
            CancellationToken ct) =>
        {
            var saved = await door.RunAsync(new SaveTaskDraft(id, await http.GetCurrentUserAsync(), request.Data, request.Comment), ct);
            return TypedResults.Ok(new TaskDraftSaved(saved));
        }).WithSummary("暂存：保存已填写的表单（含已上传附件）和办理说明，办理或取消后自动删除")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        group.MapPost("/read-batch", async Task<Ok<BatchReadResponse>> (BatchReadRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var ids = request.TaskIds?.Distinct().ToList() ?? [];
            if (ids.Count == 0) throw new WorkflowInputException("taskIds", "请选择要确认已阅的阅知事项");
            if (ids.Count > MaxBatch) throw new WorkflowInputException("taskIds", $"一次最多确认 {MaxBatch} 条");
            var user = await http.GetCurrentUserAsync();
            var results = new List<BatchReadResult>();
            // Each notice is its own write: one already read (or taken by a colleague) is reported, the rest go on.
            foreach (var taskId in ids)
            {
                try
                {
                    await door.RunAsync(new ReadNotice(taskId, user, string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim()), ct);
                    results.Add(new BatchReadResult(taskId, "read", null));
                }
                catch (WorkflowConflictException e) { results.Add(new BatchReadResult(taskId, "conflict", e.Message)); }
                catch (WorkflowInputException e) { results.Add(new BatchReadResult(taskId, "invalid", e.Message)); }
                catch (ForbiddenException e) { results.Add(new BatchReadResult(taskId, "forbidden", e.Message)); }
                catch (NotFoundException e) { results.Add(new BatchReadResult(taskId, "notFound", e.Message)); }
            }
            return TypedResults.Ok(new BatchReadResponse(results.Count(r => r.Status == "read"), results));
        }).WithSummary("批量已阅：逐条确认，已被阅或无权的逐条说明，不影响其余").ProducesValidationProblem();

        group.MapPost("/{id:guid}/urge", async Task<Ok<UrgeResult>> (Guid id, HttpContext http, WriteDoor door, OrganizationCache orgCache,
            CancellationToken ct) =>
        {
            var chase = await door.RunAsync(new UrgeOverdueStep(id, await http.GetCurrentUserAsync()), ct);
            var org = await orgCache.GetAsync(ct);
            return TypedResults.Ok(new UrgeResult(chase.Id, chase.RungName, org.FindUnit(chase.UnitId)?.Name ?? chase.UnitId, chase.RaisedAt));
        }).WithSummary("一键催办：事项发起人或督查室对超期环节发起本单位催办阶梯的第一级").ProducesProblem(403).ProducesProblem(409);

        group.MapGet("/{id:guid}/sent-back", async Task<Ok<SentBackView>> (Guid id, HttpContext http, DubanDbContext db, OrganizationCache orgCache,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("待办不存在");
            if ((!user.CanAct(task, await orgCache.GetAsync(ct)) && task.CompletedById != user.Id
                    && !await ItemVisibility.CanSeeAsync(db, user, task.InstanceId, ct))
                || await Confidentiality.HidesAsync(db, user, task.InstanceId, ct))
                throw new NotFoundException("待办不存在");
            return TypedResults.Ok(new SentBackView(await SentBackAsync(db, task, ct)));
        }).WithSummary("本环节被退回重办时：退回人、退回理由和退回前填写的意见");

        return group;
    }

    /// <summary>
    /// The send-back this task redoes: the latest line that sent work back (a 退回 outcome, or 退回到 a chosen step) written
    /// since this step last finished and before the task was opened. None for a first round.
    /// </summary>
    private static async Task<SentBackNote?> SentBackAsync(DubanDbContext db, TaskRecord task, CancellationToken ct)
    {
        if (task.BookmarkId is null || !task.ExecutionId.Contains('#') || task.ExecutionId.EndsWith("#1", StringComparison.Ordinal)) return null;
        // By journal order, not by time: the engine's lines and the task row may carry instants a tick apart.
        // The item's whole journal (a closed item's is partly compacted, decision 042's addendum): one item's lines are few.
        var journal = await Duban.Data.Instances.ItemJournal.OfItemAsync(db, task.InstanceId, ct);
        var created = journal.FirstOrDefault(j => j.Kind == JournalKind.TaskCreated && j.TaskId == task.Id)?.Id;
        if (created is null) return null;
        var lastDone = journal.LastOrDefault(j => j.ActivityId == task.ActivityId && j.Kind == JournalKind.ActivityCompleted && j.Id < created)?.Id ?? 0;
        var lines = journal.Where(j => j.Id > lastDone && j.Id < created && (j.Kind == JournalKind.TaskReturned || j.Kind == JournalKind.TaskCompleted))
            .OrderByDescending(j => j.Id).Take(50).ToList();
        var line = lines.FirstOrDefault(j => j.Kind == JournalKind.TaskReturned || UserTaskSendBack.SentBack(j.Outcome, j.DataJson));
        if (line is null) return null;
        var data = line.DataJson is null ? null : JsonNode.Parse(line.DataJson) as JsonObject;
        var opinions = (data?[RedoRouting.OpinionsKey] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(o => new SentBackOpinion((string?)o["key"] ?? "", (string?)o["label"] ?? "意见", (string?)o["text"] ?? ""))
            .ToList();
        return new SentBackNote(line.ActivityName ?? line.ActivityId ?? "", line.ActorName, line.At, line.Comment, opinions,
            data?[RedoRouting.DirectKey] is JsonValue d && d.TryGetValue<bool>(out var direct) && direct);
    }
}
