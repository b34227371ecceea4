using Duban.Data.Organization;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Settings;

/// <summary>What the writes that keep an organization's supervision settings share: who may, and the settings row.</summary>
internal static class SettingsAdmin
{
    /// <summary>The work calendar, the ladder, the scoring rules and the late-request setting are the administrators'.</summary>
    public static void Require(CurrentUser user)
    {
        if (!user.Has(Permission.ConfigureSupervision)) throw new ForbiddenException("只有管理员可以维护工作日历、催办阶梯和考核规则");
    }

    /// <summary>
    /// The organization's settings row, tracked, added when it has none (the write is <see cref="IRetryOnDuplicateKey"/>:
    /// when another write adds it first, the next attempt finds it), stamped with who changes it now.
    /// </summary>
    public static async Task<SupervisionSettingsRecord> SettingsRowAsync(WriteContext context, string organizationId, CurrentUser user, CancellationToken ct)
    {
        var row = await context.Db.Set<SupervisionSettingsRecord>().FirstOrDefaultAsync(s => s.OrganizationId == organizationId, ct);
        if (row is null)
        {
            row = new SupervisionSettingsRecord { OrganizationId = organizationId };
            context.Db.Set<SupervisionSettingsRecord>().Add(row);
        }
        row.UpdatedAt = context.Now;
        row.UpdatedByName = user.DisplayName;
        return row;
    }
}
