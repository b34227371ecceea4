using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Runtime.Timers;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Supervision.Extensions;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Simulation;

/// <summary>A note of the walk itself (what a simulated person could not do), shown on the time line.</summary>
public sealed record WalkNote(DateTimeOffset At, string Text, string? UnitId);

/// <summary>How a walk ended: its item, the simulated time it stopped, why, and its notes.</summary>
public sealed record WalkResult(Guid InstanceId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string Stop, IReadOnlyList<WalkNote> Notes);

/// <summary>
/// Walks a scenario on an installation, one simulated day after another, only through the write door and the jobs of
/// the installation (timers, chasing): the office registers the item and passes its own steps, the units act as the
/// scenario says. The same walk runs in a <see cref="SimulationSandbox"/> and — in the tests — on a real installation on
/// the virtual clock, so what a simulation shows is what would happen (docs/decisions/045).
/// </summary>
/// <param name="advance">Moves the installation's clock to the given time (never back).</param>
public sealed class SimulationWalker(IServiceProvider services, string organizationId, string definitionId, SimulationScenario scenario,
    Func<DateTimeOffset, CancellationToken, Task> advance)
{
    /// <summary>Every simulated day starts at 09:00, Beijing.</summary>
    public static readonly TimeSpan MorningHour = TimeSpan.FromHours(9);
    /// <summary>Most writes of one simulated day: a design that loops forever stops here.</summary>
    public const int MostActsPerDay = 200;
    /// <summary>Most writes of one walk.</summary>
    public const int MostActs = 3000;
    /// <summary>How long a walk may take in real time.</summary>
    public static readonly TimeSpan MostWallTime = TimeSpan.FromSeconds(60);
    private const string Reason = "（模拟）";

    private readonly List<WalkNote> _notes = [];
    private readonly HashSet<Guid> _given = [];               // tasks the walk gave up on, or that wait (never)
    private readonly HashSet<Guid> _asked = [];               // unit tasks whose extension was asked for
    private readonly Dictionary<(Guid Instance, string Unit), DateOnly> _extensionDates = [];
    private readonly Dictionary<(Guid Instance, string Unit), string> _extensionSteps = [];
    private readonly Dictionary<(string Unit, string Step), int> _returned = [];
    private int _acts;

    public static DateTimeOffset MorningOf(DateOnly date) => ChinaTime.StartOf(date) + MorningHour;

    public async Task<WalkResult> RunAsync(CancellationToken ct)
    {
        var wall = System.Diagnostics.Stopwatch.StartNew();
        var first = scenario.StartDate!.Value;
        var startedAt = MorningOf(first);
        await advance(startedAt, ct);
        var instanceId = await StartAsync(startedAt, ct);
        var now = startedAt;
        var stop = "max-days";
        for (var day = 0; day <= scenario.Days; day++)
        {
            now = MorningOf(first.AddDays(day));
            if (day > 0) await advance(now, ct);
            await RunJobsAsync(ct);
            for (var pass = 0; pass < 20; pass++)
                if (!await ActAsync(instanceId, now, ct)) break;
            await RunJobsAsync(ct);
            if (await FinishedAsync(instanceId, ct)) { stop = "finished"; break; }
            if (_acts >= MostActs) { stop = "max-events"; break; }
            if (wall.Elapsed > MostWallTime) { stop = "max-time"; break; }
        }
        return new WalkResult(instanceId, startedAt, now, stop, _notes);
    }

    private async Task RunJobsAsync(CancellationToken ct)
    {
        await services.GetRequiredService<TimerWorker>().RunOnceAsync(ct);
        await services.GetRequiredService<ChaseWorker>().RunOnceAsync(ct);
    }

    private async Task<bool> FinishedAsync(Guid instanceId, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var status = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Instances.AsNoTracking()
            .Where(i => i.Id == instanceId).Select(i => i.Status).SingleAsync(ct);
        return status is WorkflowStatus.Completed or WorkflowStatus.Cancelled;
    }

    private async Task<OrganizationSnapshot> OrganizationAsync(CancellationToken ct) =>
        await services.GetRequiredService<OrganizationCache>().GetAsync(ct);

    /// <summary>The people of the organization as the runtime sees them, office first.</summary>
    private async Task<List<CurrentUser>> PeopleAsync(CancellationToken ct)
    {
        var org = await OrganizationAsync(ct);
        await using var scope = services.CreateAsyncScope();
        var users = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Users.AsNoTracking()
            .Where(u => u.OrganizationId == organizationId && u.IsActive).OrderBy(u => u.Id).Select(u => new { u.Id, u.UserName }).ToListAsync(ct);
        return users.Select(u => org.FindUser(u.Id) is { } info
                ? org.CurrentUserOf(info, u.UserName ?? info.Id)
                : null)
            .OfType<CurrentUser>().ToList();
    }

    // ---- registering the item ----------------------------------------------------------------------------------

    private async Task<Guid> StartAsync(DateTimeOffset now, CancellationToken ct)
    {
        var people = await PeopleAsync(ct);
        var org = (await OrganizationAsync(ct)).Within(organizationId);
        WorkflowDefinition definition;
        await using (var scope = services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<DefinitionStore>();
            var record = await store.PublishedAsync(organizationId, definitionId, ct) ?? throw new NotFoundException($"流程「{definitionId}」不存在");
            definition = store.Parse(record);
        }
        // The office registers (督查员 first, then whoever may start it).
        var starter = people.Where(p => StartPermission.Allows(definition, p, org))
            .OrderBy(p => p.IsInRole(Roles.Supervisor) ? 0 : p.IsInRole(Roles.Admin) ? 2 : 1).FirstOrDefault()
            ?? throw new WorkflowInputException("definitionId", "本单位没有人可以发起该流程，无法模拟");
        var form = definition.FindForm(definition.Root.Activities.FirstOrDefault(a => a.Type == ActivityTypes.Start)?.LiteralString("form"));
        _people = people;
        var data = StartData(form, now);
        await AttachAsync(data, form, null, starter, ct);
        var mended = new HashSet<(string, string)>();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var instance = await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new StartItem(definitionId, starter, data), ct);
                _acts++;
                return instance.Id;
            }
            catch (WorkflowInputException e) when (attempt < 6 && Fill(data, form, e, now, mended, ValueFor))
            {
            }
            catch (WorkflowInputException e)
            {
                throw new WorkflowInputException("definitionId", $"模拟登记事项时登记表无法提交：{Describe(e)}");
            }
        }
    }

    /// <summary>The start form filled for the scenario: its unit fields with the scenario's units, a date field with its deadline.</summary>
    private JsonObject StartData(FormDefinition? form, DateTimeOffset now)
    {
        var data = new JsonObject();
        if (form is null) return data;
        var units = new Queue<string>(scenario.Units ?? []);
        var unitFields = form.Fields.Where(f => f.Type == FieldTypes.Unit).ToList();
        foreach (var field in unitFields.Where(f => !f.Multiple))
            if (units.TryDequeue(out var unit)) data[field.Key] = unit;
        foreach (var field in unitFields.Where(f => f.Multiple))
        {
            if (units.Count > 0) data[field.Key] = new JsonArray([.. units.Select(u => (JsonNode)JsonValue.Create(u)!)]);
            units.Clear();
        }
        foreach (var field in form.Fields.Where(f => f.Type != FieldTypes.Unit && (f.Required || f.Type == FieldTypes.Date)))
            if (ValueFor(field, now) is { } value) data[field.Key] = value;
        return data;
    }

    private JsonNode? ValueFor(FormField field, DateTimeOffset now) => field.Type switch
    {
        FieldTypes.Text => field.Key == "title" ? "模拟事项" : Reason,
        FieldTypes.Textarea or FieldTypes.Opinion => "模拟办理情况",
        FieldTypes.Number => field.Min ?? 1,
        FieldTypes.Date => (scenario.DueDate ?? ChinaTime.DateOf(now).AddDays(14)).ToString("yyyy-MM-dd"),
        FieldTypes.DateRange => new JsonArray(ChinaTime.DateOf(now).ToString("yyyy-MM-dd"), (scenario.DueDate ?? ChinaTime.DateOf(now).AddDays(14)).ToString("yyyy-MM-dd")),
        FieldTypes.Select or FieldTypes.Radio => field.Options is [var o, ..] ? o.Value : null,
        FieldTypes.MultiSelect or FieldTypes.Checkbox => field.Options is [var o, ..] ? new JsonArray(o.Value) : null,
        FieldTypes.Unit => scenario.Units is [var u, ..] ? (field.Multiple ? new JsonArray(u) : u) : null,
        FieldTypes.Person => PersonFor(field) is { } person ? (field.Multiple ? new JsonArray(person) : person) : null,
        FieldTypes.Table => new JsonArray(Row(field, now)),
        _ => null,
    };

    /// <summary>One row of a sub-table, its columns filled as fields are.</summary>
    private JsonObject Row(FormField table, DateTimeOffset now)
    {
        var row = new JsonObject();
        foreach (var column in table.Columns ?? [])
            if (column.Type != FieldTypes.Table && ValueFor(column, now) is { } value) row[column.Key] = value;
        return row;
    }

    private List<CurrentUser> _people = [];

    /// <summary>Someone of the organization for a person field: a leader for a field about leaders, else the office.</summary>
    private string? PersonFor(FormField field)
    {
        var role = field.Label.Contains("领导", StringComparison.Ordinal) ? Roles.Leader : Roles.Supervisor;
        return (_people.FirstOrDefault(p => p.IsInRole(role)) ?? _people.FirstOrDefault())?.Id;
    }

    /// <summary>
    /// A required attachments field gets a one-line text file, uploaded as <paramref name="user"/> would upload it — into
    /// the installation's own attachment folder (a sandbox's is in its temporary folder).
    /// </summary>
    private async Task AttachAsync(JsonObject data, FormDefinition? form, Guid? instanceId, CurrentUser user, CancellationToken ct)
    {
        foreach (var field in form?.Fields.Where(f => f.Type == FieldTypes.Attachments && f.Required && !data.ContainsKey(f.Key)) ?? [])
        {
            await using var scope = services.CreateAsyncScope();
            using var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes("模拟运行生成的附件"));
            try
            {
                var file = await scope.ServiceProvider.GetRequiredService<Duban.Data.Attachments.AttachmentUploads>()
                    .UploadAsync(instanceId, user, "模拟附件.txt", "text/plain", content, 1024, ct);
                data[field.Key] = new JsonArray(new JsonObject { ["id"] = file.Id.ToString(), ["name"] = file.FileName });
            }
            catch (Exception e) when (e is WorkflowInputException or ForbiddenException or NotFoundException)
            {
                // The step then says the field is missing, and the walk notes it.
            }
        }
    }

    /// <summary>
    /// Mends what a refused submission named: a field the walk filled and the step may not change is taken out, a missing
    /// one is filled. False when there is nothing more to mend.
    /// </summary>
    private static bool Fill(JsonObject data, FormDefinition? form, WorkflowInputException e, DateTimeOffset now, HashSet<(string, string)> mended, Func<FormField, DateTimeOffset, JsonNode?> valueFor)
    {
        var filled = false;
        foreach (var error in e.Errors)
        {
            if (data.ContainsKey(error.Field) && data[error.Field] is not null)
            {
                if (mended.Add((error.Field, "out")))
                {
                    data.Remove(error.Field);
                    filled = true;
                }
                continue;
            }
            if (!mended.Add((error.Field, "in"))) continue;
            var field = form?.Fields.FirstOrDefault(f => f.Key == error.Field);
            JsonNode? value = field is not null ? valueFor(field, now)
                : error.Field.EndsWith("At", StringComparison.Ordinal) || error.Field.Contains("date", StringComparison.OrdinalIgnoreCase)
                    ? ChinaTime.DateOf(now).ToString("yyyy-MM-dd") : Reason;
            if (value is null) continue;
            data[error.Field] = value;
            filled = true;
        }
        return filled;
    }

    private static string Describe(WorkflowInputException e) =>
        string.Join("；", e.Errors.Select(x => x.Message).DefaultIfEmpty(e.Message));

    // ---- one pass over the open tasks --------------------------------------------------------------------------

    private async Task<bool> ActAsync(Guid rootId, DateTimeOffset now, CancellationToken ct)
    {
        var today = ChinaTime.DateOf(now);
        var snapshot = await OrganizationAsync(ct);
        var org = snapshot.Within(organizationId);
        var calendar = snapshot.CalendarOf(organizationId);
        var people = _people = await PeopleAsync(ct);
        List<TaskRecord> open;
        Dictionary<Guid, InstanceRecord> instances;
        Dictionary<Guid, ExtensionRecord> extensions;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var ids = new List<Guid> { rootId };
            for (var level = 0; level < 5; level++)
            {
                var children = await db.Instances.AsNoTracking().Where(i => i.ParentInstanceId != null && ids.Contains(i.ParentInstanceId.Value) && !ids.Contains(i.Id))
                    .Select(i => i.Id).ToListAsync(ct);
                if (children.Count == 0) break;
                ids.AddRange(children);
            }
            instances = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
            open = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId) && t.Status == HumanTaskStatus.Open)
                .OrderBy(t => t.CreatedAt).ThenBy(t => t.Sequence).ToListAsync(ct);
            extensions = await db.Set<ExtensionRecord>().AsNoTracking().Where(x => ids.Contains(x.InstanceId) && x.ApprovalTaskId != null)
                .ToDictionaryAsync(x => x.ApprovalTaskId!.Value, ct);
        }
        var acted = false;
        foreach (var task in open)
        {
            if (_given.Contains(task.Id)) continue;
            if (_acts >= MostActs) return false;
            var instance = instances[task.InstanceId];
            var actor = people.FirstOrDefault(p => p.CanAct(task, org) && (task.CandidateUnitId is null || p.UnitId == task.CandidateUnitId));
            if (actor is null)
            {
                Note(now, $"「{task.Name}」没有可以办理的人员，模拟中无人办理", task.CandidateUnitId);
                continue;
            }
            if (await ActOnAsync(task, instance, task.ActivityId, actor, extensions, today, now, calendar, ct)) { acted = true; _acts++; }
        }
        return acted;
    }

    private async Task<bool> ActOnAsync(TaskRecord task, InstanceRecord instance, string step, CurrentUser actor,
        Dictionary<Guid, ExtensionRecord> extensions, DateOnly today, DateTimeOffset now, WorkCalendar calendar, CancellationToken ct)
    {
        if (task.Kind == TaskKind.Notice)
            return await RunAsync(task, new ReadNotice(task.Id, actor, null), now, ct);
        if (task.ActivityId == ExtensionApproval.ActivityId)
        {
            // The behaviour of the unit at the step it asked for: approved unless the scenario says not.
            var asker = extensions.TryGetValue(task.Id, out var extension) ? extension.UnitId : null;
            var askedAt = asker is not null && _extensionSteps.TryGetValue((extension!.InstanceId, asker), out var at) ? at : "";
            var approve = scenario.For(asker, askedAt).Approved != false;
            return await CompleteAsync(task, actor, approve ? ExtensionApproval.Approve : ExtensionApproval.Reject, null, now, ct);
        }
        if (task.ActivityId == Chases.ActionActivity)
            return await CompleteAsync(task, actor, Chases.RecordOutcome, null, now, ct);
        if (task.ActivityId == Chases.ReplyActivity)
        {
            if (scenario.For(task.CandidateUnitId ?? actor.UnitId, step).Kind == Behaviours.Never) return Wait(task);
            return await CompleteAsync(task, actor, Chases.ReplyOutcome, null, now, ct);
        }
        if (task.BookmarkId is null)
            return await CompleteAsync(task, actor, FirstOutcome(task), null, now, ct);

        if (task.CandidateUnitId is { } unitId)
        {
            var behaviour = scenario.For(unitId, step);
            var due = task.DueAt is { } d ? ChinaTime.DateOf(d) : (DateOnly?)null;
            switch (behaviour.Kind)
            {
                case Behaviours.Never:
                    return Wait(task);
                case Behaviours.Extension when !_asked.Contains(task.Id) && due is { } current:
                    _asked.Add(task.Id);
                    var asked = calendar.AddWorkingDays(current, behaviour.Days ?? 1);
                    if (await RunAsync(task, new RequestExtension(instance.Id, actor, "（模拟）工作量大，申请延期", asked.ToString("yyyy-MM-dd")), now, ct))
                    {
                        _extensionDates[(instance.Id, unitId)] = asked;
                        _extensionSteps[(instance.Id, unitId)] = step;
                        return true;
                    }
                    return false;
            }
            var target = behaviour.Kind switch
            {
                Behaviours.Late when due is { } late => calendar.AddWorkingDays(late, behaviour.Days ?? 1),
                Behaviours.Extension when _extensionDates.TryGetValue((instance.Id, unitId), out var asked) && due is { } current => asked > current ? asked : current,
                _ => due ?? today,
            };
            if (today < target) return false;
            return await CompleteAsync(task, actor, FirstOutcome(task), null, now, ct);
        }

        // The office's (or a leader's) own step: agreed and passed on the day — or the unit's work sent back.
        var back = await ToSendBackAsync(instance, ct);
        if (back is { } unitStep)
        {
            var outcomes = Outcomes(task);
            var port = outcomes.FirstOrDefault(o => o.Contains("退回", StringComparison.Ordinal));
            _returned[unitStep] = _returned.GetValueOrDefault(unitStep) + 1;
            return port is not null
                ? await CompleteAsync(task, actor, port, null, now, ct)
                : await RunAsync(task, new ReturnTask(task.Id, actor, unitStep.Step, "（模拟）办理情况不完整，退回重办"), now, ct);
        }
        return await CompleteAsync(task, actor, FirstOutcome(task), null, now, ct);
    }

    /// <summary>The unit step just submitted that the scenario sends back once more; null when none.</summary>
    private async Task<(string Unit, string Step)?> ToSendBackAsync(InstanceRecord instance, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var last = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Tasks.AsNoTracking()
            .Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Completed && t.BookmarkId != null && t.CandidateUnitId != null)
            .OrderByDescending(t => t.CompletedAt).ThenByDescending(t => t.Sequence).FirstOrDefaultAsync(ct);
        if (last is null) return null;
        var behaviour = scenario.For(last.CandidateUnitId, last.ActivityId);
        var key = (last.CandidateUnitId!, last.ActivityId);
        return behaviour.Kind == Behaviours.Returned && _returned.GetValueOrDefault(key) < (behaviour.Times ?? 1) ? key : null;
    }

    private bool Wait(TaskRecord task)
    {
        _given.Add(task.Id);
        return false;
    }

    private static List<string> Outcomes(TaskRecord task)
    {
        try { return JsonSerializer.Deserialize<List<string>>(task.OutcomesJson) ?? []; }
        catch (JsonException) { return []; }
    }

    /// <summary>The outcome that carries the work on: the first that does not refuse or send back.</summary>
    private static string? FirstOutcome(TaskRecord task)
    {
        var outcomes = Outcomes(task);
        return outcomes.FirstOrDefault(o => !o.Contains('不') && !o.Contains("退回", StringComparison.Ordinal) && !o.Contains("驳回", StringComparison.Ordinal))
            ?? outcomes.FirstOrDefault();
    }

    private async Task<bool> CompleteAsync(TaskRecord task, CurrentUser actor, string? outcome, JsonObject? data, DateTimeOffset now, CancellationToken ct)
    {
        data ??= [];
        FormDefinition? form = null;
        if (task.FormId is not null)
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == task.InstanceId, ct);
            var record = await db.Definitions.AsNoTracking().SingleAsync(d => d.Id == instance.DefinitionRecordId, ct);
            form = scope.ServiceProvider.GetRequiredService<DefinitionStore>().Parse(record).FindForm(task.FormId);
        }
        await AttachAsync(data, form, task.InstanceId, actor, ct);
        var mended = new HashSet<(string, string)>();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(
                    new CompleteTask(task.Id, actor, new TaskSubmission(outcome, data, "（模拟）")), ct);
                return true;
            }
            catch (WorkflowInputException e) when (attempt < 6 && Fill(data, form, e, now, mended, ValueFor))
            {
            }
            catch (Exception e) when (e is WorkflowInputException or WorkflowConflictException or ForbiddenException or NotFoundException)
            {
                Note(now, $"「{task.Name}」无法办理：{(e is WorkflowInputException input ? Describe(input) : e.Message)}", task.CandidateUnitId);
                _given.Add(task.Id);
                return false;
            }
        }
    }

    private async Task<bool> RunAsync<T>(TaskRecord task, IWrite<T> write, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(write, ct);
            return true;
        }
        catch (Exception e) when (e is WorkflowInputException or WorkflowConflictException or ForbiddenException or NotFoundException)
        {
            Note(now, $"「{task.Name}」：{(e is WorkflowInputException input ? Describe(input) : e.Message)}", task.CandidateUnitId);
            return false;
        }
    }

    private void Note(DateTimeOffset at, string text, string? unitId)
    {
        if (!_notes.Any(n => n.Text == text)) _notes.Add(new WalkNote(at, text, unitId));
    }
}
