using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Expressions;

namespace Duban.Engine.Execution;

/// <summary>The working set of one event: a private copy of the state, the queue of work, and the effects so far.</summary>
internal sealed class RunScope(
    WorkflowDefinition definition,
    FlowGraph graph,
    Guid instanceId,
    WorkflowState state,
    Actor actor,
    DateTimeOffset now,
    IOrganization organization,
    IScriptEvaluator scripts)
{
    public WorkflowDefinition Definition { get; } = definition;
    public FlowGraph Graph { get; } = graph;
    public Guid InstanceId { get; } = instanceId;
    public WorkflowState State { get; } = state;
    public Actor Actor { get; } = actor;
    public DateTimeOffset Now { get; } = now;
    public IOrganization Organization { get; } = organization;
    public IScriptEvaluator Scripts { get; } = scripts;
    public ExecutionEffects Effects { get; } = new();
    public LinkedList<ScheduledWork> Queue { get; } = new();

    public void RemoveBookmark(Bookmark bookmark)
    {
        if (State.Bookmarks.Remove(bookmark)) Effects.RemovedBookmarkIds.Add(bookmark.Id);
    }

    public void EndInstance(string? result)
    {
        foreach (var bookmark in State.Bookmarks.ToList()) RemoveBookmark(bookmark);
        Queue.Clear();
        State.JoinArrivals.Clear();
        State.Result = result;
        State.Status = WorkflowStatus.Completed;
    }
}
