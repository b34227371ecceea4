using System.Text.Json.Nodes;

namespace Duban.Engine.Activities;

/// <summary>
/// One input an activity reads from its node (<c>{ "typeName", "expression" }</c> under <see cref="Name"/>), described
/// for the designer the way Elsa's activities describe theirs: the property panel renders each declared input with the
/// editor its <see cref="UIHint"/> names, so a new activity or input needs no web code unless it needs a new editor.
/// </summary>
/// <param name="Name">The node's property, as the engine reads it.</param>
/// <param name="DisplayName">The label in the panel.</param>
/// <param name="TypeName">The <c>typeName</c> written with a value: String, Number, Boolean, Object.</param>
/// <param name="UIHint">The editor (<see cref="InputHints"/>).</param>
public sealed record ActivityInputDescriptor(string Name, string DisplayName, string TypeName, string UIHint)
{
    /// <summary>Help under the editor.</summary>
    public string? Description { get; init; }

    /// <summary>The group heading the input stands under; inputs of one category are shown together, in order.</summary>
    public string? Category { get; init; }

    public bool Required { get; init; }

    /// <summary>What the engine uses when the input is absent.</summary>
    public JsonNode? DefaultValue { get; init; }

    /// <summary>Choices of a <see cref="InputHints.Radio"/> or <see cref="InputHints.Dropdown"/> input.</summary>
    public IReadOnlyList<InputOption>? Options { get; init; }

    /// <summary>What the hint's editor needs beyond the above (a placeholder, the input it depends on …).</summary>
    public InputEditorOptions? EditorOptions { get; init; }

    /// <summary>
    /// False for an input kept for old definitions only (e.g. <c>dueIn</c>): the panel shows it where its editor says
    /// (the deadline editor shows a legacy <c>dueIn</c> while a node still has one), not on its own.
    /// </summary>
    public bool Browsable { get; init; } = true;
}

public sealed record InputOption(string Value, string Label);

/// <summary>Settings of an input's editor; each hint reads the ones it knows.</summary>
public sealed record InputEditorOptions
{
    public string? Placeholder { get; init; }

    /// <summary>The accessible name when it differs from the label (e.g. 会签方式 for 多人时).</summary>
    public string? AriaLabel { get; init; }

    /// <summary>Text rows of a multi-line editor; height in rows of a script editor.</summary>
    public int? Rows { get; init; }

    /// <summary>What the script editor tells about the names a script may use.</summary>
    public string? ScriptHint { get; init; }

    /// <summary>For <see cref="InputHints.FieldPermissions"/>: the input naming the form; for a form picker, the permissions input cleared with it.</summary>
    public string? RelatedInput { get; init; }

    /// <summary>For <see cref="InputHints.OutcomeSubset"/>: the input listing the outcomes to pick from.</summary>
    public string? OutcomesInput { get; init; }

    /// <summary>For <see cref="InputHints.Outcomes"/>: the input listing the outcomes that send the work back (a checkbox per outcome).</summary>
    public string? SendsBackInput { get; init; }

    /// <summary>
    /// For <see cref="InputHints.Outcomes"/>: the input mapping outcomes to the organization's score events (a drop-down
    /// per outcome: 计入考核).
    /// </summary>
    public string? ScoresInput { get; init; }

    /// <summary>
    /// For <see cref="InputHints.Outcomes"/>: the input mapping outcomes to the organization's document templates (a
    /// drop-down per outcome: 生成文书, decision 047).
    /// </summary>
    public string? DocumentsInput { get; init; }

    /// <summary>For <see cref="InputHints.Outcomes"/>: the input listing the outcomes that archive the item (a checkbox per outcome: 归档).</summary>
    public string? ArchiveInput { get; init; }

    /// <summary>For a list of names: the button's text and the fewest entries.</summary>
    public string? AddLabel { get; init; }

    public int? MinItems { get; init; }

