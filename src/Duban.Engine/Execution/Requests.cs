using System.Text.Json.Nodes;
using Duban.Engine.Directory;

namespace Duban.Engine.Execution;

/// <summary>Start an instance: the initiator, the start form's data, and (for a child) the parent's input.</summary>
public sealed record StartRequest(Actor Actor, JsonObject? Data = null, JsonNode? Input = null, string? Title = null);

/// <summary>
/// An event for a bookmark: a task completed (with outcome, form data, comment, and optionally the assignees the
/// completer chose for the next step), a notice read, a timer due, or a child instance finished.
/// </summary>
public sealed record ResumeRequest(Actor Actor)
{
    public Guid? TaskId { get; init; }
    public string? Outcome { get; init; }
    public JsonObject? Data { get; init; }
    public string? Comment { get; init; }
    /// <summary>"user:ID" / "unit:ID" chosen for the next step, keyed by target activity id.</summary>
    public Dictionary<string, List<string>>? NextAssignees { get; init; }
    /// <summary>The task's deadline as the host keeps it (an approved extension moves it); null when it has none.</summary>
    public DateTimeOffset? TaskDueAt { get; init; }
    public Guid? ChildInstanceId { get; init; }
    public string? ChildResult { get; init; }
}

/// <summary>
/// An approved extension (延期): the item's deadline moves to <paramref name="To"/> when it is earlier, and so do the given
/// steps' deadlines (<paramref name="Steps"/>: each open task and its deadline as the host keeps it).
/// </summary>
/// <param name="Note">Added to each step's journal line (e.g. the extension's id).</param>
public sealed record ExtendRequest(Actor Actor, DateTimeOffset To, IReadOnlyList<StepDue> Steps, bool MoveItemDeadline = true, JsonObject? Note = null);

/// <summary>
/// Work out the item's and its open steps' deadlines again on the organization's calendar as it now is (a year's notice
/// loaded): <paramref name="Year"/> names it in the journal. Approved extensions are kept: the item's deadline once
/// extended, and the steps the host leaves out.
/// </summary>
public sealed record RecalculateRequest(Actor Actor, int Year, IReadOnlyList<OpenStep> Steps);

/// <summary>An open step's task as the host keeps it: where and when it was created, and its deadline.</summary>
public sealed record OpenStep(Guid TaskId, string ActivityId, string? ExecutionId, string Name, DateTimeOffset CreatedAt, DateTimeOffset? DueAt);
/// <summary>An open step's task and its current deadline (null: none); its step and unit name the journal line of the move.</summary>
public sealed record StepDue(Guid TaskId, DateTimeOffset? DueAt, string? ActivityId = null, string? UnitId = null);

/// <summary>The result of one event: the new state and what the host must write with it.</summary>
public sealed record RunResult(WorkflowState State, ExecutionEffects Effects);
