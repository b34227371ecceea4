using System.Collections.Concurrent;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// The read every task event starts with: the task, its item, the units taking part in the item and whether it has open
/// inbox tasks outside the flow — one round trip — and who may act on it.
/// </summary>
internal static class OpenTasks
{
    private sealed record Row(TaskRecord Task, InstanceRecord Instance, string? Units, bool HasDetachedTasks);

    /// <summary>Between the participant unit ids in <see cref="Row.Units"/>: a control character no unit id contains
    /// (ids are letters, digits, - and _).</summary>
    private const string UnitSeparator = "\u001f";

    private static readonly ConcurrentDictionary<IModel, Func<DubanDbContext, Guid, CancellationToken, Task<Row?>>> Queries = new();

    /// <summary>
    /// The open task <paramref name="taskId"/> that <paramref name="user"/> may act on, tracked, with its item. Not
    /// visible: 404; visible but not theirs: 403; a fellow candidate got there first, or it is no longer open: 409.
    /// </summary>
    /// <param name="allowOffice">The supervision office (and administrators) may act on anyone's task (转办).</param>
    /// <param name="throughLink">An answer through a checked 在线征询 link: the task is the respondent's to answer while open.</param>
    /// <param name="delegated">The write is the delegate's handing back of a 委派 task; any other refuses a delegated task.</param>
    public static async Task<(TaskRecord Task, InstanceRecord Instance)> LoadAsync(WriteContext context, Guid taskId, CurrentUser user,
        CancellationToken ct, bool allowOffice = false, bool throughLink = false, bool delegated = false)
    {
        var db = context.Db;
        var org = context.Organization;
        var row = await Query(db)(db, taskId, ct) ?? throw new NotFoundException("待办不存在");
        var task = row.Task;
        // Another organization's task does not exist for this user (decision 035).
        if (task.OrganizationId != user.OrganizationId && !throughLink) throw new NotFoundException("待办不存在");
        var mayAct = user.CanAct(task, org) || (allowOffice && user.Has(Permission.Supervise))
            || throughLink;
        // 代理 (decision 031): a deputy acts on the tasks of the one he stands in for, during the period.
        if (!mayAct && await Deputies.ActingForAsync(db, org, user, task, context.Now, ct) is { } principal)
        {
            mayAct = true;
            context.ActOnBehalf(user.Id, principal);
        }
        if (!mayAct && task.DelegatorUserId == user.Id && task.Status == HumanTaskStatus.Open)
            throw new WorkflowConflictException($"该待办已委派给{org.FindUser(task.AssigneeUserId ?? "")?.DisplayName ?? "他人"}，待其交还后才能办理");
        // A confidential item's task is not reachable by anyone not named on it, whatever his role (decision 037).
        if (!throughLink && row.Instance.IsRestricted && await Confidentiality.HidesAsync(db, user, task.InstanceId, ct))
            throw new NotFoundException("待办不存在");
        if (!mayAct)
        {
            // Someone else of the same unit or role got there first: that is a lost race, not a trespass.
            if (user.IsCandidate(task, org))
                throw new WorkflowConflictException(task.Status == HumanTaskStatus.Open ? "该待办已被他人签收" : "该待办已由他人办理");
            if (await ItemVisibility.CanSeeAsync(db, user, task.InstanceId, ct))
                throw new ForbiddenException("您不是该待办的办理人");
            throw new NotFoundException("待办不存在");
        }
        if (task.Status != HumanTaskStatus.Open)
            throw new WorkflowConflictException(task.Status == HumanTaskStatus.Cancelled ? "该待办已取消"
                // The holder lost to someone else (the proposer's answer through the link, decision 032): say who.
                : task.CompletedById is { } by && by != user.Id && task.CompletedByName is { } name ? $"该待办已由{name}办理"
                : "该待办已办理，不能重复提交");
        if (task.DelegatorUserId is not null && !delegated)
            throw new WorkflowConflictException(task.AssigneeUserId == user.Id
                ? "该待办是委派给您的，请填写意见后交还委派人，由其办理"
                : $"该待办已委派给{org.FindUser(task.AssigneeUserId ?? "")?.DisplayName ?? "他人"}，待其交还后才能办理");
        context.KnowParticipants(row.Instance.Id, string.IsNullOrEmpty(row.Units) ? [] : row.Units.Split(UnitSeparator));
        if (!row.HasDetachedTasks) ItemWriter.KnowNoDetachedTasks(context, row.Instance.Id);
        return (task, row.Instance);
    }

    /// <summary>
    /// Compiled once per model (SQLite and PostgreSQL each have theirs; EF refuses a compiled query on another model).
    /// A join, not a First() per row inside the projection: EF turns that into ROW_NUMBER() over every instance, a full
    /// scan of WorkflowInstances on each completion (decision 008).
    /// </summary>
    private static Func<DubanDbContext, Guid, CancellationToken, Task<Row?>> Query(DubanDbContext db) =>
        Queries.GetOrAdd(db.Model, static _ => EF.CompileAsyncQuery((DubanDbContext db, Guid taskId, CancellationToken ct) =>
            (from t in db.Tasks
             where t.Id == taskId
             join i in db.Instances on t.InstanceId equals i.Id
             select new Row(t, i, db.InstanceUnits.Where(u => u.InstanceId == t.InstanceId).GroupBy(u => u.InstanceId)
                     .Select(g => string.Join(UnitSeparator, g.Select(u => u.UnitId))).FirstOrDefault(),
                 db.Tasks.Any(d => d.InstanceId == t.InstanceId && d.BookmarkId == null && d.Status == HumanTaskStatus.Open)))
            .FirstOrDefault()));
}
