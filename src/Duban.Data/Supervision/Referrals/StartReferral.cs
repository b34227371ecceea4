using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Attachments;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Runtime.Items;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Referrals;

/// <summary>
/// The subordinate's 督查室 starts an incoming 交办 (decision 050) as an item of its own organization: its own procedure
/// <paramref name="DefinitionId"/>, its start form <paramref name="Data"/>, its own units — one write with the start, so
/// two people starting it at once make one item (the other is told it has been started).
/// </summary>
public sealed record StartReferral(CurrentUser By, Guid ReferralId, string? DefinitionId, JsonObject? Data) : IWrite<InstanceRecord>
{
    public string Operation => "referral-start";
    public string Subject => ReferralId.ToString();
}

internal sealed class StartReferralHandler(ItemWriter items) : IWriteHandler<StartReferral, InstanceRecord>
{
    public async Task<InstanceRecord> HandleAsync(StartReferral write, WriteContext context, CancellationToken ct)
    {
        var referral = await Referrals.IncomingAsync(context.Db, write.By, write.ReferralId, ct);
        if (referral.Status == ReferralStatus.Withdrawn) throw new WorkflowConflictException($"上级组织已撤回该交办（{referral.WithdrawnReason}），不能再启动办理");
        if (referral.Status != ReferralStatus.Assigned) throw new WorkflowConflictException("该交办已启动办理，请刷新后查看");
        if (string.IsNullOrWhiteSpace(write.DefinitionId)) throw new WorkflowInputException("definitionId", "请选择本单位的办理流程");
        var instance = await new StartItemHandler(items).HandleAsync(new StartItem(write.DefinitionId.Trim(), write.By, write.Data), context, ct);
        referral.Status = ReferralStatus.Started;
        referral.SubordinateItemId = instance.Id;
        referral.StartedAt = context.Now;
        await PassDownFilesAsync(context, referral, instance, ct);
        return instance;
    }

    /// <summary>
    /// The superior's files passed down with the 交办 become attachments of the new item: a record of the subordinate's
    /// item pointing at the same stored content (nothing deletes an item's stored file, so the two records share it), named
    /// as the superior's, so the item's own visibility rule governs them from here on.
    /// </summary>
    private static async Task PassDownFilesAsync(WriteContext context, ReferralRecord referral, InstanceRecord instance, CancellationToken ct)
    {
        var passed = string.IsNullOrEmpty(referral.PassedFilesJson) ? [] : JsonSerializer.Deserialize<List<PassedFile>>(referral.PassedFilesJson, DefinitionJson.Options) ?? [];
        if (passed.Count == 0) return;
        var ids = passed.Select(f => f.Id).ToList();
        var originals = await context.Db.Attachments.AsNoTracking().Where(a => ids.Contains(a.Id) && a.InstanceId == referral.SuperiorItemId).ToDictionaryAsync(a => a.Id, ct);
        var superior = context.Organization.FindUnit(referral.SuperiorOrganizationId)?.Name ?? referral.SuperiorOrganizationId;
        var copies = new List<PassedFile>();
        foreach (var file in passed)
        {
            if (!originals.TryGetValue(file.Id, out var original)) { copies.Add(file); continue; }
            var copy = new AttachmentRecord
            {
                Id = Guid.CreateVersion7(),
                InstanceId = instance.Id,
                FileName = original.FileName,
                ContentType = original.ContentType,
                Size = original.Size,
                Sha256 = original.Sha256,
                StorageKey = original.StorageKey,
                UploadedById = $"org:{referral.SuperiorOrganizationId}",
                UploadedByName = $"{superior}（上级交办）",
                UploadedAt = context.Now,
            };
            context.Db.Attachments.Add(copy);
            copies.Add(file with { CopyId = copy.Id });
        }
        referral.PassedFilesJson = JsonSerializer.Serialize(copies, DefinitionJson.Options);
    }
}

/// <summary>The 交办 rows as each side may read them (decision 050).</summary>
public static class Referrals
{
    /// <summary>
    /// An incoming 交办 of <paramref name="user"/>'s organization, for its 督查室 (permission Supervise); anyone else,
    /// and any other organization, gets 404.
    /// </summary>
    public static async Task<ReferralRecord> IncomingAsync(DubanDbContext db, CurrentUser user, Guid referralId, CancellationToken ct)
    {
        var organizationId = OrganizationScope.Require(user);
        if (!user.Has(Permission.Supervise) || user.OutsideBusiness) throw new NotFoundException("交办不存在");
        return await db.Set<ReferralRecord>().FirstOrDefaultAsync(r => r.Id == referralId && r.SubordinateOrganizationId == organizationId, ct)
            ?? throw new NotFoundException("交办不存在");
    }
}
