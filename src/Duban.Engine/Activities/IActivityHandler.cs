using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Engine.Activities;

/// <summary>
/// The behaviour of one activity type. Handlers are stateless singletons: everything an execution needs is in
/// the <see cref="ActivityContext"/>, and everything it remembers goes into the instance state (bookmarks).
/// </summary>
public interface IActivityHandler
{
    ActivityDescriptor Descriptor { get; }

    /// <summary>The outcome ports this node offers, given its configuration (a UserTask's outcomes, a Switch's cases).</summary>
    IReadOnlyList<string> Ports(ActivityNode node) => Descriptor.Ports;

    ActivityResult Execute(ActivityContext context);

    /// <summary>An event arrived at one of this activity's bookmarks.</summary>
    ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeRequest request) =>
        throw new WorkflowConflictException($"「{context.Node.DisplayName}」不接受此操作");

    /// <summary>
    /// 退回 to a chosen earlier step from the task <paramref name="taskId"/> waiting at <paramref name="bookmark"/>: the
    /// step's waiting points go (journaled as <see cref="JournalKind.TaskReturned"/> with <paramref name="data"/>).
    /// </summary>
    void Withdraw(ActivityContext context, Bookmark bookmark, Guid taskId, string? comment, System.Text.Json.Nodes.JsonObject data) =>
        UserTaskActivity.Withdraw(context, bookmark, taskId, JournalKind.TaskReturned, comment, data);

    /// <summary>Design-time checks beyond the generic ones (ports, reachability, scripts).</summary>
    IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition) => [];
}

/// <summary>What the palette, the property panel and the validator know about a type.</summary>
public sealed record ActivityDescriptor(
    string Type,
    string DisplayName,
    string Category,
    IReadOnlyList<string> Ports,
    string Description)
{
    /// <summary>The inputs the activity reads, in the order the property panel shows them.</summary>
    public IReadOnlyList<ActivityInputDescriptor> Inputs { get; init; } = [];
}

/// <summary>How an execution ended for now.</summary>
public abstract record ActivityResult
{
    /// <summary>Finished; carry on along these ports.</summary>
    public sealed record Done(IReadOnlyList<string> Ports) : ActivityResult;

    /// <summary>Waiting at the bookmarks it created (or, for a countersign, still waiting for others).</summary>
    public sealed record Waiting : ActivityResult;

    /// <summary>The instance is finished (End) or ended by the activity; nothing more is scheduled.</summary>
    public sealed record Ended : ActivityResult;

    public static ActivityResult Outcome(params string[] ports) => new Done(ports);
    public static readonly ActivityResult Wait = new Waiting();
    public static readonly ActivityResult End = new Ended();
}

public static class PortNames
{
    public const string Done = "Done";
    public const string True = "True";
    public const string False = "False";
    public const string Default = "Default";
    public const string Return = "退回";
}
