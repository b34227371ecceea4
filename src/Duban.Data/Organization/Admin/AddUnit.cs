using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization.Admin;

/// <summary>管理员 adds a unit to the tree under <see cref="UnitFields.ParentId"/>; without an order given it goes last there.</summary>
/// <param name="OrganizationId">The administrator's organization, which the unit joins.</param>
public sealed record AddUnit(string OrganizationId, string? Id, UnitFields Fields) : IWrite<UnitRecord>
{
    public string Operation => "unit-add";
    public string Subject => Id ?? "";
}

internal sealed class AddUnitHandler(OrganizationCache cache) : IWriteHandler<AddUnit, UnitRecord>
{
    public async Task<UnitRecord> HandleAsync(AddUnit write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var request = write.Fields;
        var errors = new List<FieldError>();
        var id = write.Id?.Trim();
        if (string.IsNullOrEmpty(id) || id.Length > 64) errors.Add(new("id", "请填写单位编码（不超过 64 个字符）"));
        else if (!UnitRules.IdPattern().IsMatch(id)) errors.Add(new("id", "单位编码只能包含字母、数字、- 和 _"));
        else if (await db.Units.AnyAsync(u => u.Id == id, ct)) errors.Add(new("id", "单位编码已存在"));
        await UnitRules.CheckAsync(request, db, context.Organization, write.OrganizationId, errors, existing: null, ct);
        if (request.IsActive == false) errors.Add(new("isActive", "新增的单位应为在用状态"));
        if (errors.Count > 0) throw new WorkflowInputException("单位信息有误", errors);
        var unit = new UnitRecord
        {
            Id = id!,
            Name = request.Name!.Trim(),
            ParentId = request.ParentId,
            SortOrder = request.SortOrder ?? await UnitRules.NextSortOrderAsync(db, request.ParentId, ct),
            LeaderUserId = request.LeaderUserId,
            SupervisorUserId = request.SupervisorUserId,
            Kind = UnitRules.Blank(request.Kind),
        };
        db.Units.Add(unit);
        context.AfterCommit(cache.Invalidate);
        return unit;
    }
}
