using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;

namespace Duban.Engine.Activities;

/// <summary>One execution of one activity within one event. Gives the handler data, scripts and effect sinks.</summary>
public sealed class ActivityContext
{
    private readonly RunScope _scope;

    internal ActivityContext(RunScope scope, ActivityNode node, string executionId, int round, string? inboundConnection)
    {
        _scope = scope;
        Node = node;
        ExecutionId = executionId;
        Round = round;
        InboundConnection = inboundConnection;
    }

    public ActivityNode Node { get; }
    public string ExecutionId { get; }
    public int Round { get; }
    /// <summary>The connection that scheduled this execution (null for the start and for retries).</summary>
    public string? InboundConnection { get; }
    public Guid InstanceId => _scope.InstanceId;
    public WorkflowDefinition Definition => _scope.Definition;
    public WorkflowState State => _scope.State;
    public Actor Actor => _scope.Actor;
    public DateTimeOffset Now => _scope.Now;
    public IOrganization Organization => _scope.Organization;
    public ExecutionEffects Effects => _scope.Effects;
    internal FlowGraph Graph => _scope.Graph;
    internal RunScope Scope => _scope;

    /// <summary>Evaluates an input: a literal gives its value, a JavaScript expression is run in the sandbox.</summary>
    public JsonNode? Evaluate(string inputName, JsonObject? form = null)
    {
        var input = Node.Input(inputName);
        if (input?.Expression is not { } expression) return null;
        return expression.Type switch
        {
            ExpressionTypes.Literal => expression.Value?.DeepClone(),
            ExpressionTypes.JavaScript => RunScript(expression.Value?.GetValue<string>() ?? "", form).Value,
            ExpressionTypes.Condition => JsonValue.Create(EvaluateCondition(expression)),
            _ => throw new ActivityFaultException($"「{Node.DisplayName}」的输入「{inputName}」使用了不支持的表达式类型「{expression.Type}」"),
        };
    }

    public bool EvaluateBoolean(string inputName, JsonObject? form = null) => Truthy(Evaluate(inputName, form));

    /// <summary>
    /// A condition expression: one built by clicking (<see cref="ExpressionTypes.Condition"/>) is evaluated on the item's
    /// data without Jint; a script (<see cref="ExpressionTypes.JavaScript"/>, the 「高级」 choice) runs in the sandbox.
    /// </summary>
    public bool EvaluateCondition(Expression expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        switch (expression.Type)
        {
            case ExpressionTypes.Condition:
                var condition = Condition.Read(expression.Value)
                    ?? throw new ActivityFaultException($"「{Node.DisplayName}」的条件格式有误");
                try
                {
                    return ConditionEvaluator.Evaluate(condition, State.Data);
                }
                catch (ArgumentException e)
                {
                    throw new ActivityFaultException($"「{Node.DisplayName}」的条件有误：{e.Message}", e);
                }
            case ExpressionTypes.JavaScript:
                return Truthy(RunScript(expression.Value?.GetValue<string>() ?? "").Value);
            case ExpressionTypes.Literal:
                return Truthy(expression.Value);
            default:
                throw new ActivityFaultException($"「{Node.DisplayName}」的条件使用了不支持的表达式类型「{expression.Type}」");
        }
    }

    /// <summary>Runs a script with the instance's data in view. Variable changes are kept only when <paramref name="keepVariables"/>.</summary>
    public ScriptResult RunScript(string script, JsonObject? form = null, bool keepVariables = false, IReadOnlyDictionary<string, JsonNode?>? extra = null) =>
        Run(script, State.Data, form, keepVariables, extra);

    /// <summary>
    /// Runs a form script (visibility, computed field) with <paramref name="item"/> — the item's data with the
    /// submission merged in, not yet stored — as <c>item</c>, and the submission itself as <c>form</c>.
    /// </summary>
    internal ScriptResult RunFormScript(string script, JsonObject item, JsonObject? submission) =>
        Run(script, item, submission, keepVariables: false, extra: null);

    private ScriptResult Run(string script, JsonObject item, JsonObject? form, bool keepVariables, IReadOnlyDictionary<string, JsonNode?>? extra)
    {
        try
        {
            var result = _scope.Scripts.Evaluate(script, new ScriptScope(
                (JsonObject)State.Variables.DeepClone(),
                (JsonObject)item.DeepClone(),
                form,
                ActorJson(),
                extra ?? InputExtra()));
            if (keepVariables) State.Variables = result.Variables;
            return result;
        }
        catch (ScriptException e)
        {
            throw new ActivityFaultException($"「{Node.DisplayName}」脚本失败：{e.Message}", e);
        }
    }

    private Dictionary<string, JsonNode?>? InputExtra() =>
        State.Input is null ? null : new Dictionary<string, JsonNode?> { ["input"] = State.Input.DeepClone() };

    private JsonObject ActorJson()
    {
        var roles = new JsonArray();
        foreach (var role in Actor.Roles ?? []) roles.Add(role);
        return new JsonObject
        {
            ["id"] = Actor.Id,
            ["name"] = Actor.Name,
            ["unitId"] = Actor.UnitId,
            ["unitName"] = Actor.UnitName,
            ["roles"] = roles,
        };
    }

    public static bool Truthy(JsonNode? value) => value switch
    {
        null => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
        JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>() != 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>().Length > 0,
        _ => true,
    };

    public Bookmark CreateBookmark(string kind, JsonObject? payload = null)
    {
        var bookmark = new Bookmark
        {
            Id = Guid.CreateVersion7().ToString("N"),
            ActivityId = Node.Id,
            ExecutionId = ExecutionId,
            Kind = kind,
            Payload = payload ?? new JsonObject(),
        };
        State.Bookmarks.Add(bookmark);
        return bookmark;
    }

    public void RemoveBookmark(Bookmark bookmark) => _scope.RemoveBookmark(bookmark);

    public void Journal(JournalKind kind, Guid? taskId = null, string? outcome = null, string? comment = null, JsonObject? data = null, Actor? actor = null)
    {
        var who = actor ?? Actor;
        Effects.Journal.Add(new JournalRecord
        {
            Kind = kind,
            At = Now,
            ActivityId = Node.Id,
            ActivityName = Node.DisplayName,
            ExecutionId = ExecutionId,
            Round = Round,
            ActorId = who.Id,
            ActorName = who.Name,
            TaskId = taskId,
            Outcome = outcome,
            Comment = comment,
            Data = data,
        });
    }

    /// <summary>Ends the whole instance: every other waiting point is cancelled, nothing more runs.</summary>
    public void EndInstance(string? result) => _scope.EndInstance(result);

    public T? Literal<T>(string inputName) => Node.Literal<T>(inputName);

    public IEnumerable<string> ReadStrings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => array.Select(x => x?.GetValueKind() == JsonValueKind.String ? x.GetValue<string>() : x?.ToJsonString()).OfType<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        _ => [node.ToJsonString()],
    };
}
