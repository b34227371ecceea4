using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Duban.Engine.Forms;

namespace Duban.Engine.Execution;

/// <summary>
/// What one event produced besides the new state: tasks to create or cancel, timers, children to start,
/// journal rows. The host writes all of it, with the state, in one transaction.
/// </summary>
public sealed class ExecutionEffects
{
    public List<TaskRequest> NewTasks { get; } = [];
    /// <summary>
    /// Every waiting point that went away (a step decided, a branch was cut, the instance ended). The host cancels
    /// whatever still hangs on it: open tasks, pending timers.
    /// </summary>
    public List<string> RemovedBookmarkIds { get; } = [];
    public List<TimerRequest> NewTimers { get; } = [];
    public List<ChildRequest> NewChildren { get; } = [];
    public List<JournalRecord> Journal { get; } = [];
    /// <summary>What 交办 steps did to their units' tasks (see <see cref="Activities.AssignActivity"/>).</summary>
    public List<Activities.AssignmentEffect> Assignments { get; } = [];
    /// <summary>Steps whose deadline moved (an approved extension): the host's task carries the new date.</summary>
    public List<DeadlineChange> Deadlines { get; } = [];
    /// <summary>Tasks that are open again (a 撤回 restored their step): the host reopens its rows.</summary>
    public List<Guid> ReopenedTaskIds { get; } = [];
    /// <summary>Open tasks a step no longer waits for though the step goes on (减签): the host cancels them.</summary>
    public List<Guid> CancelledTaskIds { get; } = [];
    /// <summary>Documents the design names for what happened (an outcome's 文书): the host generates and sends each (decision 047).</summary>
    public List<DocumentRequest> Documents { get; } = [];
    /// <summary>An outcome that files the item away (归档) was chosen: the host locks the item (decision 047).</summary>
    public bool Archived { get; set; }
}

/// <summary>Generate the organization's template <paramref name="TemplateKey"/> for the item, because step <paramref name="ActivityId"/> ended with <paramref name="Outcome"/>.</summary>
public sealed record DocumentRequest(string TemplateKey, string ActivityId, string ActivityName, string Outcome);

/// <summary>The step whose task is <paramref name="TaskId"/> is now due at <paramref name="DueAt"/>.</summary>
public sealed record DeadlineChange(Guid TaskId, DateTimeOffset DueAt);

[JsonConverter(typeof(CamelCaseEnumConverter<TaskKind>))]
public enum TaskKind
{
    /// <summary>A step to handle: fill the form, choose an outcome.</summary>
    Task,
    /// <summary>抄送/阅知: read-only, needs only 已阅.</summary>
    Notice,
}

/// <summary>
/// Who a task is for: one user, or a candidate group (the liaisons of a unit, the holders of a role) from which
/// one member claims it.
/// </summary>
public sealed record TaskAssignee(string? UserId = null, string? UnitId = null, string? Role = null)
{
    public static TaskAssignee User(string id) => new(UserId: id);
    public static TaskAssignee Unit(string id) => new(UnitId: id);
    public static TaskAssignee ForRole(string role) => new(Role: role);
    public override string ToString() => UserId is not null ? $"user:{UserId}" : UnitId is not null ? $"unit:{UnitId}" : $"role:{Role}";

    public static TaskAssignee? Parse(string text)
    {
        var i = text.IndexOf(':');
        if (i <= 0) return null;
        var (kind, value) = (text[..i], text[(i + 1)..]);
        return kind switch { "user" => User(value), "unit" => Unit(value), "role" => ForRole(value), _ => null };
    }
}

public sealed record TaskRequest
{
    public required Guid Id { get; init; }
    /// <summary>Null for a 阅知 notice that the flow does not wait for.</summary>
    public string? BookmarkId { get; init; }
    public required string ActivityId { get; init; }
    public required string ExecutionId { get; init; }
    public required string Name { get; init; }
    public TaskKind Kind { get; init; } = TaskKind.Task;
    public required TaskAssignee Assignee { get; init; }
    public string? FormId { get; init; }
    public Dictionary<string, FieldPermission> Permissions { get; init; } = new();
    public List<string> Outcomes { get; init; } = [];
    /// <summary>Position in a 依次 (sequential) countersign; 0 otherwise.</summary>
    public int Sequence { get; init; }
    public DateTimeOffset? DueAt { get; init; }
    public string? Message { get; init; }
}

public sealed record TimerRequest(string BookmarkId, string ActivityId, DateTimeOffset DueAt);

public sealed record ChildRequest(Guid InstanceId, string DefinitionId, string ParentBookmarkId, int Index, JsonNode? Input, string Title);

