using Duban.Engine.Execution;

namespace Duban.Engine.Activities;

/// <summary>The activity type names, as they appear in definition JSON.</summary>
public static class ActivityTypes
{
    public const string Start = "Duban.Start";
    public const string UserTask = "Duban.UserTask";
    public const string Decision = "Duban.Decision";
    public const string Switch = "Duban.Switch";
    public const string Fork = "Duban.Fork";
    public const string Join = "Duban.Join";
    public const string Timer = "Duban.Timer";
    public const string SetVariables = "Duban.SetVariables";
    public const string Notify = "Duban.Notify";
    public const string SubProcess = "Duban.SubProcess";
    public const string End = "Duban.End";
    public const string Assign = "Duban.Assign";
    public const string SetItemDeadline = "Duban.SetItemDeadline";
    public const string WriteLine = "Duban.WriteLine";
    public const string Fault = "Duban.Fault";
    public const string SetVariable = "Duban.SetVariable";
}

/// <summary>Activity types by name. The built-in ones are registered; later features add their own.</summary>
public sealed class ActivityRegistry
{
    private readonly Dictionary<string, IActivityHandler> _handlers = new();

    public ActivityRegistry(IEnumerable<IActivityHandler> handlers)
    {
        foreach (var handler in handlers) _handlers[handler.Descriptor.Type] = handler;
    }

    public static ActivityRegistry CreateDefault() => new(BuiltIn());

    public static IEnumerable<IActivityHandler> BuiltIn() =>
    [
        new StartActivity(), new UserTaskActivity(), new DecisionActivity(), new SwitchActivity(),
        new ForkActivity(), new JoinActivity(), new TimerActivity(), new SetVariablesActivity(),
        new NotifyActivity(), new SubProcessActivity(), new EndActivity(), new AssignActivity(),
        new SetItemDeadlineActivity(), new WriteLineActivity(), new FaultActivity(), new SetVariableActivity(),
    ];

    public IReadOnlyCollection<IActivityHandler> All => _handlers.Values;

    public bool Contains(string type) => _handlers.ContainsKey(type);

    public IActivityHandler Get(string type) =>
        _handlers.TryGetValue(type, out var handler) ? handler : throw new ActivityFaultException($"未知的节点类型「{type}」");
}
