using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Tasks;

public sealed record DelegateTaskRequest(string? ToUserId, string? Comment);
public sealed record ReturnDelegationRequest(JsonObject? Data, string? Comment);
public sealed record AddSignerRequest(string? UserId, string? UnitId, string? Reason);
public sealed record RemoveSignerRequest(Guid? SignerTaskId, string? QueuedUserId, string? UnitId, string? Reason);
public sealed record WithdrawItemRequest(string? Reason);
public sealed record WithdrawableView(bool CanWithdraw);
public sealed record SetDeputyRequest(string? UserId, string? DeputyUserId, DateOnly? StartsOn, DateOnly? EndsOn, string? Reason);

/// <summary>Who a person acts for: the principal of a 代理.</summary>
public sealed record OnBehalfOf(string UserId, string Name);

/// <summary>A 委派 under way, or done: who delegated to whom, and what the delegate gave back.</summary>
public sealed record DelegationView(string DelegatorName, string DelegateName, bool IsDelegate, DelegationResult? Returned);

public sealed record DelegationResult(string? ByName, DateTimeOffset At, string? Comment, JsonObject Values);

/// <summary>A member of a countersign or 交办 step: a person (by task or place in a 依次 line) or a unit.</summary>
public sealed record SignerView(Guid? TaskId, string? UserId, string? UnitId, string Name, string Status, bool CanRemove);

public sealed record SignersView(string Kind, string? Mode, bool CanChange, IReadOnlyList<SignerView> Members);

/// <summary>What this user may do with a task besides completing it (docs/decisions/031).</summary>
public sealed record TaskOperationsView(
    bool CanRecall, bool CanWithdrawItem, bool CanDelegate, DelegationView? Delegation, SignersView? Signers, OnBehalfOf? OnBehalfOf);

public sealed record DeputyView(Guid Id, string UserId, string UserName, string DeputyUserId, string DeputyName, DateOnly StartsOn, DateOnly EndsOn,
    string? Reason, bool Active);

