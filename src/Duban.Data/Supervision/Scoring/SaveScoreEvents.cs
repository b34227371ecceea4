using System.Text.Json;
using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Engine.Chasing;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Engine.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Scoring;

/// <summary>
/// The organization's score events (administrators, 考核规则): each shipped event under the name the organization uses,
/// and its own events (a name; deducts, or adds). An event without a key is new and gets one. A shipped event left out
/// keeps its shipped name; an own event left out is removed — refused while the ladder or a manual score entry uses it.
/// </summary>
public sealed record SaveScoreEvents(CurrentUser User, IReadOnlyList<ScoreEventDefinition?>? Events) : IWrite<ScoreEventCatalog>, IRetryOnDuplicateKey
{
    public string Operation => "score-events";
    public string Subject => User.UnitId ?? "";
}

internal sealed class SaveScoreEventsHandler : IWriteHandler<SaveScoreEvents, ScoreEventCatalog>
{
    public async Task<ScoreEventCatalog> HandleAsync(SaveScoreEvents write, WriteContext context, CancellationToken ct)
    {
        SettingsAdmin.Require(write.User);
        var events = write.Events ?? throw new WorkflowInputException("events", "请填写考核事件");
        var problems = ScoreEventCatalog.Problems(events);
        if (problems.Count > 0) throw new WorkflowInputException("考核事件设置有误", problems.Select(p => new FieldError(p.Field, p.Message)).ToList());
        var organizationId = OrganizationScope.Require(write.User);
        var row = await SettingsAdmin.SettingsRowAsync(context, organizationId, write.User, ct);
        var before = SupervisionSettings.Catalog(row.ScoreEventsJson);

        var saved = new List<ScoreEventDefinition>();
        foreach (var e in events.OfType<ScoreEventDefinition>())
        {
            var key = string.IsNullOrEmpty(e.Key) ? NewKey(saved, before) : e.Key;
            if (!ScoreEventTypes.All.Contains(key) && before.Find(key) is null && !string.IsNullOrEmpty(e.Key))
                throw new WorkflowInputException($"events[{events.ToList().IndexOf(e)}].key", $"考核事件「{e.Name}」不存在；新增的事件不要填写标识");
            saved.Add(new ScoreEventDefinition(key, e.Name.Trim(), !ScoreEventTypes.All.Contains(key) && e.Adds));
        }
        var after = new ScoreEventCatalog(saved);

        // An own event still in use cannot go: the ladder's rungs and the manual entries name it.
        var removed = before.Events.Where(e => !e.BuiltIn && !after.Contains(e.Key)).ToList();
        if (removed.Count > 0)
        {
            var ladder = row.LadderJson is { } json ? Ladder.Parse(System.Text.Json.Nodes.JsonNode.Parse(json)) : Ladder.Default;
            var keys = removed.Select(e => e.Key).ToList();
            var entries = await context.Db.Set<ScoreEntryRecord>().Where(x => x.OrganizationId == organizationId && keys.Contains(x.EventKey))
                .Select(x => x.EventKey).Distinct().ToListAsync(ct);
            foreach (var e in removed)
            {
                if (ladder.FirstOrDefault(r => r.ScoreEvent == e.Key) is { } rung)
                    throw new WorkflowInputException("events", $"考核事件「{e.Name}」正被催办阶梯的「{rung.Name}」使用，请先在催办阶梯中改用其他事件");
                if (entries.Contains(e.Key))
                    throw new WorkflowInputException("events", $"考核事件「{e.Name}」已有手动考核记录，不能删除（可改名）");
            }
        }
        row.ScoreEventsJson = JsonSerializer.Serialize(after.Stored(), DefinitionJson.Options);
        return after;
    }

    /// <summary>
    /// A key for a new own event, never one used before: a removed event's key is not given again, so chases and entries
    /// of the past never count under an event made later.
    /// </summary>
    private static string NewKey(List<ScoreEventDefinition> saved, ScoreEventCatalog before)
    {
        while (true)
        {
            var key = ScoreEventCatalog.OwnPrefix + Guid.NewGuid().ToString("N")[..10];
            if (!before.Contains(key) && saved.All(e => e.Key != key)) return key;
        }
    }
}
