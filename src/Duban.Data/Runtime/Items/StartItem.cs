using System.Text.Json.Nodes;
using Duban.Data.Attachments;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Items;

/// <summary>发起: a new item of the published procedure <paramref name="DefinitionId"/>, its start form filled with <paramref name="Data"/>.</summary>
public sealed record StartItem(string DefinitionId, CurrentUser User, JsonObject? Data) : IWrite<InstanceRecord>
{
    public string Operation => "start";
    public string Subject => DefinitionId;
}

internal sealed class StartItemHandler(ItemWriter items) : IWriteHandler<StartItem, InstanceRecord>
{
    public async Task<InstanceRecord> HandleAsync(StartItem write, WriteContext context, CancellationToken ct)
    {
        var record = await ItemWriter.PublishedAsync(context.Db, write.DefinitionId, ct)
            ?? throw new NotFoundException($"流程「{write.DefinitionId}」不存在或尚未发布");
        var definition = items.Parse(record);
        var id = Guid.CreateVersion7();
        var data = (JsonObject?)write.Data?.DeepClone();
        var startForm = definition.FindForm(definition.Root.Activities.FirstOrDefault(a => a.Type == ActivityTypes.Start)?.LiteralString("form"));
        await AttachmentClaims.ClaimAsync(context.Db, write.User, startForm, data, id, ct);
        var actor = write.User.ToActor();
        var result = items.Runner.Start(definition, id, new StartRequest(actor, data), context.Organization);
        var instance = await ItemWriter.NewInstanceAsync(context, record, id, result.State, actor, parent: null, ct);
        context.Db.Instances.Add(instance);
        await items.ApplyAsync(context, instance, result, actor, ct);
        return instance;
    }
}