/// <summary>撤回, 委派, 加签 / 减签 and 代理: what staff do with a task besides completing it (docs/decisions/031).</summary>
internal static class TaskOperationEndpoints
{
    public static IEndpointRouteBuilder MapTaskOperationsApi(this IEndpointRouteBuilder app)
    {
        var tasks = app.MapGroup("/api/tasks").WithTags("待办").RequireAuthorization();

        tasks.MapGet("/{id:guid}/operations", async Task<Ok<TaskOperationsView>> (Guid id, HttpContext http, DubanDbContext db, OrganizationCache orgCache,
            TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var org = await orgCache.GetAsync(ct);
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("待办不存在");
            var now = clock.GetUtcNow();
            var deputyOf = await Deputies.ActingForAsync(db, org, user, task, now, ct);
            var deputy = deputyOf is not null;
            var canAct = (user.CanAct(task, org) || deputy) && task.Status == HumanTaskStatus.Open;
            if ((!canAct && task.CompletedById != user.Id && !await ItemVisibility.CanSeeAsync(db, user, task.InstanceId, ct))
                || await Confidentiality.HidesAsync(db, user, task.InstanceId, ct))
                throw new NotFoundException("待办不存在");
            var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == task.InstanceId, ct);
            var state = Duban.Data.Runtime.ItemWriter.StateOf(instance);
            var office = user.Has(Permission.Supervise);

            // As RecallTask would decide: the engine's recall point still holds, and nobody has taken up the next step's tasks.
            var canRecall = false;
            if (task.Status == HumanTaskStatus.Completed && task.CompletedById == user.Id && instance.Status == WorkflowStatus.Suspended
                && WorkflowRunner.RecallableNext(state, task.Id, user.Id) is { } next)
            {
                canRecall = !await db.Tasks.AnyAsync(t => t.InstanceId == instance.Id && t.BookmarkId != null && next.Contains(t.BookmarkId)
                    && (t.ClaimedAt != null || t.DelegatorUserId != null || t.Status == HumanTaskStatus.Completed), ct);
            }
            var canWithdraw = await CanWithdrawAsync(db, user, instance, ct);
            var delegated = task.DelegatorUserId is not null;
            var canDelegate = canAct && !delegated && task.BookmarkId is not null && task.Kind == TaskKind.Task && task.AssigneeUserId is not null;

            DelegationView? delegation = null;
            var returnedLine = await db.Journal.AsNoTracking().Where(j => j.TaskId == task.Id && j.Kind == JournalKind.DelegationReturned)
                .OrderByDescending(j => j.Id).FirstOrDefaultAsync(ct);
            if (delegated || returnedLine is not null)
            {
                var delegatorId = task.DelegatorUserId ?? task.AssigneeUserId;
                var delegateName = delegated ? org.FindUser(task.AssigneeUserId ?? "")?.DisplayName : returnedLine?.ActorName;
                DelegationResult? returned = null;
                if (!delegated && returnedLine is not null)
                {
                    var data = returnedLine.DataJson is { } json ? JsonNode.Parse(json) as JsonObject : null;
                    returned = new DelegationResult(returnedLine.ActorName, returnedLine.At, returnedLine.Comment,
                        data?["values"] as JsonObject is { } v ? (JsonObject)v.DeepClone() : new JsonObject());
                }
                delegation = new DelegationView(org.FindUser(delegatorId ?? "")?.DisplayName ?? "", delegateName ?? "",
                    delegated && task.AssigneeUserId == user.Id, returned);
            }

            SignersView? signers = null;
            if (task.Status == HumanTaskStatus.Open && task.BookmarkId is not null && state.FindBookmark(task.BookmarkId) is { } bookmark)
                signers = await SignersAsync(db, org, state, bookmark, task, canAct && !delegated, office, ct);

            OnBehalfOf? onBehalf = deputyOf is null ? null : new OnBehalfOf(deputyOf, org.FindUser(deputyOf)?.DisplayName ?? deputyOf);
            return TypedResults.Ok(new TaskOperationsView(canRecall, canWithdraw, canDelegate, delegation, signers, onBehalf));
        }).WithSummary("待办的其他操作：可否撤回、委派、加签/减签，代理情况");

