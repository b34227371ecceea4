using System.Collections.Concurrent;
using System.Text.Json;
using Duban.Data.Organization;
using Duban.Data.Storage;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Writes;

/// <summary>
/// The one door every change of state goes through. For a write it runs the write's handler on fresh data in a new
/// <see cref="WriteContext"/>, passes the commit gate and saves once — one transaction. When another write committed first
/// (a concurrency conflict on a row this one read), the attempt is thrown away and the handler runs again on what that
/// write left: usually it then refuses (the task is done: 409) or carries on (an unrelated change to the same item).
/// With an <see cref="IdempotencyKey"/>, the answer is kept in the same transaction, and a repeat gets it back instead of
/// doing the work twice. A write that adds rows under a natural key (<see cref="IRetryOnDuplicateKey"/>) is run again
/// when its insert loses to another write's on a unique index. A transaction PostgreSQL rolls back to end a deadlock is
/// run again too. See docs/decisions/019-one-write-door.md.
/// </summary>
public sealed class WriteDoor(
    IServiceProvider services,
    DubanDbContext db,
    OrganizationCache organizationCache,
    ICommitGate gate,
    TimeProvider clock,
    ILogger<WriteDoor> logger)
{
    /// <summary>Attempts of one write before a conflict is reported to the caller.</summary>
    public const int MaxAttempts = 5;

    private static readonly ConcurrentDictionary<Type, object> Invokers = new();

    public Task<TResult> RunAsync<TResult>(IWrite<TResult> write, CancellationToken ct = default) => RunAsync(write, key: null, ct);

    public async Task<TResult> RunAsync<TResult>(IWrite<TResult> write, IdempotencyKey? key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (!Audit.AuditedOperations.IsAudited(write.Operation)) return await RunAttemptsAsync(write, key, ct);
        try
        {
            return await RunAttemptsAsync(write, key, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A refused change of who may do what is itself audited, after the rollback (decision 044). What the refused
            // person could not see (not found, not his) is recorded without the object he named.
            var hidden = e is NotFoundException or ForbiddenException;
            try
            {
                await RunAsync(new RecordAuditEvent(write.Operation, hidden ? null : write.Subject,
                    $"{Audit.AuditedOperations.NameOf(write.Operation)}：{(hidden ? "对象不存在或无权操作" : e.Message)}", Audit.AuditResults.Failed), ct);
            }
            catch (Exception recording) when (recording is not OperationCanceledException)
            {
                // The caller hears why his write was refused, not that its record could not be written.
                logger.LogError(recording, "Recording the refused {Operation} in the audit log failed", write.Operation);
            }
            throw;
        }
    }

    private async Task<TResult> RunAttemptsAsync<TResult>(IWrite<TResult> write, IdempotencyKey? key, CancellationToken ct)
    {
        var invoker = (Invoker<TResult>)Invokers.GetOrAdd(write.GetType(), static type =>
            Activator.CreateInstance(typeof(Invoker<,>).MakeGenericType(type, typeof(TResult)))!);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var context = new WriteContext(db, await organizationCache.GetAsync(ct), clock.GetUtcNow(), services);
            var committed = false;
            try
            {
                if (key is not null && await EarlierAnswerAsync<TResult>(key, write.Operation, ct) is { } earlier)
                    return earlier.Value;
                var result = await invoker.InvokeAsync(services, write, context, ct);
                // An archived item is read-only: whatever this write changed on one is refused here, for every write (decision 047).
                if (write is not ICompactsStorage) await ArchivedItems.RefuseChangesAsync(db, ct);
                await AuditTrail.AddForWriteAsync(context, write.Operation, write.Subject, ct);
                if (key is not null) Remember(key, write.Operation, result, context);
                // A task given to a person or unit on a confidential item names them (docs/decisions/037).
                await ConfidentialNaming.NameTaskHoldersAsync(db, context.Now, ct);
                // The item row's deadline columns follow its steps (the read model, docs/decisions/042).
                await ItemDeadlines.RefreshAsync(db, ct);
                // An item this write closes is queued for compaction (decision 042's addendum).
                ClosedItems.QueueCompaction(db);
                // The people a write gives work or news to are told in the same transaction (docs/decisions/040).
                await NotificationCollector.CollectAsync(context, ct);
                await gate.BeforeCommitAsync(write.Operation, write.Subject, ct);
                await EventSave.SaveAsync(db, ct);
                if (context.Transaction is { } transaction) await transaction.CommitAsync(ct);
                committed = true;
                await RunAfterCommitAsync(context, write);
                return result;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("{Operation} on {Subject} raced with another write; retrying on fresh data", write.Operation, write.Subject);
            }
            catch (Exception e) when (attempt < MaxAttempts && DatabaseErrors.IsTransientConflict(e))
            {
                // PostgreSQL chose this transaction as a deadlock's victim (or could not serialize it): it was rolled back
                // whole, so it is a lost race like the one above.
                logger.LogDebug("{Operation} on {Subject} was rolled back by the database ({Error}); retrying on fresh data",
                    write.Operation, write.Subject, e.InnerException?.Message ?? e.Message);
            }
            catch (DbUpdateException e) when (key is not null && attempt < MaxAttempts && DatabaseErrors.IsUniqueViolation(e))
            {
                // A twin request with the same key committed first; the next attempt finds its answer.
                logger.LogDebug("{Operation} with idempotency key {Key} raced with its twin", write.Operation, key.Key);
            }
            catch (DbUpdateException e) when (write is IRetryOnDuplicateKey && attempt < MaxAttempts && DatabaseErrors.IsUniqueViolation(e))
            {
                // Another write added the same row first; the next attempt finds it and changes it instead.
                logger.LogDebug("{Operation} on {Subject} added a row another write had just added; retrying on fresh data", write.Operation, write.Subject);
            }
            finally
            {
                if (context.Transaction is { } transaction) await transaction.DisposeAsync();
                if (!committed) await RunIfNotCommittedAsync(context, write);
            }
        }
    }

    private async Task RunIfNotCommittedAsync(WriteContext context, object write)
    {
        try
        {
            await context.RunIfNotCommittedAsync();
        }
        catch (Exception e)
        {
            // The caller hears why the attempt failed (or it is run again), not that its clean-up did.
            logger.LogError(e, "Clean-up of an attempt of {Write} that did not commit failed", write.GetType().Name);
        }
    }

    private async Task RunAfterCommitAsync(WriteContext context, object write)
    {
        try
        {
            await context.RunAfterCommitAsync();
        }
        catch (Exception e)
        {
            // The write has committed: its caller must hear that, not a failure of the clean-up after it.
            logger.LogError(e, "After-commit work of {Write} failed", write.GetType().Name);
        }
    }

    private async Task<Answer<TResult>?> EarlierAnswerAsync<TResult>(IdempotencyKey key, string operation, CancellationToken ct)
    {
        var row = await db.Set<IdempotencyRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.UserId == key.UserId && r.Key == key.Key, ct);
        if (row is null) return null;
        if (row.Operation != operation || row.Fingerprint != key.Fingerprint)
            throw new WorkflowInputException("Idempotency-Key", "该幂等键（Idempotency-Key）已用于另一个请求，请为新的请求换一个键");
        return new Answer<TResult>(JsonSerializer.Deserialize<TResult>(row.ResultJson, DefinitionJson.Options)!);
    }

    private static void Remember<TResult>(IdempotencyKey key, string operation, TResult result, WriteContext context) =>
        context.Db.Set<IdempotencyRecord>().Add(new IdempotencyRecord
        {
            UserId = key.UserId,
            Key = key.Key,
            Operation = operation,
            Fingerprint = key.Fingerprint,
            ResultJson = JsonSerializer.Serialize(result, DefinitionJson.Options),
            CreatedAt = context.Now,
        });

    private sealed record Answer<T>(T Value);

    private abstract class Invoker<TResult>
    {
        public abstract Task<TResult> InvokeAsync(IServiceProvider services, IWrite<TResult> write, WriteContext context, CancellationToken ct);
    }

    private sealed class Invoker<TWrite, TResult> : Invoker<TResult> where TWrite : IWrite<TResult>
    {
        public override Task<TResult> InvokeAsync(IServiceProvider services, IWrite<TResult> write, WriteContext context, CancellationToken ct) =>
            services.GetRequiredService<IWriteHandler<TWrite, TResult>>().HandleAsync((TWrite)write, context, ct);
    }
}
