using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Duban.Engine.Activities;

[JsonConverter(typeof(CamelCaseEnumConverter<AssignmentEffectKind>))]
public enum AssignmentEffectKind
{
    /// <summary>A unit was given its 交办 task (at the start of the step, or added / put in mid-way).</summary>
    Assigned,
    /// <summary>The unit submitted: a 协办 its input, the 主办 its consolidated report (or a send-back).</summary>
    Submitted,
    /// <summary>The supervision office put another unit in this unit's place; its open task goes away.</summary>
    Replaced,
    /// <summary>The supervision office took a 协办 unit off the step; its open task goes away.</summary>
    Removed,
    /// <summary>撤回: the unit took its submission back; its task is open again and the submission no longer stands.</summary>
    Recalled,
}

/// <summary>
/// What a 交办 step did to one unit's task, for the host to record next to the task (one row per task). The engine's
/// own bookkeeping stays in the step's bookmarks; this is the lasting record the APIs and the ledger read.
/// </summary>
public sealed record AssignmentEffect
{
    public required AssignmentEffectKind Kind { get; init; }
    /// <summary>The unit's task: the key of the record.</summary>
    public required Guid TaskId { get; init; }
    public required string ActivityId { get; init; }
    public required string ExecutionId { get; init; }
    public required string UnitId { get; init; }
    /// <summary><see cref="AssignActivity.Lead"/> or <see cref="AssignActivity.Co"/>.</summary>
    public required string Role { get; init; }
    /// <summary>Submitted: what the unit entered (a 协办's own form; the 主办's values of the step form).</summary>
    public JsonObject? Input { get; init; }
    /// <summary>Assigned in a replacement: the task of the unit this one replaces. Replaced: the task of the new unit.</summary>
    public Guid? OtherTaskId { get; init; }
    /// <summary>Replaced / Removed: the reason the office gave.</summary>
    public string? Reason { get; init; }
}