        tasks.MapPost("/{id:guid}/recall", async (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new RecallTask(id, await http.GetCurrentUserAsync()), ct);
            return TypedResults.NoContent();
        }).WithSummary("撤回：下一环节尚未签收或办理时，取回本人已办理的环节").ProducesProblem(403).ProducesProblem(409);

        tasks.MapPost("/{id:guid}/delegate", async (Guid id, DelegateTaskRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.ToUserId)) throw new WorkflowInputException("toUserId", "请选择委派对象");
            await door.RunAsync(new DelegateTask(id, await http.GetCurrentUserAsync(), request.ToUserId, request.Comment), ct);
            return TypedResults.NoContent();
        }).WithSummary("委派：交给他人办理，办理后交还本人").ProducesValidationProblem().ProducesProblem(409);

        tasks.MapPost("/{id:guid}/delegate-return", async (Guid id, ReturnDelegationRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new ReturnDelegation(id, await http.GetCurrentUserAsync(), request.Data, request.Comment), ct);
            return TypedResults.NoContent();
        }).WithSummary("被委派人填写意见后交还委派人").ProducesValidationProblem().ProducesProblem(409);

        tasks.MapPost("/{id:guid}/signers", async (Guid id, AddSignerRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new AddSigner(id, await http.GetCurrentUserAsync(), request.UserId, request.UnitId, request.Reason), ct);
            return TypedResults.NoContent();
        }).WithSummary("加签：会签环节增加办理人，或交办环节增加协办单位").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        tasks.MapPost("/{id:guid}/signers/remove", async (Guid id, RemoveSignerRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new RemoveSigner(id, await http.GetCurrentUserAsync(), request.SignerTaskId, request.QueuedUserId, request.UnitId, request.Reason), ct);
            return TypedResults.NoContent();
        }).WithSummary("减签：移除尚未办理的会签人或协办单位").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        app.MapGet("/api/instances/{id:guid}/withdrawable", async Task<Ok<WithdrawableView>> (Guid id, HttpContext http, DubanDbContext db,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!await ItemVisibility.CanSeeAsync(db, user, id, ct)) throw new NotFoundException("事项不存在");
            var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct) ?? throw new NotFoundException("事项不存在");
            return TypedResults.Ok(new WithdrawableView(await CanWithdrawAsync(db, user, instance, ct)));
        }).WithTags("事项").RequireAuthorization().WithSummary("发起人此时可否撤回事项（尚无他人签收或办理）").ProducesProblem(404);

        app.MapPost("/api/instances/{id:guid}/withdraw", async (Guid id, WithdrawItemRequest? request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new WithdrawItem(id, await http.GetCurrentUserAsync(), request?.Reason), ct);
            return TypedResults.NoContent();
        }).WithTags("事项").RequireAuthorization().WithSummary("撤回事项：尚无人签收或办理时，发起人撤回，事项以「已撤回」结束")
            .ProducesProblem(403).ProducesProblem(409);

        var deputies = app.MapGroup("/api/deputies").WithTags("代理").RequireAuthorization();

        deputies.MapGet("/", async Task<Ok<List<DeputyView>>> (string? userId, HttpContext http, DubanDbContext db, OrganizationCache orgCache,
            TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var org = await orgCache.GetAsync(ct);
            var admin = user.Has(Permission.ManageUnitsAndPeople);
            if (userId is not null && userId != user.Id && !admin) throw new ForbiddenException("只能查看自己的代理设置");
            var today = Deputies.Today(clock.GetUtcNow());
            var organizationId = OrganizationScope.Require(user);
            // An administrator sees his own organization's settings (decision 035).
            var query = db.Set<DeputyRecord>().AsNoTracking()
                .Where(d => d.EndsOn >= today && db.Users.Any(u => u.Id == d.UserId && u.OrganizationId == organizationId));
            query = userId is not null ? query.Where(d => d.UserId == userId)
                : admin ? query : query.Where(d => d.UserId == user.Id || d.DeputyUserId == user.Id);
            var rows = await query.OrderBy(d => d.StartsOn).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(d => new DeputyView(d.Id, d.UserId, org.FindUser(d.UserId)?.DisplayName ?? d.UserId, d.DeputyUserId,
                org.FindUser(d.DeputyUserId)?.DisplayName ?? d.DeputyUserId, d.StartsOn, d.EndsOn, d.Reason,
                d.StartsOn <= today && d.EndsOn >= today)).ToList());
        }).WithSummary("代理设置：本人的（被代理与代理他人）；管理员可看全部或某人的");

        deputies.MapPost("/", async Task<Created<DeputyView>> (SetDeputyRequest request, HttpContext http, WriteDoor door, OrganizationCache orgCache,
            TimeProvider clock, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.DeputyUserId)) throw new WorkflowInputException("deputyUserId", "请选择代理人");
            if (request.StartsOn is not { } starts) throw new WorkflowInputException("startsOn", "请选择开始日期");
            if (request.EndsOn is not { } ends) throw new WorkflowInputException("endsOn", "请选择结束日期");
            var user = await http.GetCurrentUserAsync();
            var id = await door.RunAsync(new SetDeputy(user, request.UserId, request.DeputyUserId, starts, ends, request.Reason), ct);
            var org = await orgCache.GetAsync(ct);
            var principal = string.IsNullOrWhiteSpace(request.UserId) ? user.Id : request.UserId;
            var today = Deputies.Today(clock.GetUtcNow());
            return TypedResults.Created($"/api/deputies/{id}", new DeputyView(id, principal, org.FindUser(principal)?.DisplayName ?? principal,
                request.DeputyUserId, org.FindUser(request.DeputyUserId)?.DisplayName ?? request.DeputyUserId, starts, ends, request.Reason,
                starts <= today && ends >= today));
        }).WithSummary("设置代理人（本人，或管理员为他人设置）").ProducesValidationProblem().ProducesProblem(403);

        deputies.MapDelete("/{id:guid}", async (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new RemoveDeputy(await http.GetCurrentUserAsync(), id), ct);
            return TypedResults.NoContent();
        }).WithSummary("取消代理").ProducesProblem(403).ProducesProblem(404);

        return app;
    }

    /// <summary>As WithdrawItem decides: the initiator, the item running, and nobody else has claimed or completed a task of it.</summary>
    private static async Task<bool> CanWithdrawAsync(DubanDbContext db, CurrentUser user, Duban.Data.Instances.InstanceRecord instance, CancellationToken ct) =>
        instance.InitiatorId == user.Id && instance.Status is WorkflowStatus.Suspended or WorkflowStatus.Running
        && !await db.Tasks.AnyAsync(t => t.InstanceId == instance.Id
            && ((t.ClaimedAt != null && t.AssigneeUserId != user.Id) || (t.Status == HumanTaskStatus.Completed && t.CompletedById != user.Id)), ct);

    /// <summary>The members of the step <paramref name="task"/> is part of, when it has more than one (会签) or is a 交办.</summary>
    private static async Task<SignersView?> SignersAsync(DubanDbContext db, OrganizationSnapshot org, WorkflowState state, Bookmark bookmark,
        TaskRecord task, bool holder, bool office, CancellationToken ct)
    {
        if (bookmark.Payload["step"]?.GetValue<string>() is { } stepId)
        {
            if (state.FindBookmark(stepId) is not { } step) return null;
            var lead = bookmark.Payload["role"]?.GetValue<string>() == AssignActivity.Lead;
            var canChange = office || (holder && lead);
            var units = step.Payload["units"]!.AsArray().OfType<JsonObject>()
                .Where(u => u["status"]!.GetValue<string>() is "open" or "submitted").Select(u =>
                {
                    var unitId = u["unitId"]!.GetValue<string>();
                    var role = u["role"]!.GetValue<string>();
                    var open = u["status"]!.GetValue<string>() == "open";
                    return new SignerView(Guid.Parse(u["taskId"]!.GetValue<string>()), null, unitId,
                        $"{org.FindUnit(unitId)?.Name ?? unitId}（{AssignActivity.RoleName(role)}）", open ? "open" : "done",
                        canChange && open && role == AssignActivity.Co);
                }).ToList();
            return new SignersView("assign", null, canChange, units);
        }
        var mode = bookmark.Payload["mode"]?.GetValue<string>();
        if (bookmark.Kind != BookmarkKinds.Task || mode is null || mode == UserTaskActivity.Single) return null;
        var canEdit = holder || office;
        var rows = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == task.InstanceId && t.BookmarkId == bookmark.Id && t.Status != HumanTaskStatus.Cancelled)
            .OrderBy(t => t.CreatedAt).ToListAsync(ct);
        var openCount = rows.Count(t => t.Status == HumanTaskStatus.Open) + (bookmark.Payload["queue"]?.AsArray().Count ?? 0);
        var members = rows.Select(t =>
        {
            var name = t.AssigneeUserId is { } u ? org.FindUser(u)?.DisplayName ?? u : t.CandidateUnitId is { } unit ? org.FindUnit(unit)?.Name ?? unit : t.CandidateRole ?? "";
            var open = t.Status == HumanTaskStatus.Open;
            return new SignerView(t.Id, t.AssigneeUserId, t.CandidateUnitId, name, open ? "open" : "done", canEdit && open && openCount > 1 && t.Id != task.Id);
        }).ToList();
        foreach (var queued in bookmark.Payload["queue"]?.AsArray() ?? [])
            if (TaskAssignee.Parse(queued!.GetValue<string>()) is { UserId: { } u })
                members.Add(new SignerView(null, u, null, org.FindUser(u)?.DisplayName ?? u, "queued", canEdit && openCount > 1));
        return new SignersView("countersign", mode, canEdit, members);
    }
}
