using System.Text.Json.Nodes;
using Duban.Engine.Definitions;

namespace Duban.Engine.Activities;

/// <summary>
/// Whether a human step's outcome sends the work back (退回, 复办, 不满意重办 …): a property of the outcome the designer
/// sets (<c>sendsBack</c>: the outcomes ticked in the outcomes editor), not of its label. An outcome literally named
/// <see cref="PortNames.Return"/> always sends back, so definitions made before the property keep working unchanged
/// (docs/decisions/022). A send-back needs a reason, and its journal line says so (<see cref="JournalFlag"/>), which is
/// what scoring counts redos by.
/// </summary>
public static class UserTaskSendBack
{
    /// <summary>The node's input listing the outcomes that send back.</summary>
    public const string Input = "sendsBack";

    /// <summary>Set (true) in the data of the <c>TaskCompleted</c> journal line of an outcome that sent the work back.</summary>
    public const string JournalFlag = "sendsBack";

    public static IReadOnlyList<string> Declared(ActivityNode node) => node.Literal<List<string>>(Input) ?? [];

    public static bool SendsBack(ActivityNode node, string outcome) => outcome == PortNames.Return || Declared(node).Contains(outcome);

    /// <summary>
    /// Whether a completed step, as its journal line has it, sent the work back: the line carries <see cref="JournalFlag"/>
    /// (the designer marked the outcome), or the outcome is literally 退回 (lines written before the property).
    /// </summary>
    /// <param name="outcome">The line's outcome.</param>
    /// <param name="journalData">The line's data as stored (JSON), or null.</param>
    public static bool SentBack(string? outcome, string? journalData)
    {
        if (outcome == PortNames.Return) return true;
        if (journalData is null || !journalData.Contains(JournalFlag, StringComparison.Ordinal)) return false;
        return JsonNode.Parse(journalData) is JsonObject data
            && data[JournalFlag] is JsonValue flag && flag.TryGetValue<bool>(out var sent) && sent;
    }
}
