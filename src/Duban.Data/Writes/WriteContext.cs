using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;

namespace Duban.Data.Writes;

/// <summary>
/// One attempt of one write: the database context whose tracked changes the door commits, the organization and the
/// clock as they were when the attempt began, and the few things every write does the same way — a journal line, a task
/// opened, closed or cancelled, a unit taking part in an item. A lost race throws the attempt away with everything it
/// remembers; the door starts the next one with a fresh context.
/// </summary>
public sealed class WriteContext
{
    private readonly List<Func<Task>> _afterCommit = [];
    private readonly HashSet<(Guid, string)> _participants = [];
    private readonly Dictionary<Guid, HashSet<string>> _storedUnits = [];

    internal WriteContext(DubanDbContext db, OrganizationSnapshot organization, DateTimeOffset now, IServiceProvider services)
    {
        Db = db;
        Organization = organization;
        Now = now;
        Services = services;
    }

    public DubanDbContext Db { get; }

    /// <summary>The organization as it was when this attempt began.</summary>
    public OrganizationSnapshot Organization { get; }

    /// <summary>An item's organization as the engine sees it: its own people, units and calendar (decision 035).</summary>
    public IOrganization OrganizationOf(InstanceRecord instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Organization.Within(instance.OrganizationId);
    }

    /// <summary>The time of this write: every row it stamps carries the same instant.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>The request's services (scoped), for handlers that hand part of the work to another component.</summary>
    public IServiceProvider Services { get; }

    /// <summary>The transaction a handler asked for with <see cref="BeginTransactionAsync"/>; the door commits it.</summary>
    internal Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction? Transaction { get; private set; }

    /// <summary>
    /// For a write that calls a component which saves on its own (ASP.NET Identity's user manager does): everything from
    /// here on, those saves included, runs in one transaction that the door commits after its own final save, or rolls
    /// back when the attempt fails. Call it before the first such save.
    /// </summary>
    public async Task BeginTransactionAsync(CancellationToken ct) =>
        Transaction ??= await Db.Database.BeginTransactionAsync(ct);

    private readonly Dictionary<Type, object> _parts = [];

    /// <summary>
    /// What one feature remembers for the rest of this attempt (rows it added, rows it knows are absent), created on
    /// first use. It goes with the attempt: a retry starts with a new one.
    /// </summary>
    public T Part<T>() where T : class, new()
    {
        if (!_parts.TryGetValue(typeof(T), out var part)) _parts[typeof(T)] = part = new T();
        return (T)part;
    }

    /// <summary>Work to do once the write has committed (a cache to drop, a file to delete). Never runs for a lost attempt.</summary>
    public void AfterCommit(Action action) => _afterCommit.Add(() => { action(); return Task.CompletedTask; });

    /// <inheritdoc cref="AfterCommit(Action)"/>
    public void AfterCommit(Func<Task> action) => _afterCommit.Add(action);

    internal async Task RunAfterCommitAsync()
    {
        foreach (var action in _afterCommit) await action();
    }

    private readonly List<Func<Task>> _ifNotCommitted = [];

    /// <summary>
    /// Work that undoes, outside the database, what this attempt did before its commit (a file it stored) — run when the
    /// attempt is thrown away (a lost race, a refusal, a failure), never when it committed.
    /// </summary>
    public void IfNotCommitted(Func<Task> action) => _ifNotCommitted.Add(action);

    internal async Task RunIfNotCommittedAsync()
    {
        foreach (var action in _ifNotCommitted) await action();
    }

    // ---- the journal ---------------------------------------------------------------------------------------------

    /// <summary>Writes one line of an item's journal: the one way every write records what happened.</summary>
    public void Journal(Guid instanceId, JournalRecord entry)
    {
        if (entry.ActorId is { } actorId && _onBehalf.TryGetValue(actorId, out var principal))
        {
            // A deputy's act (代理, decision 031): the line names him and the one he stood in for.
            var data = (JsonObject?)entry.Data?.DeepClone() ?? new JsonObject();
            data["onBehalfOfId"] = principal.Id;
            data["onBehalfOfName"] = principal.Name;
            entry = entry with { ActorName = OnBehalfName(entry.ActorName ?? actorId, principal.Name), Data = data };
        }
        Db.Journal.Add(new JournalEntryRecord
        {
            InstanceId = instanceId,
            Kind = entry.Kind,
            At = entry.At,
            ActivityId = entry.ActivityId,
            ActivityName = entry.ActivityName,
            ExecutionId = entry.ExecutionId,
            Round = entry.Round,
            ActorId = entry.ActorId,
            ActorName = entry.ActorName,
            TaskId = entry.TaskId,
            Outcome = entry.Outcome,
            Comment = entry.Comment,
            DataJson = entry.Data?.ToJsonString(DefinitionJson.Options),
        });
    }

    // ---- acting for someone else (代理) -------------------------------------------------------------------------

    private readonly Dictionary<string, (string Id, string Name)> _onBehalf = [];

    /// <summary>
    /// <paramref name="deputyId"/> acts in this write as the deputy of <paramref name="principalId"/>: every journal line he
    /// writes, and the task he closes, say 「张三（代李四）」 (decision 031).
    /// </summary>
    public void ActOnBehalf(string deputyId, string principalId) =>
        _onBehalf[deputyId] = (principalId, Organization.FindUser(principalId)?.DisplayName ?? principalId);

    /// <summary>The one <paramref name="userId"/> stands in for in this write, if any.</summary>
    public (string Id, string Name)? OnBehalfOf(string userId) => _onBehalf.TryGetValue(userId, out var p) ? p : null;

