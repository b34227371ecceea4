using Duban.Data.Instances;
using Duban.Data.Jobs;
using Duban.Data.Organization;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Duban.Data.Supervision;

/// <summary>Configuration section <c>Duban:Chasing</c>.</summary>
public sealed class ChaseOptions : LeasedJobOptions
{
    public ChaseOptions() => PollInterval = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The chasing ladder's background job: every poll it brings the cases in line with the open steps, then claims the
/// cases whose next rung has fallen due and raises them, each case in its own transaction. Rungs that fell due while
/// the app was down are raised on the first poll.
/// </summary>
public sealed class ChaseWorker(IServiceScopeFactory scopes, IOptions<ChaseOptions> options, ILogger<ChaseWorker> logger)
    : LeasedWorker<ChaseCaseRecord>(scopes, options.Value, logger)
{
    public static readonly LeasedQueue<ChaseCaseRecord> Due = new(nameof(ChaseCaseRecord.NextCheckAt));

    protected override LeasedQueue<ChaseCaseRecord> Queue => Due;

    protected override Task BeforeClaimsAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<ChaseService>().SyncCasesAsync(ct);

    protected override Task<int> ProcessAsync(IServiceProvider services, Guid id, string owner, CancellationToken ct) =>
        services.GetRequiredService<ChaseService>().ProcessCaseAsync(id, ct);
}

/// <summary>Completes the extension approvals in the inbox.</summary>
internal sealed class ExtensionTaskHandler(ExtensionService extensions) : IDetachedTaskHandler
{
    public IReadOnlyCollection<string> ActivityIds { get; } = [DetachedTasks.Extension];

    public Task CompleteAsync(WriteContext context, TaskRecord task, InstanceRecord instance, CurrentUser user, TaskSubmission submission, CancellationToken ct) =>
        extensions.CompleteTaskAsync(context, task, instance, user, submission, ct);
}

/// <summary>Completes a chase to record and a written reply to a 催办通知 in the inbox.</summary>
internal sealed class ChaseTaskHandler(ChaseService chases) : IDetachedTaskHandler
{
    public IReadOnlyCollection<string> ActivityIds { get; } = [DetachedTasks.ChaseAction, DetachedTasks.ChaseReply];

    public Task CompleteAsync(WriteContext context, TaskRecord task, InstanceRecord instance, CurrentUser user, TaskSubmission submission, CancellationToken ct) =>
        chases.CompleteTaskAsync(context, task, instance, user, submission, ct);
}
