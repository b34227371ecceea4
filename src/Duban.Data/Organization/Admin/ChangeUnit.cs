using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization.Admin;

/// <summary>
/// 管理员 changes a unit: renames it, moves it under another unit, disables or enables it. With
/// <paramref name="Version"/> (the unit's version the change is based on), a change made meanwhile by someone else is
/// refused (409) rather than overwritten; without it, no check.
/// </summary>
/// <param name="OrganizationId">The administrator's organization: another organization's unit does not exist for him.</param>
public sealed record ChangeUnit(string OrganizationId, string Id, UnitFields Fields, long? Version) : IWrite<UnitRecord>
{
    public string Operation => "unit-change";
    public string Subject => Id;
}

internal sealed class ChangeUnitHandler(OrganizationCache cache) : IWriteHandler<ChangeUnit, UnitRecord>
{
    public async Task<UnitRecord> HandleAsync(ChangeUnit write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var request = write.Fields;
        // On a lost race the door runs this again on the row as the winner left it: its version then no longer matches.
        var unit = await db.Units.FirstOrDefaultAsync(u => u.Id == write.Id, ct);
        if (unit is null || context.Organization.OrganizationOfUnit(unit.Id) != write.OrganizationId) throw new NotFoundException("单位不存在");
        if (write.Version is { } version && version != unit.ConcurrencyToken)
            throw new WorkflowConflictException("该单位已被他人修改，请刷新后重试");
        var errors = new List<FieldError>();
        await UnitRules.CheckAsync(request, db, context.Organization, write.OrganizationId, errors, unit, ct);
        if (errors.Count > 0) throw new WorkflowInputException("单位信息有误", errors);
        // Moved without an order given: it goes after its new siblings.
        var moved = request.ParentId != unit.ParentId;
        unit.SortOrder = request.SortOrder ?? (moved ? await UnitRules.NextSortOrderAsync(db, request.ParentId, ct) : unit.SortOrder);
        unit.Name = request.Name!.Trim();
        unit.ParentId = request.ParentId;
        unit.LeaderUserId = request.LeaderUserId;
        unit.SupervisorUserId = request.SupervisorUserId;
        unit.Kind = UnitRules.Blank(request.Kind);
        unit.IsActive = request.IsActive ?? unit.IsActive;
        context.AfterCommit(cache.Invalidate);
        return unit;
    }
}
