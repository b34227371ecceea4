using Duban.Data;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.ReadModel;
using Duban.Data.Storage;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Ledger;

/// <summary>
/// The ledger's query: the items the user may see (<see cref="ItemVisibility"/>), narrowed by a <see cref="LedgerFilter"/>
/// and sorted. Everything but the green/yellow light is decided by the database.
/// </summary>
public sealed class LedgerQuery(DubanDbContext db, OrganizationCache organization, TimeProvider clock, LedgerTime time,
    Duban.Data.Supervision.DeadlineLights deadlineLights, Duban.Data.Definitions.DefinitionCache definitions)
{
    /// <summary>Most open steps with a deadline read to decide green and yellow lights (three small columns each).</summary>
    public const int MaxLightCandidates = 50_000;

    // An item's deadline and light come from its open steps (not 阅知 notices): the nearest deadline, the worst light. The
    // deadline and "red" are columns of the item row kept by the write door (Writes.ItemDeadlines, decision 042).

    /// <summary>The filtered items, sorted; page or count it further.</summary>
    public async Task<IQueryable<InstanceRecord>> BuildAsync(CurrentUser user, LedgerFilter filter, CancellationToken ct) =>
        LedgerKeyset.Ordered(db, await FilteredAsync(user, filter, ct), filter.Sort, filter.Descending);

    /// <summary>The filtered items, not yet sorted (keyset paging orders each segment itself, <see cref="LedgerKeyset"/>).</summary>
    public async Task<IQueryable<InstanceRecord>> FilteredAsync(CurrentUser user, LedgerFilter filter, CancellationToken ct)
    {
        var query = Filtered(ItemAccess.Items(db, user), filter, await organization.GetAsync(ct));
        if (filter.Source is { } source) query = await WithSourceAsync(query, source, ct);
        if (!user.SeesAllItems && (filter.FieldFilters.Count > 0 || filter.Source is not null))
            query = await ReadableMatchesAsync(query, user, filter, ct);
        if (filter.Light is { } light) query = await WithLightAsync(query, light, ct);
        return query;
    }

    /// <summary>
    /// A field filter (and 来源) matches an item only where the viewer may read that field on it (<see cref="ItemAccess"/>,
    /// decision 034): a hidden field counts as empty, so the answer is what he could work out from what he sees, and a filter
    /// on the office's 拟办 or the leader's 审定 tells a unit nothing. Decided over the items that matched in the database,
    /// which for someone who does not oversee every item are his unit's and his own.
    /// </summary>
    private async Task<IQueryable<InstanceRecord>> ReadableMatchesAsync(IQueryable<InstanceRecord> query, CurrentUser user, LedgerFilter filter, CancellationToken ct)
    {
        var matched = await query.Select(i => new { i.Id, i.InitiatorId, i.DefinitionRecordId }).ToListAsync(ct);
        if (matched.Count == 0) return query;
        var versions = new Dictionary<Guid, Duban.Engine.Definitions.WorkflowDefinition>();
        foreach (var record in await db.Definitions.AsNoTracking().Where(d => matched.Select(m => m.DefinitionRecordId).Distinct().Contains(d.Id)).ToListAsync(ct))
            versions[record.Id] = definitions.Get(record);
        var readable = await ItemAccess.FieldsAsync(db, user,
            matched.Where(m => versions.ContainsKey(m.DefinitionRecordId)).Select(m => new ItemAccess.ItemOf(m.Id, m.InitiatorId, versions[m.DefinitionRecordId])).ToList(), ct);
        var keep = matched.Where(m => readable.TryGetValue(m.Id, out var fields)
                && filter.FieldFilters.All(f => fields.IsVisible(f.Key))
                && (filter.Source is null || (ItemSource.Field(versions[m.DefinitionRecordId]) is { } source && fields.IsVisible(source.Key))))
            .Select(m => m.Id).ToList();
        return query.Where(i => keep.Contains(i.Id));
    }

    private IQueryable<InstanceRecord> Filtered(IQueryable<InstanceRecord> query, LedgerFilter filter, OrganizationSnapshot org)
    {
        if (filter.Q is { } q)
        {
            // LIKE '%…%': a trigram index answers it on PostgreSQL (docs/decisions/042).
            var pattern = Duban.Data.ReadModel.PostgresSearch.Containing(q);
            query = query.Where(i => EF.Functions.Like(i.Title, pattern, "\\") || (i.Number != null && EF.Functions.Like(i.Number, pattern, "\\")));
        }
        if (filter.DefinitionId is { } definitionId) query = query.Where(i => i.DefinitionId == definitionId);
        if (filter.UnitId is { } unitId)
        {
            // A unit and everything under it: filtering by a city bureau includes its offices.
            var units = Subtree(org, unitId);
            query = query.Where(i => db.InstanceUnits.Any(u => u.InstanceId == i.Id && units.Contains(u.UnitId)));
        }
        query = filter.Status switch
        {
            LedgerStatus.Open => query.Where(i => (i.Status == WorkflowStatus.Running || i.Status == WorkflowStatus.Suspended) && i.IncidentMessage == null),
            LedgerStatus.Completed => query.Where(i => i.Status == WorkflowStatus.Completed),
            LedgerStatus.Cancelled => query.Where(i => i.Status == WorkflowStatus.Cancelled),
            LedgerStatus.Faulted => query.Where(i => i.Status == WorkflowStatus.Faulted || i.IncidentMessage != null),
            _ => query,
        };
        // 按期办结 as the breakdown's progress counts it: by the item's deadline (as extended); none counts as on time.
        if (filter.Timeliness == "onTime") query = query.Where(i => i.Status == WorkflowStatus.Completed && (i.DueAt == null || i.FinishedAt <= i.DueAt));
        else if (filter.Timeliness == "late") query = query.Where(i => i.Status == WorkflowStatus.Completed && i.DueAt != null && i.FinishedAt > i.DueAt);
        if (filter.From is { } from)
        {
            var start = time.StartOf(from);
            query = filter.DateField switch
            {
                LedgerDateField.FinishedAt => query.Where(i => i.FinishedAt >= start),
                LedgerDateField.DueAt => query.Where(i => i.LedgerDueAt >= start),
                _ => query.Where(i => i.CreatedAt >= start),
            };
        }
        if (filter.To is { } to)
        {
            var end = time.StartOf(to.AddDays(1));
            query = filter.DateField switch
            {
                LedgerDateField.FinishedAt => query.Where(i => i.FinishedAt < end),
                LedgerDateField.DueAt => query.Where(i => i.LedgerDueAt < end),
                _ => query.Where(i => i.CreatedAt < end),
            };
        }
        foreach (var (key, value) in filter.FieldFilters)
        {
            // Form data lives in the item's JSON state; only each database's own JSON functions reach it.
            var matching = FormDataSql.ItemsWithFieldValue(db, key, value);
            query = query.Where(i => matching.Contains(i.Id));
        }
        return query;
    }

    /// <summary>
    /// 来源 = value: each procedure version has its own source field (marked on its start form, or by default; decision
    /// 033); the item's value of it is kept on its row by the write door (<see cref="ItemSourceValue"/>, issue 22), so this is
    /// an indexed equality — or, for the versions whose source is a multi-select, the value among the list's elements.
    /// </summary>
    private async Task<IQueryable<InstanceRecord>> WithSourceAsync(IQueryable<InstanceRecord> query, string value, CancellationToken ct)
    {
        var lists = await ListSourceVersionsAsync(ct);
        if (lists.Count == 0) return query.Where(i => i.Source == value);
        var inList = ItemSourceValue.InListPattern(value);
        return query.Where(i => i.Source == value || (lists.Contains(i.DefinitionRecordId) && EF.Functions.Like(i.Source!, inList, "\\")));
    }

    /// <summary>The procedure versions whose source field holds a list (a multi-select): their items' 来源 is kept as one.</summary>
    internal async Task<List<Guid>> ListSourceVersionsAsync(CancellationToken ct)
    {
        var lists = new List<Guid>();
        foreach (var record in await db.Definitions.AsNoTracking().ToListAsync(ct))
            if (ItemSource.Field(definitions.Get(record)) is { } field && ItemSourceValue.HoldsLists(field)) lists.Add(record.Id);
        return lists;
    }

    internal static List<string> Subtree(OrganizationSnapshot org, string unitId)
    {
        var byParent = org.Units.Where(u => u.ParentId is not null).ToLookup(u => u.ParentId!);
        var result = new List<string>();
        var pending = new Stack<string>([unitId]);
        while (pending.TryPop(out var id))
        {
            if (result.Contains(id)) continue;
            result.Add(id);
            foreach (var child in byParent[id]) pending.Push(child.Id);
        }
        return result;
    }

    /// <summary>
    /// Red is a query condition (the item or an open step past its deadline). Green and yellow depend on each deadline's warning
    /// window (<see cref="Duban.Engine.Deadlines.Lights"/>), which is arithmetic on two columns EF cannot express on SQLite — so they are
    /// decided here, over the open steps with a deadline of the items already filtered.
    /// </summary>
    private async Task<IQueryable<InstanceRecord>> WithLightAsync(IQueryable<InstanceRecord> query, string light, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (light == "red")
            // The earliest deadline of the open item or its open steps, kept on the row (docs/decisions/042).
            return query.Where(i => i.RedFrom != null && i.RedFrom < now);
        var ids = query.Select(i => i.Id);
        var steps = await (
                from t in db.Tasks
                where t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.DueAt != null && ids.Contains(t.InstanceId)
                join i in db.Instances on t.InstanceId equals i.Id
                select new { t.InstanceId, t.CreatedAt, t.DueAt, i.DefinitionRecordId })
            .Take(MaxLightCandidates + 1)
            .ToListAsync(ct);
        if (steps.Count > MaxLightCandidates)
            throw new WorkflowInputException("light", $"符合条件的在办环节超过 {MaxLightCandidates} 个，请先用其他条件缩小范围，再按状态灯筛选");
        // Items with a deadline of their own (and still open): judged with their steps.
        var own = await query.Where(i => i.DueAt != null && i.Status != WorkflowStatus.Completed && i.Status != WorkflowStatus.Cancelled)
            .Select(i => new { i.Id, i.CreatedAt, i.DueAt, i.DefinitionRecordId, i.InitiatorUnitId })
            .Take(MaxLightCandidates + 1)
            .ToListAsync(ct);
        if (own.Count > MaxLightCandidates)
            throw new WorkflowInputException("light", $"符合条件的在办事项超过 {MaxLightCandidates} 个，请先用其他条件缩小范围，再按状态灯筛选");
        var lights = await deadlineLights.JudgeAsync(steps.Select(s => s.DefinitionRecordId).Concat(own.Select(o => o.DefinitionRecordId)), ct);
        var stepLights = steps.Select(s => (s.InstanceId, Light: lights.Of(s.DefinitionRecordId, s.CreatedAt, s.DueAt)));
        var itemLights = own.Select(o => (InstanceId: o.Id, Light: lights.Of(o.DefinitionRecordId, o.CreatedAt, o.DueAt, o.InitiatorUnitId)));
        var matching = stepLights.Concat(itemLights).GroupBy(x => x.InstanceId)
            .Where(g => Worst(g.Select(x => x.Light)) == light)
            .Select(g => g.Key)
            .ToList();
        return query.Where(i => matching.Contains(i.Id));
    }

    /// <summary>The worst of several lights: red over yellow over green; null when there is none.</summary>
    public static string? Worst(IEnumerable<string?> lights)
    {
        string? worst = null;
        foreach (var light in lights)
        {
            if (light == "red") return "red";
            if (light == "yellow") worst = "yellow";
            else if (light == "green" && worst is null) worst = "green";
        }
        return worst;
    }
}
