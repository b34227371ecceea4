using System.Text.Json.Nodes;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Chasing;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision;

/// <summary>Where detached tasks come from, by their activity id.</summary>
public static class DetachedTasks
{
    public const string Extension = "extension";
    public const string ChaseAction = "chase";
    public const string ChaseReply = "chase-reply";
    public const string ChaseNotice = "chase-notice";
}

/// <summary>Bits the supervision services share: journal rows, task units, one-transaction retries.</summary>
internal static class Supervise
{
    public static void Journal(DubanDbContext db, Guid instanceId, JournalKind kind, DateTimeOffset at, Actor actor,
        string activityId, string activityName, string? outcome = null, string? comment = null, JsonObject? data = null, Guid? taskId = null) =>
        db.Journal.Add(new JournalEntryRecord
        {
            InstanceId = instanceId,
            Kind = kind,
            At = at,
            ActivityId = activityId,
            ActivityName = activityName,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Outcome = outcome,
            Comment = comment,
            TaskId = taskId,
            DataJson = data?.ToJsonString(DefinitionJson.Options),
        });

    /// <summary>The unit a task is for: the unit it was offered to, or its holder's unit.</summary>
    public static string? UnitOf(TaskRecord task, IOrganization org) =>
        task.CandidateUnitId ?? (task.AssigneeUserId is { } user ? org.FindUser(user)?.UnitId : null);

    public static string? UnitOf(string? candidateUnitId, string? assigneeUserId, IOrganization org) =>
        candidateUnitId ?? (assigneeUserId is { } user ? org.FindUser(user)?.UnitId : null);

    /// <summary>
    /// Units the ladder chases and that may ask for extensions: not an organization's root (where its leaders sit)
    /// and not the supervision office itself.
    /// </summary>
    public static bool IsHandlingUnit(OrganizationSnapshot org, string? unitId, IReadOnlyDictionary<string, string?> kinds) =>
        unitId is not null && org.FindUnit(unitId) is { ParentId: not null } && kinds.GetValueOrDefault(unitId) != SupervisionUnitKinds.Office;

    public static async Task<IReadOnlyDictionary<string, string?>> UnitKindsAsync(DubanDbContext db, CancellationToken ct) =>
        await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Kind, ct);

    public static string UnitName(IOrganization org, string unitId) => org.FindUnit(unitId)?.Name ?? unitId;

    /// <summary>A new task in someone's inbox that no flow step waits for.</summary>
    public static TaskRecord DetachedTask(Guid instanceId, string activityId, string executionId, string name, TaskKind kind,
        TaskAssignee assignee, string? formId, IReadOnlyList<string> outcomes, string? message, DateTimeOffset now, DateTimeOffset? dueAt) => new()
        {
            Id = Guid.CreateVersion7(),
            InstanceId = instanceId,
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
            OutcomesJson = System.Text.Json.JsonSerializer.Serialize(outcomes, DefinitionJson.Options),
            Message = message,
            CreatedAt = now,
            DueAt = dueAt,
        };

    public static void Close(TaskRecord task, CurrentUser? user, HumanTaskStatus status, string? outcome, string? comment, DateTimeOffset now)
    {
        task.Status = status;
        if (user is not null)
        {
            task.AssigneeUserId ??= user.Id;
            task.CompletedById = user.Id;
            task.CompletedByName = user.DisplayName;
        }
        task.CompletedAt = now;
        task.Outcome = outcome;
        task.Comment = comment;
    }

    /// <summary>Makes sure a unit given a task on the item can see the item.</summary>
    public static async Task AddParticipantAsync(DubanDbContext db, Guid instanceId, string unitId, CancellationToken ct)
    {
        if (db.InstanceUnits.Local.Any(u => u.InstanceId == instanceId && u.UnitId == unitId)) return;
        if (!await db.InstanceUnits.AnyAsync(u => u.InstanceId == instanceId && u.UnitId == unitId, ct))
            db.InstanceUnits.Add(new InstanceUnitRecord { InstanceId = instanceId, UnitId = unitId });
    }

    /// <summary>The definition an item runs on, cached.</summary>
    public static async Task<WorkflowDefinition> DefinitionOfAsync(DubanDbContext db, DefinitionCache definitions, InstanceRecord instance, CancellationToken ct) =>
        definitions.TryGetPublished(instance.DefinitionRecordId, out var cached)
            ? cached
            : definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));

    /// <summary>
    /// One unit of work: fresh data, the work, one commit. A concurrency conflict means someone else committed first:
    /// the work runs again on what they left (and usually then reports the conflict as a 409).
    /// </summary>
    public static async Task<T> CommitAsync<T>(DubanDbContext db, ICommitGate gate, string operation, Guid subjectId, Func<Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var result = await work();
            try
            {
                await gate.BeforeCommitAsync(operation, subjectId.ToString(), ct);
                await db.SaveChangesAsync(ct);
                return result;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
            }
        }
    }
}

public static class SupervisionUnitKinds
{
    /// <summary>The supervision office's unit kind (as the demo and the unit editor name it).</summary>
    public const string Office = "督查部门";
}

/// <summary>Reads an organization's settings, with the shipped defaults where nothing is stored.</summary>
public sealed class SupervisionSettings(DubanDbContext db)
{
    public async Task<SupervisionSettingsRecord?> FindAsync(string organizationId, CancellationToken ct) =>
        await db.Set<SupervisionSettingsRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.OrganizationId == organizationId, ct);

    /// <summary>The organization's ladder, or the shipped default.</summary>
    public async Task<IReadOnlyList<LadderRung>> LadderAsync(string organizationId, CancellationToken ct) =>
        (await FindAsync(organizationId, ct))?.LadderJson is { } json ? Ladder.Parse(JsonNode.Parse(json)) : Ladder.Default;

    /// <summary>The ladder for an item: its procedure's own (<c>options.ladder</c>), else the organization's.</summary>
    public async Task<IReadOnlyList<LadderRung>> LadderAsync(string organizationId, WorkflowDefinition definition, CancellationToken ct)
    {
        if (definition.Options?["ladder"] is { } own && Ladder.Problems(own).Count == 0) return Ladder.Parse(own);
        return await LadderAsync(organizationId, ct);
    }

    public async Task<bool> AllowLateAsync(string organizationId, WorkflowDefinition definition, CancellationToken ct) =>
        ProcedureOptions.Extensions(definition.Options).AllowLate || (await FindAsync(organizationId, ct))?.AllowLateExtensionRequests == true;
}

/// <summary>An item that ended closes the extension requests still waiting for a decision (事项已结束).</summary>
internal sealed class ExtensionsEnded : Runtime.IItemEndedHandler
{
    public async Task EndedAsync(WriteContext context, Guid instanceId, IReadOnlyList<TaskRecord> cancelledTasks, CancellationToken ct)
    {
        var approvals = cancelledTasks.Where(t => t.ActivityId == DetachedTasks.Extension).Select(t => (Guid?)t.Id).ToList();
        if (approvals.Count == 0) return;
        foreach (var request in await context.Db.Set<ExtensionRecord>()
                     .Where(e => e.InstanceId == instanceId && e.Status == ExtensionStatus.Pending && approvals.Contains(e.ApprovalTaskId)).ToListAsync(ct))
            request.Status = ExtensionStatus.Closed;
    }
}