    /// <summary>For <see cref="InputHints.AssigneeRule"/>: who is picked (办理人, 接收人).</summary>
    public string? Noun { get; init; }

    /// <summary>For <see cref="InputHints.UnitPicker"/>: several units, or one.</summary>
    public bool? Multiple { get; init; }

    /// <summary>For <see cref="InputHints.Deadline"/>: an older input the deadline replaces, shown while a node has it.</summary>
    public string? LegacyInput { get; init; }

    /// <summary>Whether a list of names is a list of ports (renaming one moves its connections).</summary>
    public bool? Ports { get; init; }
}

/// <summary>
/// Editor names for <see cref="ActivityInputDescriptor.UIHint"/>. The web app has one editor per hint (a hint it does not
/// know is edited as JSON). Hints planned for the no-code designer plug in the same way, each a new name and a new
/// editor, without changing the declaration's shape: <c>assigneeRule</c> grows its rule kinds, <c>deadline</c> its calendar preview,
/// <c>outcomes</c> a "sends back" flag per outcome, and <c>ladder</c> / <c>numberingPattern</c> for the procedure options.
/// </summary>
public static class InputHints
{
    public const string SingleLine = "singleLine";
    public const string MultiLine = "multiLine";
    public const string Checkbox = "checkbox";
    public const string Radio = "radio";
    public const string Dropdown = "dropdown";

    /// <summary>JavaScript, syntax-checked as it is typed.</summary>
    public const string Script = "script";

    /// <summary>A condition built by clicking (field → operator → value, AND/OR groups), or a script as 「高级」.</summary>
    public const string ConditionBuilder = "conditionBuilder";

    /// <summary>Fixed text, or a script that computes it.</summary>
    public const string TextOrScript = "textOrScript";

    /// <summary>An ISO 8601 duration (P3D, PT4H).</summary>
    public const string Duration = "duration";

    /// <summary>Distinct names (e.g. a fork's branches), each a port when <see cref="InputEditorOptions.Ports"/>.</summary>
    public const string NameList = "nameList";

    /// <summary>A human step's outcomes: each a port.</summary>
    public const string Outcomes = "outcomes";

    /// <summary>Some of another input's outcomes (<see cref="InputEditorOptions.OutcomesInput"/>), never all.</summary>
    public const string OutcomeSubset = "outcomeSubset";

    public const string AssigneeRule = "assigneeRule";

    /// <summary>One of the procedure's forms.</summary>
    public const string FormPicker = "formPicker";

    /// <summary>Per field of a form: editable, read-only, hidden.</summary>
    public const string FieldPermissions = "fieldPermissions";

    /// <summary>A step's deadline: kind, amount and what it is counted from, or a named default.</summary>
    public const string Deadline = "deadline";

    /// <summary>A switch's cases: a name (a port) and a condition each.</summary>
    public const string SwitchCases = "switchCases";

    /// <summary>Units from the organization, the units picked in a form field (<c>{ "field": key }</c>), or a script that names them.</summary>
    public const string UnitPicker = "unitPicker";

    /// <summary>One person of the organization (a user id).</summary>
    public const string UserPicker = "userPicker";

    /// <summary>Another published procedure.</summary>
    public const string ProcedurePicker = "procedurePicker";

    /// <summary>The raw value as JSON.</summary>
    public const string Json = "json";
}

/// <summary>Short forms for declaring inputs.</summary>
public static class Input
{
    public const string ScriptNames = "可用：form（本次提交）、item（事项数据）、vars（流程变量）、user（当前办理人）";

    public static ActivityInputDescriptor Of(string name, string displayName, string hint, string typeName = "String", string? category = null) =>
        new(name, displayName, typeName, hint) { Category = category };

    public static ActivityInputDescriptor Form(string name, string displayName, string permissionsInput, string? category = null) =>
        Of(name, displayName, InputHints.FormPicker, category: category) with { EditorOptions = new() { RelatedInput = permissionsInput } };

