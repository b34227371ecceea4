using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Supervision.Settings;
using Duban.Data.Supervision.Units;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Extensions;

/// <summary>
/// 申请延期: a unit's liaison or head asks, on an item where the unit has an open step, for a new date (yyyy-MM-dd) with
/// a reason — before the deadline, or after it when allowed (<see cref="ExtensionEligibility"/>). The request waits in the
/// first approval stage's inbox.
/// </summary>
public sealed record RequestExtension(Guid InstanceId, CurrentUser User, string? Reason, string? NewDueDate) : IWrite<ExtensionRecord>
{
    public string Operation => "extension-request";
    public string Subject => InstanceId.ToString();
}

internal sealed class RequestExtensionHandler(ItemWriter items, SupervisionSettings settings) : IWriteHandler<RequestExtension, ExtensionRecord>
{
    /// <summary>The furthest a new deadline may be from the current one.</summary>
    public const int MaxExtensionDays = 366;

    public async Task<ExtensionRecord> HandleAsync(RequestExtension write, WriteContext context, CancellationToken ct)
    {
        var (user, newDueDate) = (write.User, write.NewDueDate);
        var errors = new List<FieldError>();
        var reason = write.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) errors.Add(new("reason", "请填写延期理由"));
        else if (reason.Length > 2000) errors.Add(new("reason", "延期理由不能超过 2000 字"));
        if (string.IsNullOrWhiteSpace(newDueDate)) errors.Add(new("newDueDate", "请选择新的完成时限"));
        else if (!CalendarYear.TryDate(newDueDate, out _)) errors.Add(new("newDueDate", "新的完成时限应为 yyyy-MM-dd 格式的日期"));
        if (errors.Count > 0) throw new WorkflowInputException("延期申请填写有误", errors);
        CalendarYear.TryDate(newDueDate, out var requestedDate);
        var requested = ChinaTime.EndOf(requestedDate);

        var db = context.Db;
        var org = context.Organization;
        var now = context.Now;
        var instance = await ItemVisibility.Visible(db, user).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        var definition = await items.DefinitionOfAsync(db, instance, ct);
        var eligibility = await ExtensionEligibility.OfAsync(db, settings, instance, definition, user, org, now, ct);
        if (eligibility.Pending) throw new WorkflowConflictException(eligibility.Reason!);
        if (!eligibility.CanRequest)
            throw eligibility.Deadline is null || eligibility.UnitId is null
                ? new WorkflowInputException("instanceId", eligibility.Reason!)
                : new WorkflowInputException("newDueDate", eligibility.Reason!);
        var current = eligibility.Deadline!.Value;
        var currentDate = ChinaTime.DateOf(current);
        if (requestedDate <= currentDate)
            throw new WorkflowInputException("newDueDate", $"新的完成时限应晚于当前时限（{StepDeadline.Describe(current)}）");
        if (requestedDate.DayNumber - currentDate.DayNumber > MaxExtensionDays)
            throw new WorkflowInputException("newDueDate", $"一次延期不能超过 {MaxExtensionDays} 天");
        var unitId = eligibility.UnitId!;

        // A rest day per the organization's calendar: kept and flagged to the approver, moved, or refused (decision 023).
        var policy = ProcedureOptions.Extensions(definition.Options);
        var calendar = org.CalendarFor(unitId);
        var typedDate = requestedDate;
        if (!calendar.IsWorkingDay(requestedDate))
        {
            var next = calendar.NextWorkingDay(requestedDate);
            if (policy.RestDayRule == ExtensionPolicy.RestDayRefuse)
                throw new WorkflowInputException("newDueDate",
                    $"新的完成时限{StepDeadline.Describe(requested)}是休息日，请选择工作日，如{StepDeadline.Describe(ChinaTime.EndOf(next))}");
            if (policy.RestDayRule == ExtensionPolicy.RestDayMove)
            {
                requestedDate = next;
                requested = ChinaTime.EndOf(next);
            }
        }

        var stages = policy.Stages.ToList();
        var extension = new ExtensionRecord
        {
            Id = Guid.CreateVersion7(),
            InstanceId = instance.Id,
            UnitId = unitId,
            RequestedById = user.Id,
            RequestedByName = user.DisplayName,
            RequestedAt = now,
            Reason = reason!,
            CurrentDueAt = current,
            RequestedDueAt = requested,
            Status = ExtensionStatus.Pending,
            StagesJson = JsonSerializer.Serialize(stages, DefinitionJson.Options),
            Stage = 0,
            Late = eligibility.Late,
        };
        db.Set<ExtensionRecord>().Add(extension);
        extension.ApprovalTaskId = ExtensionApproval.OpenTask(context, extension, instance, stages[0]).Id;
        instance.UpdatedAt = now;
        var data = new JsonObject
        {
            ["extensionId"] = extension.Id.ToString(),
            ["unitId"] = unitId,
            ["unitName"] = HandlingUnits.NameOf(org, unitId),
            ["from"] = current,
            ["to"] = requested,
            ["late"] = eligibility.Late,
        };
        if (typedDate != requestedDate) data["typedDate"] = typedDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        context.Journal(instance.Id, JournalKind.ExtensionRequested, user.ToActor(), ExtensionApproval.ActivityId, ExtensionApproval.ActivityName,
            comment: reason, data: data);
        return extension;
    }
}
