using System.Text.Json;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Referrals;

/// <summary>
/// 上级交办 (decision 050): the superior's 督查室 assigns its item <paramref name="ItemId"/> to a subordinate organization,
/// with 办理要求 and 时限; optionally for one open step of the item (<paramref name="TaskId"/>), whose form field
/// <paramref name="ReportField"/> the subordinate's 办结报告 then fills as it completes the step; with files of the item
/// (<paramref name="FileIds"/>) the assigner may read, passed down with the notice.
/// </summary>
public sealed record AssignReferral(CurrentUser By, Guid ItemId, string? SubordinateOrganizationId, string? Requirements, DateTimeOffset? DueAt,
    Guid? TaskId = null, string? ReportField = null, IReadOnlyList<Guid>? FileIds = null) : IWrite<ReferralRecord>
{
    public string Operation => "referral-assign";
    public string Subject => ItemId.ToString();
}

internal sealed class AssignReferralHandler(ItemWriter items) : IWriteHandler<AssignReferral, ReferralRecord>, IRetryOnDuplicateKey
{
    public async Task<ReferralRecord> HandleAsync(AssignReferral write, WriteContext context, CancellationToken ct)
    {
        var organizationId = OrganizationScope.Require(write.By);
        if (!write.By.Has(Permission.Supervise)) throw new ForbiddenException("只有督查部门可以向下级组织交办");
        var db = context.Db;
        var item = await ItemVisibility.Visible(db, write.By).FirstOrDefaultAsync(i => i.Id == write.ItemId, ct)
            ?? throw new NotFoundException("事项不存在");
        if (item.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled || item.ArchivedAt is not null)
            throw new WorkflowConflictException("事项已结束，不能再交办");
        var errors = new List<FieldError>();
        var subordinate = write.SubordinateOrganizationId?.Trim();
        if (string.IsNullOrEmpty(subordinate)) errors.Add(new("subordinateOrganizationId", "请选择下级组织"));
        else if (!await db.Set<OrganizationLinkRecord>().AnyAsync(l => l.OrganizationId == subordinate && l.SuperiorOrganizationId == organizationId, ct))
            errors.Add(new("subordinateOrganizationId", "只能交办给本组织的下级组织"));
        var requirements = write.Requirements?.Trim();
        if (requirements is { Length: > 2000 }) errors.Add(new("requirements", "办理要求不超过 2000 个字符"));
        TaskRecord? task = null;
        string? reportField = null;
        if (write.TaskId is { } taskId)
        {
            task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.InstanceId == item.Id, ct);
            if (task is null || task.Status != HumanTaskStatus.Open || task.BookmarkId is null)
                errors.Add(new("taskId", "请选择本事项正在办理的环节"));
            else if (await db.Set<ReferralRecord>().AnyAsync(r => r.SuperiorTaskId == taskId && r.Status != ReferralStatus.Withdrawn, ct))
                errors.Add(new("taskId", "该环节已交办给下级组织"));
            else
            {
                reportField = write.ReportField?.Trim();
                var permissions = StepPermissions.Of(await items.DefinitionOfAsync(db, item, ct), task);
                if (string.IsNullOrEmpty(reportField)) reportField = null;
                else if (permissions.GetValueOrDefault(reportField, FieldPermission.ReadOnly) is not (FieldPermission.Editable or FieldPermission.AppendOnly))
                    errors.Add(new("reportField", "请选择该环节可填写的字段"));
            }
        }
        else if (!string.IsNullOrWhiteSpace(write.ReportField)) errors.Add(new("reportField", "未选择环节时不需要选择报告写入的字段"));
        if (errors.Count == 0 && await db.Set<ReferralRecord>().AnyAsync(r => r.SuperiorItemId == item.Id && r.SubordinateOrganizationId == subordinate
            && r.Status != ReferralStatus.Withdrawn, ct))
            errors.Add(new("subordinateOrganizationId", "本事项已交办给该组织"));
        var passed = await PassedFilesAsync(db, write.By, item, write.FileIds, errors, ct);
        if (errors.Count > 0) throw new WorkflowInputException("交办信息有误", errors);

        var referral = new ReferralRecord
        {
            Id = Guid.CreateVersion7(),
            SuperiorOrganizationId = organizationId,
            SuperiorItemId = item.Id,
            SuperiorTaskId = task?.Id,
            ReportField = reportField,
            SubordinateOrganizationId = subordinate!,
            Title = item.Title,
            Requirements = string.IsNullOrEmpty(requirements) ? null : requirements,
            DueAt = write.DueAt ?? task?.DueAt ?? item.DueAt,
            CreatedAt = context.Now,
            CreatedByName = write.By.DisplayName,
            Status = ReferralStatus.Assigned,
            PassedFilesJson = JsonSerializer.Serialize(passed, DefinitionJson.Options),
        };
        db.Set<ReferralRecord>().Add(referral);
        var superior = context.Organization.FindUnit(organizationId)?.Name ?? organizationId;
        ReferralNotices.Tell(context, referral.SubordinateOrganizationId, referral, $"{superior}交办：{referral.Title}",
            (referral.Requirements ?? "请在「上级交办」中查看并启动办理") + (referral.DueAt is { } due ? $"（时限 {Engine.Calendar.ChinaTime.DateOf(due):yyyy-MM-dd}）" : ""),
            instanceId: null, "referral-assigned");
        return referral;
    }

    /// <summary>
    /// The files of the superior's item passed down: each one of this item's attachments that the assigner himself may
    /// read there (the one rule, <see cref="ItemAccess.MayReadFileAsync"/>); any other id is a 400 naming <c>fileIds</c>.
    /// </summary>
    private async Task<List<PassedFile>> PassedFilesAsync(DubanDbContext db, CurrentUser by, Instances.InstanceRecord item, IReadOnlyList<Guid>? fileIds,
        List<FieldError> errors, CancellationToken ct)
    {
        var ids = (fileIds ?? []).Distinct().ToList();
        if (ids.Count == 0) return [];
        if (ids.Count > 50) { errors.Add(new("fileIds", "随交办下发的附件不超过 50 个")); return []; }
        var records = await db.Attachments.AsNoTracking().Where(a => ids.Contains(a.Id) && a.InstanceId == item.Id).ToDictionaryAsync(a => a.Id, ct);
        var definition = await items.DefinitionOfAsync(db, item, ct);
        var passed = new List<PassedFile>();
        foreach (var id in ids)
        {
            if (!records.TryGetValue(id, out var record) || !await ItemAccess.MayReadFileAsync(db, by, item, definition, id.ToString(), ct))
            {
                errors.Add(new("fileIds", "只能随交办下发本事项中本人可查看的附件"));
                return [];
            }
            passed.Add(new PassedFile(record.Id, record.FileName, record.Size));
        }
        return passed;
    }
}
