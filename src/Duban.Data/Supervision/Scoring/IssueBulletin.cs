using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Supervision.Units;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Data.Supervision.Scoring;

/// <summary>
/// 通报批评 (督查员): a bulletin that criticised a unit of the organization on a day (yyyy-MM-dd), optionally about an
/// item — then it is journaled on the item. It counts in the unit's score until revoked.
/// </summary>
public sealed record IssueBulletin(CurrentUser User, string? UnitId, string? Title, string? IssuedOn, Guid? InstanceId, string? Note) : IWrite<BulletinRecord>
{
    public string Operation => "bulletin-issue";
    public string Subject => UnitId ?? "";
}

internal sealed class IssueBulletinHandler : IWriteHandler<IssueBulletin, BulletinRecord>
{
    public const string ActivityId = "bulletin";
    public const string ActivityName = "通报批评";

    public async Task<BulletinRecord> HandleAsync(IssueBulletin write, WriteContext context, CancellationToken ct)
    {
        var user = write.User;
        if (!user.Has(Permission.Score)) throw new ForbiddenException("只有有「考核与通报」权限的人员（督查员）可以登记通报批评");
        var org = context.Organization;
        var errors = new List<FieldError>();
        var title = write.Title?.Trim();
        if (string.IsNullOrWhiteSpace(write.UnitId) || org.FindUnit(write.UnitId) is null) errors.Add(new("unitId", "请选择被通报的单位"));
        if (string.IsNullOrEmpty(title)) errors.Add(new("title", "请填写通报名称"));
        else if (title.Length > 200) errors.Add(new("title", "通报名称不能超过 200 字"));
        if (!CalendarYear.TryDate(write.IssuedOn, out var issuedOn)) errors.Add(new("issuedOn", "请填写通报日期（yyyy-MM-dd）"));
        if (write.Note?.Length > 2000) errors.Add(new("note", "备注不能超过 2000 字"));
        if (errors.Count > 0) throw new WorkflowInputException("通报信息填写有误", errors);
        var organizationId = OrganizationScope.Require(user);
        if (OrganizationScope.OrganizationOf(org, write.UnitId) != organizationId) throw new WorkflowInputException("unitId", "请选择本单位组织内的单位");
        if (!HandlingUnits.IsHandlingUnit(org, write.UnitId, await HandlingUnits.KindsAsync(context.Db, ct)))
            throw new WorkflowInputException("unitId", "只有承办单位参加考核，督查部门和组织本级不能被通报计分");
        if (write.InstanceId is { } instanceId && !await ItemVisibility.CanSeeAsync(context.Db, user, instanceId, ct))
            throw new WorkflowInputException("instanceId", "事项不存在");
        var bulletin = new BulletinRecord
        {
            Id = Guid.CreateVersion7(), OrganizationId = organizationId, UnitId = write.UnitId!, InstanceId = write.InstanceId,
            Title = title!, IssuedOn = issuedOn, Note = write.Note?.Trim(), CreatedAt = context.Now, CreatedById = user.Id, CreatedByName = user.DisplayName,
        };
        context.Db.Set<BulletinRecord>().Add(bulletin);
        if (write.InstanceId is { } item)
            context.Journal(item, JournalKind.BulletinIssued, user.ToActor(), ActivityId, ActivityName, comment: title,
                data: new JsonObject { ["bulletinId"] = bulletin.Id.ToString(), ["unitId"] = bulletin.UnitId, ["unitName"] = org.FindUnit(bulletin.UnitId)?.Name, ["issuedOn"] = write.IssuedOn });
        return bulletin;
    }
}
