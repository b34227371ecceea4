using System.Text.Json.Nodes;
using Duban.Data.Attachments;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Items;

/// <summary>发起: a new item of the published procedure <paramref name="DefinitionId"/>, its start form filled with <paramref name="Data"/>.</summary>
/// <param name="Restriction">限定知悉范围 chosen on the start form (the office only); null: the procedure's 默认限定知悉范围 (decision 037).</param>
public sealed record StartItem(string DefinitionId, CurrentUser User, JsonObject? Data, ItemRestriction? Restriction = null) : IWrite<InstanceRecord>
{
    public string Operation => "start";
    public string Subject => DefinitionId;
}

internal sealed class StartItemHandler(ItemWriter items) : IWriteHandler<StartItem, InstanceRecord>
{
    public async Task<InstanceRecord> HandleAsync(StartItem write, WriteContext context, CancellationToken ct)
    {
        var record = await ItemWriter.PublishedAsync(context.Db, OrganizationScope.Require(write.User), write.DefinitionId, ct)
            ?? throw new NotFoundException($"流程「{write.DefinitionId}」不存在或尚未发布");
        var definition = items.Parse(record);
        var organization = context.Organization.Within(record.OrganizationId);
        if (StartPermission.Refusal(definition, write.User, organization) is { } refusal)
            throw new ForbiddenException(refusal);
        var restriction = RestrictionOf(write, definition);
        var id = Guid.CreateVersion7();
        var data = (JsonObject?)write.Data?.DeepClone();
        var startForm = definition.FindForm(definition.Root.Activities.FirstOrDefault(a => a.Type == ActivityTypes.Start)?.LiteralString("form"));
        await AttachmentClaims.ClaimAsync(context.Db, write.User, startForm, data, id, ct);
        var actor = write.User.ToActor();
        var result = items.Runner.Start(definition, id, new StartRequest(actor, data), organization);
        var instance = await ItemWriter.NewInstanceAsync(context, record, id, result.State, actor, parent: null, ct);
        context.Db.Instances.Add(instance);
        await items.ApplyAsync(context, instance, result, actor, ct);
        // The first steps' holders are named as the door saves (Writes.ConfidentialNaming.NameTaskHoldersAsync), the list is the registrant's.
        if (restriction is not null) await ItemReaderList.SetAsync(context, instance, restriction, write.User, isNew: true, ct);
        return instance;
    }

    /// <summary>
    /// The item's 知悉范围 at registration: what the start form chose, else the procedure's 默认限定知悉范围 with only the registrant
    /// named. The office registers (000 第十三条（一）) and decides who knows: anyone else asking for it is refused, and the
    /// procedure's default does not apply to him (the office can restrict the item later).
    /// </summary>
    private static ItemRestriction? RestrictionOf(StartItem write, WorkflowDefinition definition)
    {
        if (write.Restriction is { Restricted: true } asked)
            return ItemReaderList.MayChange(write.User) ? asked
                : throw new WorkflowInputException("restriction", "只有督查部门可以登记限定知悉范围的事项");
        if (write.Restriction is not null) return null;
        return ItemReaderList.MayChange(write.User) && DefaultRestricted(definition) ? new ItemRestriction(true, [], []) : null;
    }

    /// <summary>流程设置 → 发起权限 → 默认限定知悉范围 (<c>options.restricted</c>).</summary>
    public static bool DefaultRestricted(WorkflowDefinition definition) =>
        definition.Options?["restricted"] is JsonValue v && v.TryGetValue<bool>(out var on) && on;
}

/// <summary>Who may start a procedure (<c>options.starters</c>, decision 029), for the start, the 发起 list and schedules.</summary>
public static class StartPermission
{
    public static bool Allows(WorkflowDefinition definition, CurrentUser user, IOrganization organization) =>
        StarterOptions.From(definition.Options).Allows(user.UnitId, user.Roles, organization);

    /// <summary>Why <paramref name="user"/> may not start an item of <paramref name="definition"/>; null when they may.</summary>
    public static string? Refusal(WorkflowDefinition definition, CurrentUser user, IOrganization organization)
    {
        var starters = StarterOptions.From(definition.Options);
        return starters.Allows(user.UnitId, user.Roles, organization) ? null
            : $"您不能发起「{definition.Name}」：该流程仅限 {starters.Describe(organization)} 发起";
    }
}
