using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// Completes inbox tasks that no flow step waits for (no bookmark): an extension to decide, a chase to record, a
/// written reply to a 催办通知. Each feature registers one for the activity ids of the tasks it opens; completing such a
/// task from the inbox runs it inside the same write.
/// </summary>
public interface IDetachedTaskHandler
{
    /// <summary>The <see cref="TaskRecord.ActivityId"/> values of the tasks this handler completes.</summary>
    IReadOnlyCollection<string> ActivityIds { get; }

    Task CompleteAsync(WriteContext context, TaskRecord task, InstanceRecord instance, CurrentUser user, TaskSubmission submission, CancellationToken ct);
}

/// <summary>What a person submits when completing a task: an outcome, form data, a comment, and (for the next step) assignees.</summary>
public sealed record TaskSubmission(
    string? Outcome,
    System.Text.Json.Nodes.JsonObject? Data,
    string? Comment,
    Dictionary<string, List<string>>? NextAssignees = null);
