namespace Duban.Data.Writes;

/// <summary>
/// A change of state asked for: the request of one use case (complete a task, raise a chase, save a unit …). It is
/// carried out by the one <see cref="IWriteHandler{TWrite, TResult}"/> for its type, through <see cref="WriteDoor"/>.
/// </summary>
/// <typeparam name="TResult">What the caller gets back once the change has committed.</typeparam>
public interface IWrite<TResult>
{
    /// <summary>The kind of write, as the commit gate, logs and idempotency keys name it (e.g. <c>complete</c>).</summary>
    string Operation { get; }

    /// <summary>What the write is about (a task id, an item id, an organization id), for the commit gate and logs.</summary>
    string Subject { get; }
}

/// <summary>
/// A write that creates rows under a natural key — a settings row per organization, the rules of a year, a calendar day,
/// a chase case per item and unit — by loading the row and adding it only when it is missing. When two such writes add
/// the same row at once, the later insert hits the unique index: that is a lost race, not a mistake, so the door runs
/// the write again, as after a concurrency conflict, and this time the handler finds the row the other write added and
/// changes it instead. One write creates the row; neither is lost.
/// </summary>
public interface IRetryOnDuplicateKey
{
}

/// <summary>
/// Carries out one kind of write inside the door's unit of work: reads what it needs through
/// <see cref="WriteContext.Db"/>, checks, and changes tracked rows. It never saves: the door commits once, after it.
/// It may run more than once for one request (the door retries on a lost race), so it must not act outside the
/// database before the commit (use <see cref="WriteContext.AfterCommit(Action)"/>).
/// </summary>
public interface IWriteHandler<in TWrite, TResult> where TWrite : IWrite<TResult>
{
    Task<TResult> HandleAsync(TWrite write, WriteContext context, CancellationToken ct);
}

/// <summary>
/// A write that changes only how an item is stored, never what anyone reads of it — the compaction of a closed item's
/// journal (decision 042's addendum). 归档's lock (<see cref="ArchivedItems"/>) does not refuse it: an archived item is
/// compacted like any other, and its pages and archive read the same before and after.
/// </summary>
public interface ICompactsStorage
{
}
