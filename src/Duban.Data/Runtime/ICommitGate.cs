namespace Duban.Data.Runtime;

/// <summary>
/// A seam just before an event's transaction commits. Production does nothing here; concurrency tests use it to
/// hold two requests at the same point so their interleaving is forced, not hoped for.
/// </summary>
public interface ICommitGate
{
    ValueTask BeforeCommitAsync(string operation, Guid subjectId, CancellationToken cancellationToken);
}

public sealed class OpenCommitGate : ICommitGate
{
    public ValueTask BeforeCommitAsync(string operation, Guid subjectId, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
