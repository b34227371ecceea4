using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Duban.Engine.Definitions;

namespace Duban.Engine.Execution;

[JsonConverter(typeof(CamelCaseEnumConverter<WorkflowStatus>))]
public enum WorkflowStatus
{
    Running,
    Suspended,
    Completed,
    Cancelled,
    Faulted,
}

/// <summary>
/// Everything an instance remembers between events. Stored as one JSON document next to the instance row;
/// the runner works on a copy, so a failed event leaves the stored state untouched.
/// </summary>
public sealed class WorkflowState
{
    public WorkflowStatus Status { get; set; } = WorkflowStatus.Running;
    public string? Title { get; set; }
    public string? InitiatorId { get; set; }
    public string? InitiatorUnitId { get; set; }
    /// <summary>When the item was registered (立项): deadlines "from registration" count from it.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>When the item was first assigned (交办 began): deadlines "from the 交办" count from it.</summary>
    public DateTimeOffset? AssignedAt { get; set; }
    /// <summary>The item's own deadline (完成时限), see <see cref="Deadlines.ItemDeadline"/>.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>
    /// Set by a 设定完成时限 step (<see cref="Activities.SetItemDeadlineActivity"/>): the item's deadline follows this rule
    /// (none when its spec is null) instead of the procedure's <c>options.deadlines.item</c>.
    /// </summary>
    public ItemDeadlineRule? ItemDeadlineRule { get; set; }
    /// <summary>An approved extension set <see cref="DueAt"/>: it is no longer worked out from the procedure's options.</summary>
    public bool DueExtended { get; set; }
    public JsonObject Variables { get; set; } = new();
    /// <summary>The item's form data, merged from every step's submission.</summary>
    public JsonObject Data { get; set; } = new();
    /// <summary>Input handed to a child instance by its parent (e.g. one row of a breakdown table).</summary>
    public JsonNode? Input { get; set; }
    public List<Bookmark> Bookmarks { get; set; } = [];
    /// <summary>Arrivals per join: the keys of the inbound connections that have fired since it last fired.</summary>
    public Dictionary<string, List<string>> JoinArrivals { get; set; } = new();
    /// <summary>How many times each activity has started; a 退回 loop makes round 2, 3 …</summary>
    public Dictionary<string, int> Rounds { get; set; } = new();
    /// <summary>
    /// Fixed-date series (quarterly reports due 07-15, 10-15, 01-15) per step and input
    /// (<c>activityId/input</c>): the date last given, so the step's next round is due on the next date of the series.
    /// </summary>
    public Dictionary<string, SeriesMark> Series { get; set; } = new();
    /// <summary>Assignees chosen by a previous step for the next one, per target activity id.</summary>
    public Dictionary<string, List<string>> ChosenAssignees { get; set; } = new();
    /// <summary>
    /// The units of the latest 交办 step as they stand after the office's changes: a later 交办 that takes its units from
    /// the step before starts from them unless that step's handler picked others (decision 023).
    /// </summary>
    public AssignedUnits? AssignedUnits { get; set; }
    /// <summary>
    /// Every step form submission, round by round: a redo after 退回 merges its values into <see cref="Data"/>, but the
    /// earlier round's report (and its attachments) stay here (decision 023).
    /// </summary>
    public List<StepSubmission> Submissions { get; set; } = [];
    /// <summary>
    /// The people who approved a human step of the item (completed it with an outcome that does not send back): a step
    /// set to de-duplicate leaves them out (decision 029).
    /// </summary>
    public List<string> Approvers { get; set; } = [];
    /// <summary>
    /// Steps sent back by a step set to 直达退回环节 (<see cref="Activities.RedoRouting"/>): the redone step's id and the
    /// step its redo goes straight back to.
    /// </summary>
    public Dictionary<string, string> DirectReturns { get; set; } = new();
    /// <summary>A direct send-back along a port, until the flow reaches the step to redo (within the same event).</summary>
    public string? PendingDirectReturn { get; set; }
    /// <summary>
    /// 转办 of a stuck step: an administrator named who does the faulted human step when it runs again (one use, per
    /// activity id).
    /// </summary>
    public Dictionary<string, string> AssigneeOverrides { get; set; } = new();
    /// <summary>Work not yet run: kept when an incident stops the instance, so a retry carries on.</summary>
    public List<ScheduledWork> Scheduled { get; set; } = [];
    /// <summary>
    /// The latest human step a person completed, as it was before: what a 撤回 restores while the steps it led to are
    /// untouched (docs/decisions/031). A later completion replaces it.
    /// </summary>
    public RecallPoint? Recall { get; set; }
    public Incident? Incident { get; set; }
    public string? Result { get; set; }

    public WorkflowState Clone() =>
        JsonSerializer.Deserialize<WorkflowState>(JsonSerializer.Serialize(this, DefinitionJson.Options), DefinitionJson.Options)!;

    public Bookmark? FindBookmark(string id) => Bookmarks.FirstOrDefault(b => b.Id == id);
}

/// <summary>A place where the instance waits: a human task, a timer, children, read confirmations.</summary>
public sealed record Bookmark
{
    public required string Id { get; init; }
    public required string ActivityId { get; init; }
    public required string ExecutionId { get; init; }
    public required string Kind { get; init; }
    public JsonObject Payload { get; init; } = new();
}

public static class BookmarkKinds
{
    public const string Task = "task";
    public const string Timer = "timer";
    public const string Children = "children";
    public const string Notice = "notice";
}

/// <summary>The item deadline rule a branch chose: the step that set it and the spec (null: no deadline).</summary>
public sealed record ItemDeadlineRule(string ActivityId, Deadlines.DeadlineSpec? Spec);

/// <summary>
/// The date a fixed-date series gave in one execution of a step, and the one it gave before that (so every task the
/// execution creates, and a redo after a send-back, gets the same date).
/// </summary>
public sealed record SeriesMark(string ExecutionId, DateOnly Date, DateOnly? Previous);
/// <summary>One submission of a step's form: which step, which round, when, by whom, and the values as submitted.</summary>
/// <param name="UnitId">The unit the submission was made for (the handler's unit; a 交办 step's 主办), null in states written before it was kept.</param>
public sealed record StepSubmission(string ActivityId, string? ActivityName, int Round, DateTimeOffset At, string? ActorName, JsonObject Values,
    string? UnitId = null);

/// <summary>A 交办's units: one 主办 (lead) and its 协办 (co), unit ids.</summary>
public sealed record AssignedUnits(string Lead, List<string> Co);

/// <summary>
/// What a 撤回 of task <paramref name="TaskId"/> needs: its step's waiting point as it was before the completion, the
/// waiting points the completion led to (id and payload as made, so any change to them shows), and the state it touched.
/// <paramref name="Companions"/>: the other waiting points of the same step that the completion ended and a 撤回 brings back
/// with it — for a 交办 (Assign) step, the step's own bookmark with its unit entries and the 协办 tasks still open.
/// </summary>
public sealed record RecallPoint(
    Guid TaskId,
    string ActorId,
    Bookmark Bookmark,
    List<RecallNext> Next,
    int SubmissionsBefore,
    bool AddedApprover,
    DateTimeOffset? AssignedAtBefore,
    AssignedUnits? AssignedUnitsBefore,
    List<Bookmark>? Companions = null);

/// <summary>A waiting point a completion led to, as it was made.</summary>
public sealed record RecallNext(string BookmarkId, string Kind, string Payload);

public sealed record ScheduledWork(string ActivityId, string? ConnectionKey);

public sealed record Incident(string ActivityId, string ExecutionId, string Message, DateTimeOffset At);
