using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Referrals;

/// <summary>
/// 办结报告 back to the superior (decision 050): once the subordinate's own item has closed (办结), its 督查室 sends the
/// report's text. In the same write the superior's step the 交办 was for is completed with it (its first outcome, the
/// report in the chosen field), so the superior's deadlines, lights and next steps carry on as if its unit had answered.
/// A second report — a retry, or a second person at the same moment — is refused (the first one stands).
/// </summary>
/// <param name="FileIds">Files of the subordinate's own item to send up with the report.</param>
public sealed record ReportReferral(CurrentUser By, Guid ReferralId, string? Text, IReadOnlyList<Guid>? FileIds = null) : IWrite<ReferralRecord>
{
    public string Operation => "referral-report";
    public string Subject => ReferralId.ToString();
}

internal sealed class ReportReferralHandler(ItemWriter items) : IWriteHandler<ReportReferral, ReferralRecord>
{
    public async Task<ReferralRecord> HandleAsync(ReportReferral write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var referral = await Referrals.IncomingAsync(db, write.By, write.ReferralId, ct);
        if (referral.Status == ReferralStatus.Withdrawn) throw new WorkflowConflictException($"上级组织已撤回该交办（{referral.WithdrawnReason}），不能再上报");
        if (referral.Status == ReferralStatus.Reported) throw new WorkflowConflictException("该交办已上报办结报告，不能重复上报");
        if (referral.Status != ReferralStatus.Started || referral.SubordinateItemId is not { } own)
            throw new WorkflowConflictException("请先启动办理，办结后再上报");
        var item = await ItemVisibility.Visible(db, write.By).AsNoTracking().FirstOrDefaultAsync(i => i.Id == own, ct)
            ?? throw new NotFoundException("本单位的办理事项不存在");
        if (item.Status != WorkflowStatus.Completed) throw new WorkflowConflictException("本单位的办理事项尚未办结，办结后再上报");
        var text = write.Text?.Trim();
        if (string.IsNullOrEmpty(text)) throw new WorkflowInputException("text", "请填写办结报告");
        if (text.Length > 5000) throw new WorkflowInputException("text", "办结报告不超过 5000 个字符");

        var fileIds = (write.FileIds ?? []).Distinct().ToList();
        if (fileIds.Count > 50) throw new WorkflowInputException("fileIds", "随报告上报的附件不超过 50 个");
        var files = await db.Attachments.AsNoTracking().Where(a => fileIds.Contains(a.Id) && a.InstanceId == own)
            .Select(a => new ReportFile(a.Id, a.FileName, a.Size)).ToListAsync(ct);
        if (files.Count != fileIds.Count) throw new WorkflowInputException("fileIds", "只能上报本单位办理事项中的附件");

        referral.Status = ReferralStatus.Reported;
        referral.ReportFilesJson = JsonSerializer.Serialize(files, DefinitionJson.Options);
        referral.ReportText = text;
        referral.ReportedAt = context.Now;
        referral.CompletedSuperiorStep = await CompleteSuperiorStepAsync(context, referral, text, ct);
        var subordinate = context.Organization.FindUnit(referral.SubordinateOrganizationId)?.Name ?? referral.SubordinateOrganizationId;
        ReferralNotices.Tell(context, referral.SuperiorOrganizationId, referral, $"{subordinate}已报送办结报告：{referral.Title}",
            text.Length > 200 ? text[..200] + "…" : text, referral.SuperiorItemId, "referral-reported");
        return referral;
    }

    /// <summary>
    /// Completes the superior's step with the report, acting as the subordinate organization (no person of it is named
    /// on the superior's item). When the step is no longer open, or its form asks for more than the report gives, the
    /// step is left to the superior's own people, who read the report on the item page.
    /// </summary>
    private async Task<bool> CompleteSuperiorStepAsync(WriteContext context, ReferralRecord referral, string text, CancellationToken ct)
    {
        if (referral.SuperiorTaskId is not { } taskId) return false;
        var db = context.Db;
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.Status == HumanTaskStatus.Open && t.BookmarkId != null, ct);
        if (task is null) return false;
        var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == task.InstanceId && i.OrganizationId == referral.SuperiorOrganizationId, ct);
        if (instance is null || instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled || instance.ArchivedAt is not null) return false;
        var organization = context.OrganizationOf(instance);
        var name = context.Organization.FindUnit(referral.SubordinateOrganizationId)?.Name ?? referral.SubordinateOrganizationId;
        var actor = new Actor($"org:{referral.SubordinateOrganizationId}", $"{name}（下级组织）");
        var outcome = JsonSerializer.Deserialize<List<string>>(task.OutcomesJson, DefinitionJson.Options)?.FirstOrDefault();
        var data = referral.ReportField is { } field ? new JsonObject { [field] = text } : null;
        var comment = "下级组织办结报告：" + text;
        var definition = await items.DefinitionOfAsync(db, instance, ct);
        var before = ItemWriter.StateOf(instance);
        RunResult result;
        try
        {
            result = items.Runner.Resume(definition, instance.Id, before, task.BookmarkId!,
                new ResumeRequest(actor) { TaskId = task.Id, Outcome = outcome, Data = data, Comment = comment, TaskDueAt = task.DueAt }, organization);
        }
        catch (WorkflowInputException)
        {
            return false; // the step's form needs more than the report: the superior's people finish it
        }
        var done = result.Effects.Journal.FirstOrDefault(j => j.Kind == JournalKind.TaskCompleted && j.TaskId == task.Id);
        context.Close(task, null, HumanTaskStatus.Completed, done?.Outcome ?? outcome, comment);
        task.CompletedByName = actor.Name;
        await items.ApplyAsync(context, instance, result, actor, ct, before, task.Id);
        return true;
    }
}
