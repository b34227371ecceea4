using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Documents;

/// <summary>One placeholder an administrator may type, and what it becomes.</summary>
public sealed record PlaceholderInfo(string Name, string Description, string Group);

/// <summary>
/// The values of an item's documents: the built-in placeholders (事项编号, 主办单位, 完成时限 …), every field of the
/// item's procedure by its label and by its key, each sub-table field as a table (「{{表名.列名}}」), the item's opinions
/// (意见列表) and its course (办理过程) as tables. Only the office (督查员) and administrators generate documents, and they
/// read every field of an item they see (decision 034), so nothing here is cut per viewer.
/// </summary>
public static class ItemDocumentValues
{
    public const string Number = "文号";
    public const string Recipients = "送达单位";

    public static readonly IReadOnlyList<PlaceholderInfo> BuiltIn =
    [
        new("单位名称", "本单位（组织）名称", "通用"),
        new(Number, "文书自己的文号（模板设置了文号规则时生成）", "通用"),
        new("生成日期", "生成文书的日期（2026年3月2日）", "通用"),
        new(Recipients, "文书送达的单位：流程自动生成时为收到文书的主办、协办单位或被催办单位；手动生成时为全部承办单位", "通用"),
        new("事项编号", "事项的统一编号", "事项"),
        new("事项标题", "事项标题", "事项"),
        new("流程名称", "事项所用流程", "事项"),
        new("登记人", "登记事项的人", "事项"),
        new("登记单位", "登记人所在单位", "事项"),
        new("登记日期", "登记日期", "事项"),
        new("完成时限", "事项的完成时限（延期后为新时限）", "事项"),
        new("状态", "办理中、已办结、已撤销……", "事项"),
        new("办理结果", "办结时的结果", "事项"),
        new("主办单位", "交办的主办单位", "单位"),
        new("协办单位", "交办的协办单位（多个用顿号分开）", "单位"),
        new("承办单位", "主办和协办单位", "单位"),
        new("催办次数", "对本事项催办的次数（撤回的不算）", "催办"),
        new("意见", "全部意见，每条一行：内容（签署人，单位，时间）", "意见"),
        new("意见列表.内容", "表格行：每条意见一行；列：环节、内容、签署人、单位、时间", "意见"),
        new("办理过程.时间", "表格行：办理过程每步一行；列：时间、环节、办理人、结果、说明", "办理过程"),
        new(DocxFiller.RowNumber, "表格行里：行号", "表格"),
    ];

    /// <summary>The placeholders of a procedure's fields: a field by its label; a sub-table's columns as 「表名.列名」.</summary>
    public static IEnumerable<PlaceholderInfo> ForDefinition(WorkflowDefinition definition)
    {
        foreach (var field in Fields(definition))
        {
            if (field.Type == FieldTypes.Table)
                foreach (var column in field.Columns ?? [])
                    yield return new($"{field.Label}.{column.Label}", $"子表「{field.Label}」每行一行（也可写 {field.Key}.{column.Key}）", definition.Name);
            else
                yield return new(field.Label, field.Type == FieldTypes.Opinion ? $"意见「{field.Label}」：每条一行，带签署人和时间" : $"字段（也可写 {field.Key}）", definition.Name);
        }
    }

