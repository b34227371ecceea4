using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Engine.Activities;

/// <summary>
/// 「退回后重新提交」: where a step's work goes after the step it sent back has been redone. <see cref="Walk"/> (逐级流转,
/// the default) follows the flow again from the redone step, through every step in between; <see cref="Direct"/>
/// (直达退回环节) brings it straight back to the step that sent it back. The setting belongs to the step that sends back
/// (the reviewer decides whether the steps in between need to see the redo again); the engine remembers, per redone
/// step, where it must go (<see cref="WorkflowState.DirectReturns"/>) — see docs/decisions/032.
/// </summary>
public static class RedoRouting
{
    public const string Input = "afterRedo";
    public const string Walk = "walk";
    public const string Direct = "direct";

    /// <summary>In a send-back's journal line: the opinions typed before sending back.</summary>
    public const string OpinionsKey = "opinions";

    /// <summary>In a journal line: the send-back was set to 直达, or the redo went straight back.</summary>
    public const string DirectKey = "direct";

    public static bool IsDirect(ActivityNode node) => node.LiteralString(Input) == Direct;

    /// <summary>Remembers that <paramref name="redoActivityId"/>, once redone, goes straight back to <paramref name="returningActivityId"/>.</summary>
    internal static void Remember(WorkflowState state, string redoActivityId, string returningActivityId) =>
        state.DirectReturns[redoActivityId] = returningActivityId;

    /// <summary>
    /// A send-back along the step's own port: the step that port leads to is not known until the flow reaches a human
    /// step; the first one it reaches in this event is the step to redo.
    /// </summary>
    internal static void ExpectRedo(WorkflowState state, string returningActivityId) => state.PendingDirectReturn = returningActivityId;

    /// <summary>Called as a step starts: a human step reached after a direct send-back is the step to redo.</summary>
    internal static void OnStepStarting(WorkflowState state, ActivityNode node)
    {
        if (state.PendingDirectReturn is not { } from || node.Type is not (ActivityTypes.UserTask or ActivityTypes.Assign)) return;
        state.PendingDirectReturn = null;
        if (node.Id != from) Remember(state, node.Id, from);
    }

    /// <summary>
    /// Where a step that finished on <paramref name="ports"/> goes instead of its connections: the step that sent it back,
    /// when that step is set to 直达 and this finish is the redo (not a further send-back). Null: follow the flow.
    /// </summary>
    internal static ActivityNode? StraightBack(WorkflowDefinition definition, WorkflowState state, ActivityNode node, IReadOnlyList<string> ports)
    {
        if (!state.DirectReturns.TryGetValue(node.Id, out var back)) return null;
        if (ports.Any(p => UserTaskSendBack.SendsBack(node, p))) return null; // sent back further: the redo is still to come
        state.DirectReturns.Remove(node.Id);
        return definition.Root.Find(back);
    }

    /// <summary>
    /// The opinions typed into the step's form before it sent the work back: the opinion fields the step may write
    /// (editable or append-only), as <c>[{ key, label, text }]</c>. They go with the send-back's journal line, so the
    /// one who redoes the step reads them; null when none was typed.
    /// </summary>
    internal static JsonArray? Opinions(WorkflowDefinition definition, string? formId, IReadOnlyDictionary<string, FieldPermission> permissions, JsonObject? data)
    {
        if (data is null || definition.FindForm(formId) is not { } form) return null;
        var found = new JsonArray();
        foreach (var field in form.Fields.Where(f => f.Type == FieldTypes.Opinion))
        {
            var permission = permissions.TryGetValue(field.Key, out var p) ? p : FieldPermission.Editable;
            if (permission is not (FieldPermission.Editable or FieldPermission.AppendOnly)) continue;
            if (data[field.Key] is not JsonValue value || value.GetValueKind() != JsonValueKind.String) continue;
            var text = value.GetValue<string>().Trim();
            if (text.Length == 0) continue;
            if (text.Length > FormValidator.OpinionMaxLength)
                throw new WorkflowInputException(field.Key, $"「{field.Label}」不能超过 {FormValidator.OpinionMaxLength} 字");
            found.Add(new JsonObject { ["key"] = field.Key, ["label"] = field.Label, ["text"] = text });
        }
        return found.Count > 0 ? found : null;
    }
}
