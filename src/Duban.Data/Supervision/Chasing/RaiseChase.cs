using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Supervision.Settings;
using Duban.Data.Supervision.Units;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// Raises a rung by hand (督查员, or the rung's own role) against a unit taking part in the item. A rung that records
/// something takes the record with it (a phone call is raised when it has been made).
/// </summary>
public sealed record RaiseChase(Guid InstanceId, CurrentUser User, string? UnitId, string? RungKey, JsonObject? Record, string? Note)
    : IWrite<ChaseRecord>, IRetryOnDuplicateKey
{
    public string Operation => "chase-raise";
    public string Subject => InstanceId.ToString();
}

/// <remarks>
/// When the ladder job has not seen the unit yet, its case is opened here; should the job open it at the same moment,
/// this insert loses on the unique index and the door runs the raise again, which then finds the case.
/// </remarks>
internal sealed class RaiseChaseHandler(ItemWriter items, SupervisionSettings settings) : IWriteHandler<RaiseChase, ChaseRecord>
{
    public async Task<ChaseRecord> HandleAsync(RaiseChase write, WriteContext context, CancellationToken ct)
    {
        var (user, unitId, rungKey, note) = (write.User, write.UnitId, write.RungKey, write.Note);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(unitId)) errors.Add(new("unitId", "请选择被催办单位"));
        if (string.IsNullOrWhiteSpace(rungKey)) errors.Add(new("rungKey", "请选择催办方式"));
        if (note?.Length > 2000) errors.Add(new("note", "备注不能超过 2000 字"));
        if (errors.Count > 0) throw new WorkflowInputException("催办信息填写有误", errors);

        var db = context.Db;
        var org = context.Organization;
        var instance = await ItemVisibility.Visible(db, user).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        if (instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
            throw new WorkflowConflictException("事项已结束，不能再催办");
        var definition = await items.DefinitionOfAsync(db, instance, ct);
        var organizationId = OrganizationScope.OrganizationOf(org, unitId) ?? unitId!;
        var ladder = await settings.LadderAsync(organizationId, definition, ct);
        var index = ladder.ToList().FindIndex(r => r.Key == rungKey);
        if (index < 0)
            throw new WorkflowInputException("rungKey", $"催办方式「{rungKey}」不存在，可选：{string.Join("、", ladder.Select(r => $"{r.Key}（{r.Name}）"))}");
        var rung = ladder[index];
        var owner = await Chases.ItemOwnerAsync(db, instance.Id, ct);
        var person = Chases.AssigneeFor(rung, owner, org).UserId;
        if (!Chases.MayAct(user, rung.Actor, person))
            throw new ForbiddenException($"只有督查员、{rung.Actor}{(person is null ? "" : "或指定的办理人")}可以进行{rung.Name}");
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        if (!HandlingUnits.IsHandlingUnit(org, unitId, kinds)
            || !await db.InstanceUnits.AnyAsync(u => u.InstanceId == instance.Id && u.UnitId == unitId, ct))
            throw new WorkflowInputException("unitId", "被催办单位应是承办该事项的单位");

        JsonObject? values = null;
        if (rung.Record is { } kind)
            values = Chases.ValidateRecord(kind, write.Record ?? new JsonObject(), prefix: "record.");
        else if (write.Record is { Count: > 0 })
            throw new WorkflowInputException("record", $"{rung.Name}不需要登记内容");

        var now = context.Now;
        var chase = await db.Set<ChaseCaseRecord>().FirstOrDefaultAsync(c => c.InstanceId == instance.Id && c.UnitId == unitId, ct);
        if (chase is null && await Chases.EffectiveDueAsync(db, instance, unitId!, org, ct) is { } due)
        {
            // The ladder job has not seen this unit yet: open its case now, so the ladder goes on from this rung.
            chase = Chases.NewCase(instance.Id, unitId!, due, now);
            db.Set<ChaseCaseRecord>().Add(chase);
        }
        var earlier = await db.Set<ChaseRecord>().AsNoTracking()
            .Where(c => c.InstanceId == instance.Id && c.UnitId == unitId && c.Status != ChaseStatus.Cancelled)
            .OrderBy(c => c.RaisedAt).Select(c => c.RungName).ToListAsync(ct);
        var raised = Chases.Raise(context, instance, unitId!, rung, index, chase, user.ToActor(), Chases.Manual, values, note?.Trim(), org.CalendarFor(unitId),
            owner, earlier: earlier);
        await Chases.DocumentAsync(context, instance, rung, unitId!, user.ToActor(), ct);
        if (chase is not null && chase.DueAt is not null && index >= chase.NextRung)
        {
            // The ladder carries on above this rung; the lower automatic rungs are passed.
            chase.NextRung = index + 1;
            chase.NextCheckAt = now;
            chase.UpdatedAt = now;
        }
        return raised;
    }
}
