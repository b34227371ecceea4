using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Definitions.Admin;

/// <summary>
/// 管理员 keeps a 模拟运行 scenario with a procedure, with the figures the procedure gave on it (docs/decisions/045):
/// a new one (<paramref name="Id"/> null), or an existing one renamed, changed or given the latest result ("接受新结果").
/// With <paramref name="ExpectedVersion"/>, a scenario changed meanwhile by someone else is refused (409).
/// </summary>
/// <param name="ScenarioJson">The scenario, as the server wrote it after checking it.</param>
/// <param name="FiguresJson">Its figures on <paramref name="Version"/> of the procedure, as the server computed them.</param>
public sealed record SaveScenario(CurrentUser User, string DefinitionId, Guid? Id, string Name, string ScenarioJson, string FiguresJson,
    int Version, long? ExpectedVersion) : IWrite<SavedScenarioRecord>, IRetryOnDuplicateKey
{
    public const int MostPerProcedure = 10;

    public string Operation => "scenario-save";
    public string Subject => DefinitionId;
}

internal sealed class SaveScenarioHandler : IWriteHandler<SaveScenario, SavedScenarioRecord>
{
    public async Task<SavedScenarioRecord> HandleAsync(SaveScenario write, WriteContext context, CancellationToken ct)
    {
        var organizationId = ScenarioKeepers.OrganizationOf(write.User);
        var name = write.Name.Trim();
        if (name.Length == 0) throw new WorkflowInputException("name", "请填写场景名称");
        if (name.Length > 100) throw new WorkflowInputException("name", "场景名称不能超过 100 个字符");
        var scenarios = context.Db.Set<SavedScenarioRecord>();
        var same = scenarios.Where(s => s.OrganizationId == organizationId && s.DefinitionId == write.DefinitionId);
        if (await same.AnyAsync(s => s.Name == name && s.Id != write.Id, ct))
            throw new WorkflowInputException("name", $"已有名为「{name}」的场景");

        SavedScenarioRecord record;
        if (write.Id is { } id)
        {
            record = await same.FirstOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("模拟场景不存在");
            if (write.ExpectedVersion is { } expected && expected != record.ConcurrencyToken)
                throw new WorkflowConflictException("该场景已被他人修改，请刷新后重试");
        }
        else
        {
            if (await same.CountAsync(ct) >= SaveScenario.MostPerProcedure)
                throw new WorkflowInputException("name", $"每个流程最多保存 {SaveScenario.MostPerProcedure} 个场景");
            record = new SavedScenarioRecord
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = organizationId,
                DefinitionId = write.DefinitionId,
                Name = name,
                ScenarioJson = write.ScenarioJson,
                FiguresJson = write.FiguresJson,
            };
            scenarios.Add(record);
        }
        record.Name = name;
        record.ScenarioJson = write.ScenarioJson;
        record.FiguresJson = write.FiguresJson;
        record.Version = write.Version;
        record.SavedAt = context.Now;
        record.SavedBy = write.User.DisplayName;
        return record;
    }
}

/// <summary>管理员 removes a scenario kept with a procedure.</summary>
public sealed record DeleteScenario(CurrentUser User, string DefinitionId, Guid Id) : IWrite<bool>
{
    public string Operation => "scenario-delete";
    public string Subject => DefinitionId;
}

internal sealed class DeleteScenarioHandler : IWriteHandler<DeleteScenario, bool>
{
    public async Task<bool> HandleAsync(DeleteScenario write, WriteContext context, CancellationToken ct)
    {
        var organizationId = ScenarioKeepers.OrganizationOf(write.User);
        var record = await context.Db.Set<SavedScenarioRecord>()
            .FirstOrDefaultAsync(s => s.OrganizationId == organizationId && s.DefinitionId == write.DefinitionId && s.Id == write.Id, ct)
            ?? throw new NotFoundException("模拟场景不存在");
        context.Db.Remove(record);
        return true;
    }
}

/// <summary>Who keeps scenarios: those who may edit the organization's procedures (管理员), like simulating them.</summary>
public static class ScenarioKeepers
{
    /// <summary>The organization whose procedures <paramref name="user"/> keeps scenarios for; 403 for anyone else.</summary>
    public static string OrganizationOf(CurrentUser user)
    {
        if (!user.Has(Permission.DesignProcedures)) throw new ForbiddenException("只有可以编辑流程的人员（管理员）可以维护模拟场景");
        return OrganizationScope.Require(user);
    }
}