[JsonConverter(typeof(CamelCaseEnumConverter<JournalKind>))]
public enum JournalKind
{
    InstanceStarted,
    ActivityStarted,
    ActivityCompleted,
    ActivityFaulted,
    TaskCreated,
    /// <summary>
    /// A human step passed by itself under its edge rules (nobody found, the initiator skipped, an approver already
    /// seen): the comment says why, the outcome is the one it passed with (decision 029).
    /// </summary>
    StepAutoPassed,
    TaskClaimed,
    TaskCompleted,
    TaskReturned,
    TaskTransferred,
    TaskCancelled,
    NoticeRead,
    TimerScheduled,
    TimerFired,
    ChildStarted,
    ChildCompleted,
    InstanceCompleted,
    InstanceCancelled,
    IncidentRetried,
    /// <summary>The supervision office added, replaced or removed a unit of a 交办 step.</summary>
    AssignmentChanged,
    /// <summary>A unit asked for an extension (延期申请); data: the request.</summary>
    ExtensionRequested,
    /// <summary>One approval stage agreed; the request goes on to the next (data: stage).</summary>
    ExtensionStageApproved,
    /// <summary>The extension was granted: the deadline moved (data: from, to).</summary>
    ExtensionApproved,
    ExtensionRejected,
    /// <summary>A rung of the chasing ladder was raised against a unit (催办); data: the chase.</summary>
    Chased,
    /// <summary>The chaser recorded what happened (phone log, visit, meeting …).</summary>
    ChaseRecorded,
    /// <summary>The chased unit replied in writing to a notice.</summary>
    ChaseReplied,
    /// <summary>A chase was withdrawn (raised by mistake); it no longer counts.</summary>
    ChaseCancelled,
    /// <summary>A bulletin criticised a unit about this item (通报批评).</summary>
    BulletinIssued,
    /// <summary>
    /// A year's holiday notice was loaded or changed: deadlines worked out on the old calendar were worked out again
    /// (data: the year, and each deadline from → to).
    /// </summary>
    DeadlinesRecalculated,
    /// <summary>An approved extension moved one unit's open step (data: from, to, unitId, unitName, extensionId).</summary>
    DeadlineExtended,
    /// <summary>A 记录日志 step wrote a line (Elsa's WriteLine); the text is the comment.</summary>
    LineWritten,
    /// <summary>The office named (or took back) the item's 专人, who gets the rungs meant for the item's 专人 (data: userId, userName, previous).</summary>
    ItemOwnerNamed,
    /// <summary>The office recorded a score entry by hand for a unit on this item (data: entryId, unitId, event, points).</summary>
    ScoreEntryRecorded,
    /// <summary>A score entry was revoked: it stays on record and no longer counts (data: entryId, reason).</summary>
    ScoreEntryRevoked,
    /// <summary>An administrator moved a stuck item to the procedure's latest published version (data: from, to — versions).</summary>
    InstanceMigrated,
    /// <summary>撤回: whoever completed a step took it back before the next step acted; the step waits again (docs/decisions/031).</summary>
    TaskRecalled,
    /// <summary>撤回事项: the initiator withdrew the item before anyone accepted it; it ends as 已撤回.</summary>
    InstanceWithdrawn,
    /// <summary>加签: a signer (data: userId, userName) or a 协办 unit was added to a waiting step.</summary>
    SignerAdded,
    /// <summary>减签: a signer who had not acted was taken off a waiting step; his task is cancelled.</summary>
    SignerRemoved,
    /// <summary>委派: the holder handed the task to a person to act on; it comes back to him (data: from, to, toName).</summary>
    TaskDelegated,
    /// <summary>The delegate acted and handed the task back (data: the form values he filled in).</summary>
    DelegationReturned,
    /// <summary>
    /// The office set or changed the item's 知悉范围 (限定知悉范围, docs/decisions/037): data restricted, wasRestricted, added and
    /// removed ([{ kind: user|unit, id, name }]).
    /// </summary>
    ReadersChanged,
    /// <summary>
    /// A document (文书: 督查通知单, 催办通知, 整改建议书, 督查专报 …) was generated from a template and attached to the item
    /// (data: documentId, templateName, number, attachmentId, fileName; docs/decisions/039).
    /// </summary>
    DocumentGenerated,
    /// <summary>
    /// 立卷归档: an outcome marked 归档 filed the item away; from now on it is read-only (data: taskId; docs/decisions/047).
    /// </summary>
    ItemArchived,
    /// <summary>
    /// 撤销归档: an administrator took the item out of the archive with a reason; it is writable again (data: reason,
    /// archivedAt, archivedByName; docs/decisions/048).
    /// </summary>
    ItemUnarchived,
}

/// <summary>One line of the execution journal: who did what, when, with which outcome and comment.</summary>
public sealed record JournalRecord
{
    public required JournalKind Kind { get; init; }
    public required DateTimeOffset At { get; init; }
    public string? ActivityId { get; init; }
    public string? ActivityName { get; init; }
    public string? ExecutionId { get; init; }
    public int Round { get; init; }
    public string? ActorId { get; init; }
    public string? ActorName { get; init; }
    public Guid? TaskId { get; init; }
    public string? Outcome { get; init; }
    public string? Comment { get; init; }
    public JsonObject? Data { get; init; }
}
