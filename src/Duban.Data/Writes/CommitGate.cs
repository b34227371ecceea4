namespace Duban.Data.Writes;

/// <summary>
/// A seam just before a write commits. Production does nothing here; concurrency tests use it to hold two requests at
/// the same point so their interleaving is forced, not hoped for.
/// </summary>
public interface ICommitGate
{
    ValueTask BeforeCommitAsync(string operation, string subject, CancellationToken cancellationToken);
}

public sealed class OpenCommitGate : ICommitGate
{
    public ValueTask BeforeCommitAsync(string operation, string subject, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