    /// <summary>The user as the engine should name him: 「张三（代李四）」 when he acts as a deputy (his opinions are signed so).</summary>
    public Actor ActorOf(CurrentUser user) =>
        _onBehalf.TryGetValue(user.Id, out var p) ? user.ToActor() with { Name = OnBehalfName(user.DisplayName, p.Name) } : user.ToActor();

    private static string OnBehalfName(string name, string principal) =>
        name.Contains("（代", StringComparison.Ordinal) ? name : $"{name}（代{principal}）";

    /// <summary>A journal line written now by <paramref name="actor"/>.</summary>
    public void Journal(Guid instanceId, JournalKind kind, Actor actor, string? activityId, string? activityName,
        string? outcome = null, string? comment = null, JsonObject? data = null, Guid? taskId = null, string? executionId = null) =>
        Journal(instanceId, new JournalRecord
        {
            Kind = kind,
            At = Now,
            ActivityId = activityId,
            ActivityName = activityName,
            ExecutionId = executionId,
            ActorId = actor.Id,
            ActorName = actor.Name,
            TaskId = taskId,
            Outcome = outcome,
            Comment = comment,
            Data = data,
        });

    /// <summary>A journal line about <paramref name="task"/> (its step, execution and id).</summary>
    public void Journal(TaskRecord task, JournalKind kind, Actor actor, string? outcome = null, string? comment = null, JsonObject? data = null) =>
        Journal(task.InstanceId, kind, actor, task.ActivityId, task.Name, outcome, comment, data, task.Id, task.ExecutionId);

    // ---- tasks ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Closes a task someone acted on: its status, who acted and when, the outcome and comment. A task for a group
    /// becomes the actor's (completing implies claiming).
    /// </summary>
    public void Close(TaskRecord task, CurrentUser? by, HumanTaskStatus status, string? outcome, string? comment)
    {
        task.Status = status;
        if (by is not null)
        {
            task.AssigneeUserId ??= by.Id;
            task.CompletedById = by.Id;
            task.CompletedByName = _onBehalf.TryGetValue(by.Id, out var p) ? OnBehalfName(by.DisplayName, p.Name) : by.DisplayName;
        }
        task.CompletedAt = Now;
        task.Outcome = outcome;
        task.Comment = comment;
        DropDraft(task);
    }

    /// <summary>An open task nobody is to act on any more: cancelled, with its journal line.</summary>
    public void Cancel(TaskRecord task, Actor actor, string? comment)
    {
        task.Status = HumanTaskStatus.Cancelled;
        task.CompletedAt = Now;
        task.Comment ??= comment;
        Journal(task, JournalKind.TaskCancelled, actor, comment: comment);
        DropDraft(task);
    }

    /// <summary>
    /// A task that closes takes its 暂存 draft with it. The flag says the row exists (the write that added it set it), so
    /// it is deleted by key, without reading it first; a draft save racing this close loses on the task or the draft row.
    /// </summary>
    private void DropDraft(TaskRecord task)
    {
        if (!task.HasDraft) return;
        task.HasDraft = false;
        var draft = Db.Set<TaskDraftRecord>().Local.FirstOrDefault(d => d.TaskId == task.Id)
            ?? Db.Set<TaskDraftRecord>().Attach(new TaskDraftRecord { TaskId = task.Id, UserId = "" }).Entity;
        Db.Set<TaskDraftRecord>().Remove(draft);
    }

    /// <summary>A new task in someone's inbox that no flow step waits for (an extension to decide, a chase to record).</summary>
    public TaskRecord OpenDetachedTask(InstanceRecord instance, string activityId, string executionId, string name, TaskKind kind,
        TaskAssignee assignee, string? formId, IReadOnlyList<string> outcomes, string? message, DateTimeOffset? dueAt)
    {
        var task = new TaskRecord
        {
            Id = Guid.CreateVersion7(),
            InstanceId = instance.Id,
            OrganizationId = instance.OrganizationId,
            BookmarkId = null,
            ActivityId = activityId,
            ExecutionId = executionId,
            Name = name,
            Kind = kind,
            Status = HumanTaskStatus.Open,
            AssigneeUserId = assignee.UserId,
            CandidateUnitId = assignee.UnitId,
            CandidateRole = assignee.Role,
            FormId = formId,
            PermissionsJson = "{}",
            OutcomesJson = JsonSerializer.Serialize(outcomes, DefinitionJson.Options),
            Message = message,
            CreatedAt = Now,
            DueAt = dueAt,
        };
        Db.Tasks.Add(task);
        return task;
    }

    // ---- participants --------------------------------------------------------------------------------------------

    /// <summary>
    /// Tells the context which units already take part in an item, as a read it made anyway found them (or none, for a
    /// new item), so <see cref="AddParticipantAsync"/> need not ask the database.
    /// </summary>
    public void KnowParticipants(Guid instanceId, IEnumerable<string> unitIds) =>
        _storedUnits[instanceId] = unitIds.ToHashSet(StringComparer.Ordinal);

    /// <summary>Makes sure a unit given work on an item (or that started it) can see the item.</summary>
    public async Task AddParticipantAsync(Guid instanceId, string? unitId, CancellationToken ct)
    {
        if (unitId is null || !_participants.Add((instanceId, unitId))) return;
        var stored = _storedUnits.TryGetValue(instanceId, out var known)
            ? known.Contains(unitId)
            : await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(
                Db.InstanceUnits, x => x.InstanceId == instanceId && x.UnitId == unitId, ct);
        if (!stored)
            Db.InstanceUnits.Add(new InstanceUnitRecord { InstanceId = instanceId, UnitId = unitId });
    }
}