    public static ActivityInputDescriptor Permissions(string name, string displayName, string formInput, string? category = null) =>
        Of(name, displayName, InputHints.FieldPermissions, "Object", category) with { EditorOptions = new() { RelatedInput = formInput } };

    public static ActivityInputDescriptor TextOrScript(string name, string displayName, string? category = null, string? description = null, string? placeholder = null) =>
        Of(name, displayName, InputHints.TextOrScript, category: category) with
        {
            Description = description,
            EditorOptions = new() { Placeholder = placeholder, ScriptHint = ScriptNames },
        };

    public static ActivityInputDescriptor Text(string name, string displayName, int rows, string? category = null) =>
        Of(name, displayName, InputHints.MultiLine, category: category) with { EditorOptions = new() { Rows = rows } };

    public static ActivityInputDescriptor Outcomes(string category, string? sendsBackInput = null, string? scoresInput = null,
        string? documentsInput = null, string? archiveInput = null) =>
        Of("outcomes", "办理结果（出口）", InputHints.Outcomes, "Object", category) with
        {
            Description = sendsBackInput is null
                ? "每个结果是一个出口；名为“退回”的结果要求填写退回理由"
                : "每个结果是一个出口；勾选“退回重办”的结果（如 退回、复办、不满意重办）要求填写理由，并计入复办考核",
            DefaultValue = new JsonArray("提交"),
            EditorOptions = new()
            {
                AddLabel = "添加结果", MinItems = 1, Ports = true, SendsBackInput = sendsBackInput, ScoresInput = scoresInput,
                DocumentsInput = documentsInput, ArchiveInput = archiveInput,
            },
        };

    /// <summary>The outcomes that send the work back (edited by the outcomes editor's checkboxes, not on its own).</summary>
    public static ActivityInputDescriptor SendsBack(string category) =>
        Of(UserTaskSendBack.Input, "退回重办的结果", InputHints.OutcomeSubset, "Object", category) with
        {
            Browsable = false,
            EditorOptions = new() { OutcomesInput = "outcomes" },
        };

    /// <summary>The score event each outcome counts as (edited by the outcomes editor, a drop-down per outcome, not on its own).</summary>
    public static ActivityInputDescriptor OutcomeScores(string category) =>
        Of(UserTaskOutcomeScores.Input, "计入考核的结果", InputHints.Json, "Object", category) with { Browsable = false };

    /// <summary>The document each outcome generates and sends (edited by the outcomes editor, a drop-down per outcome).</summary>
    public static ActivityInputDescriptor OutcomeDocuments(string category) =>
        Of(UserTaskOutcomeDocuments.Input, "生成文书的结果", InputHints.Json, "Object", category) with { Browsable = false };

    /// <summary>The outcomes that archive the item (edited by the outcomes editor's checkboxes).</summary>
    public static ActivityInputDescriptor ArchiveOutcomes(string category) =>
        Of(UserTaskOutcomeDocuments.ArchiveInput, "归档的结果", InputHints.OutcomeSubset, "Object", category) with
        {
            Browsable = false,
            EditorOptions = new() { OutcomesInput = "outcomes" },
        };

    public static ActivityInputDescriptor Deadline(string category) =>
        Of("deadline", "办理时限", InputHints.Deadline, "Object", category) with { EditorOptions = new() { LegacyInput = "dueIn" } };

    /// <summary>The older deadline (an ISO duration from the task's creation), kept for definitions that still have it.</summary>
    public static ActivityInputDescriptor LegacyDueIn(string category) =>
        Of("dueIn", "时长（旧格式 dueIn）", InputHints.Duration, category: category) with { Browsable = false };

    public static ActivityInputDescriptor Choice(string name, string displayName, string hint, string defaultValue, InputOption[] options, string? category = null) =>
        Of(name, displayName, hint, category: category) with { Options = options, DefaultValue = defaultValue };
}
