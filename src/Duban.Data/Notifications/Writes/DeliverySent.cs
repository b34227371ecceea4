using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Notifications.Writes;

/// <summary>A delivery went out: it is done and never claimed again. (A failure is the job lease's: counted, retried later.)</summary>
public sealed record DeliverySent(Guid Id) : IWrite<bool>
{
    public string Operation => "notification-sent";
    public string Subject => Id.ToString();
}

internal sealed class DeliverySentHandler : IWriteHandler<DeliverySent, bool>
{
    public async Task<bool> HandleAsync(DeliverySent write, WriteContext context, CancellationToken ct)
    {
        var row = await context.Db.Set<NotificationDeliveryRecord>().FirstOrDefaultAsync(d => d.Id == write.Id, ct);
        if (row is null) return false;
        row.SentAt = context.Now;
        row.NextAttemptAt = null;
        row.LeaseOwner = null;
        row.LeaseUntil = null;
        row.LastError = null;
        return true;
    }
}
