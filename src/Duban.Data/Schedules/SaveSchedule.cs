using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Schedules;

/// <summary>
/// An administrator creates (<paramref name="Id"/> null) or changes a 定期任务: the procedure, the rule, the start form's
/// values and who the item is started as. Everything is checked as the start itself would check it, so a schedule that is
/// saved can start; the first occurrence is the first one after today.
/// </summary>
public sealed record SaveSchedule(CurrentUser User, Guid? Id, string? Name, string? DefinitionId, ScheduleRule? Rule, JsonObject? Defaults, string? StartAsUserId)
    : IWrite<ScheduleRecord>
{
    public string Operation => "schedule-save";
    public string Subject => Id?.ToString() ?? "new";
}

internal sealed class SaveScheduleHandler(ItemWriter items) : IWriteHandler<SaveSchedule, ScheduleRecord>
{
    public async Task<ScheduleRecord> HandleAsync(SaveSchedule write, WriteContext context, CancellationToken ct)
    {
        Scheduling.RequireAdmin(write.User);
        var org = context.Organization;
        var organizationId = OrganizationScope.Require(write.User);
        ScheduleRecord? row = null;
        if (write.Id is { } id)
        {
            row = await context.Db.Set<ScheduleRecord>().FirstOrDefaultAsync(s => s.Id == id && s.OrganizationId == organizationId, ct)
                ?? throw new NotFoundException("定期任务不存在");
        }

        var errors = new List<FieldError>();
        var name = write.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(new("name", "请填写任务名称"));
        else if (name.Length > 200) errors.Add(new("name", "任务名称不超过 200 字"));

        Duban.Data.Definitions.DefinitionRecord? definition = null;
        if (string.IsNullOrWhiteSpace(write.DefinitionId)) errors.Add(new("definitionId", "请选择要定期发起的流程"));
        else if ((definition = await ItemWriter.PublishedAsync(context.Db, organizationId, write.DefinitionId, ct)) is null)
            errors.Add(new("definitionId", $"流程「{write.DefinitionId}」不存在或尚未发布"));

        if (write.Rule is null) errors.Add(new("rule.kind", "请选择重复方式"));
        else errors.AddRange(write.Rule.Problems());

        CurrentUser? starter = null;
        if (string.IsNullOrWhiteSpace(write.StartAsUserId)) errors.Add(new("startAsUserId", "请选择以谁的名义发起"));
        else if (Scheduling.StarterProblem(org, organizationId, write.StartAsUserId) is { } problem) errors.Add(new("startAsUserId", problem));
        else starter = await Scheduling.StarterAsync(context.Db, org, write.StartAsUserId, ct);

        // The start form's values are checked by starting the item in the engine, which does no I/O, and keeping nothing:
        // a required field left empty, a value the form refuses, is named here rather than at the first occurrence.
        if (definition is not null && starter is not null)
        {
            try
            {
                items.Runner.Start(items.Parse(definition), Guid.CreateVersion7(), new StartRequest(starter.ToActor(), (JsonObject?)write.Defaults?.DeepClone()), org.Within(organizationId));
            }
            catch (WorkflowInputException e)
            {
                errors.AddRange(e.Errors.Select(f => new FieldError(f.Field is "data" ? "defaults" : $"defaults.{f.Field}", f.Message)));
            }
        }
        if (errors.Count > 0) throw new WorkflowInputException("定期任务设置有误，请检查标出的项", errors);

        var rule = write.Rule!.Normalized();
        if (row is null)
        {
            row = new ScheduleRecord
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = organizationId,
                Name = name!,
                DefinitionId = write.DefinitionId!,
                RuleJson = "{}",
                DefaultsJson = "{}",
                UserId = write.StartAsUserId!,
                CreatedAt = context.Now,
                CreatedByName = write.User.DisplayName,
            };
            context.Db.Set<ScheduleRecord>().Add(row);
        }
        row.Name = name!;
        row.DefinitionId = write.DefinitionId!;
        row.RuleJson = JsonSerializer.Serialize(rule, DefinitionJson.Options);
        row.DefaultsJson = (write.Defaults ?? []).ToJsonString(DefinitionJson.Options);
        row.UserId = write.StartAsUserId!;
        row.UpdatedAt = context.Now;
        row.UpdatedByName = write.User.DisplayName;
        // A new or changed rule counts from tomorrow: an occurrence of today has begun already (decision 026).
        row.HandledThrough = ChinaTime.DateOf(context.Now);
        Scheduling.Release(row);
        Scheduling.PlanNext(row, Scheduling.CalendarOf(org, row));
        return row;
    }
}