    /// <summary>Every field of every form of the procedure, once per key (the first form that has it says what it is).</summary>
    internal static IEnumerable<FormField> Fields(WorkflowDefinition definition)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var form in definition.Forms)
            foreach (var field in form.Fields)
                if (seen.Add(field.Key)) yield return field;
    }

    public static async Task<DocumentValues> BuildAsync(DubanDbContext db, OrganizationSnapshot organization, InstanceRecord instance,
        WorkflowDefinition definition, string? number, DateTimeOffset now, CancellationToken ct, IReadOnlyList<string>? recipients = null)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(definition);
        var org = organization.Within(instance.OrganizationId);
        var state = Runtime.ItemWriter.StateOf(instance);
        var values = new DocumentValues();
        values.Set(organization.FindUnit(instance.OrganizationId)?.Name ?? "", "单位名称");
        values.Set(number ?? "", Number);
        values.Set(Date(now), "生成日期");
        values.Set(instance.Number ?? "", "事项编号");
        values.Set(instance.Title, "事项标题");
        values.Set(instance.DefinitionName, "流程名称");
        values.Set(instance.InitiatorName ?? "", "登记人");
        values.Set(instance.InitiatorUnitId is { } u ? org.FindUnit(u)?.Name ?? "" : "", "登记单位");
        values.Set(Date(instance.CreatedAt), "登记日期");
        values.Set(instance.DueAt is { } due ? Date(due) : "", "完成时限");
        values.Set(StatusName(instance.Status), "状态");
        values.Set(instance.Result ?? "", "办理结果");

        var assigned = await AssignedAsync(db, instance.Id, ct);
        string Units(IEnumerable<string> ids) => string.Join("、", ids.Distinct().Select(id => org.FindUnit(id)?.Name ?? id));
        values.Set(Units(assigned.Where(a => a.Role == "lead").Select(a => a.UnitId)), "主办单位");
        values.Set(Units(assigned.Where(a => a.Role == "co").Select(a => a.UnitId)), "协办单位");
        values.Set(Units(assigned.Select(a => a.UnitId)), "承办单位");
        values.Set(Units(recipients ?? assigned.Select(a => a.UnitId)), Recipients);

        // A document generated by the event that also wrote these lines (decision 047) reads them from the unit of work.
        var journal = (await ItemJournal.OfItemAsync(db, instance.Id, ct))
            .Concat(db.Journal.Local.Where(j => j.InstanceId == instance.Id && j.Id <= 0)).ToList();
        var chases = journal.Count(j => j.Kind == JournalKind.Chased) - journal.Count(j => j.Kind == JournalKind.ChaseCancelled);
        values.Set(Math.Max(chases, 0).ToString(CultureInfo.InvariantCulture), "催办次数");

        var opinions = new List<IReadOnlyDictionary<string, string>>();
        foreach (var field in Fields(definition))
        {
            var value = state.Data[field.Key];
            switch (field.Type)
            {
                case FieldTypes.Table:
                    var rows = (value as JsonArray ?? []).OfType<JsonObject>().Select(row =>
                    {
                        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
                        foreach (var column in field.Columns ?? [])
                        {
                            var text = Text(column, row[column.Key], org);
                            cells.TryAdd(column.Label, text);
                            cells.TryAdd(column.Key, text);
                        }
                        return (IReadOnlyDictionary<string, string>)cells;
                    }).ToList();
                    values.SetTable(rows, field.Label, field.Key);
                    values.Set(rows.Count.ToString(CultureInfo.InvariantCulture), field.Label, field.Key);
                    break;
                case FieldTypes.Opinion:
                    var entries = (value as JsonArray ?? (value is null ? [] : new JsonArray(value.DeepClone()))).Select(e => Opinion(field, e)).ToList();
                    opinions.AddRange(entries);
                    values.Set(string.Join("\n", entries.Select(Line)), field.Label, field.Key);
                    break;
                default:
                    values.Set(Text(field, value, org), field.Label, field.Key);
                    break;
            }
        }
        opinions.Sort((a, b) => string.CompareOrdinal(a["at"], b["at"]));
        values.Set(string.Join("\n", opinions.Select(Line)), "意见");
        values.SetTable(opinions, "意见列表");

        var course = journal.Where(j => j.Kind is JournalKind.InstanceStarted or JournalKind.TaskCompleted or JournalKind.Chased or JournalKind.ChaseReplied
                or JournalKind.ExtensionApproved or JournalKind.ExtensionRejected or JournalKind.DocumentGenerated or JournalKind.InstanceCompleted or JournalKind.InstanceCancelled)
            .Select(j => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["时间"] = DateTime(j.At),
                ["环节"] = j.ActivityName ?? KindName(j.Kind),
                ["办理人"] = j.ActorName ?? "",
                ["结果"] = j.Kind == JournalKind.TaskCompleted ? j.Outcome ?? "" : KindName(j.Kind),
                ["说明"] = j.Comment ?? "",
            }).ToList();
        values.SetTable(course, "办理过程");
        return values;
    }

    /// <summary>
    /// The item's units on its 交办 steps (主办 <c>lead</c>, 协办 <c>co</c>) that the office has not taken off, in the order
    /// they were assigned — those this write assigned included (they are in the unit of work, not yet in the database).
    /// </summary>
    public static async Task<IReadOnlyList<(string UnitId, string Role)>> AssignedAsync(DubanDbContext db, Guid instanceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var local = db.Set<Assignments.AssignmentRecord>().Local.Where(a => a.InstanceId == instanceId).ToList();
        var stored = await db.Set<Assignments.AssignmentRecord>().AsNoTracking().Where(a => a.InstanceId == instanceId).ToListAsync(ct);
        return stored.Where(s => local.All(l => l.TaskId != s.TaskId)).Concat(local)
            .Where(a => a.EndReason == null).OrderBy(a => a.AssignedAt).Select(a => (a.UnitId, a.Role)).ToList();
    }

    private static Dictionary<string, string> Opinion(FormField field, JsonNode? entry)
    {
        var at = entry?["at"]?.GetValue<string>();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["环节"] = entry?["step"]?.GetValue<string>() ?? field.Label,
            ["内容"] = entry is JsonObject o ? o["text"]?.GetValue<string>() ?? "" : entry?.ToString() ?? "",
            ["签署人"] = entry?["userName"]?.GetValue<string>() ?? "",
            ["单位"] = entry?["unitName"]?.GetValue<string>() ?? "",
            ["时间"] = at is not null && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? DateTime(t) : "",
            ["at"] = at ?? "",
        };
    }

    private static string Line(IReadOnlyDictionary<string, string> opinion) =>
        $"{opinion["内容"]}（{string.Join("，", new[] { opinion["签署人"], opinion["单位"], opinion["时间"] }.Where(s => s.Length > 0))}）";

    /// <summary>A field's value as a person writes it: option labels, unit and person names, dates in Chinese, file names.</summary>
    internal static string Text(FormField field, JsonNode? value, IOrganization org)
    {
        if (value is null) return "";
        string Label(JsonNode? v)
        {
            var s = Scalar(v);
            return field.Options?.FirstOrDefault(o => o.Value == s)?.Label ?? s;
        }
        switch (field.Type)
        {
            case FieldTypes.Date:
                return DateText(Scalar(value));
            case FieldTypes.DateRange when value is JsonArray range:
                return string.Join("至", range.Select(d => DateText(Scalar(d))));
            case FieldTypes.Unit:
                return string.Join("、", Many(value).Select(v => org.FindUnit(Scalar(v))?.Name ?? Scalar(v)));
            case FieldTypes.Person:
                return string.Join("、", Many(value).Select(v => org.FindUser(Scalar(v))?.DisplayName ?? Scalar(v)));
            case FieldTypes.Attachments:
                return string.Join("、", Many(value).Select(v => v?["name"]?.GetValue<string>() ?? ""));
            case FieldTypes.Checkbox when value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False:
                return b.GetValue<bool>() ? "是" : "否";
            default:
                return value is JsonArray many ? string.Join("、", many.Select(Label)) : Label(value);
        }
    }

    private static IEnumerable<JsonNode?> Many(JsonNode value) => value is JsonArray a ? a : new[] { value };

    private static string Scalar(JsonNode? value) => value switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonObject o when o["id"] is { } id => Scalar(id),
        _ => value.ToJsonString(),
    };

    private static string DateText(string iso) =>
        System.DateTime.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy年M月d日", CultureInfo.InvariantCulture)
            : iso;

    public static string Date(DateTimeOffset at) => at.ToOffset(NumberingOptions.ChinaOffset).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset at) => at.ToOffset(NumberingOptions.ChinaOffset).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string StatusName(WorkflowStatus status) => status switch
    {
        WorkflowStatus.Completed => "已办结",
        WorkflowStatus.Cancelled => "已撤销",
        WorkflowStatus.Faulted => "异常",
        _ => "办理中",
    };

    public static string KindName(JournalKind kind) => kind switch
    {
        JournalKind.InstanceStarted => "登记",
        JournalKind.TaskCompleted => "办理",
        JournalKind.Chased => "催办",
        JournalKind.ChaseReplied => "催办回复",
        JournalKind.ExtensionApproved => "同意延期",
        JournalKind.ExtensionRejected => "不同意延期",
        JournalKind.DocumentGenerated => "生成文书",
        JournalKind.InstanceCompleted => "办结",
        JournalKind.InstanceCancelled => "撤销",
        _ => kind.ToString(),
    };
}
