using System.Globalization;
using System.Text.RegularExpressions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;

namespace Duban.Server.Ledger;

/// <summary>Which date a date range filters on.</summary>
public enum LedgerDateField
{
    CreatedAt,
    FinishedAt,
    DueAt,
}

/// <summary>
/// What the ledger is asked for, read from the query string and checked: every bad value is a 400 naming its
/// parameter, in Chinese. The same filter drives the page (<c>GET /api/ledger</c>) and the export.
/// </summary>
public sealed partial record LedgerFilter
{
    public string? Q { get; init; }
    public string? DefinitionId { get; init; }
    public string? UnitId { get; init; }
    public LedgerStatus? Status { get; init; }
    public string? Light { get; init; }
    public LedgerDateField DateField { get; init; } = LedgerDateField.CreatedAt;
    /// <summary>First day included (China time).</summary>
    public DateOnly? From { get; init; }
    /// <summary>Last day included (China time).</summary>
    public DateOnly? To { get; init; }
    /// <summary>来源: the item's source field (each procedure's own, decision 033) equals (or, for a list, contains) the value.</summary>
    public string? Source { get; init; }
    /// <summary>Form field filters: the item's data at the key equals (or, for a list, contains) the value.</summary>
    public IReadOnlyList<(string Key, string Value)> FieldFilters { get; init; } = [];
    /// <summary>按期 / 逾期办结: completed items finished by their deadline (or without one), or after it (decision 041).</summary>
    public string? Timeliness { get; init; }
    public string Sort { get; init; } = "createdAt";
    public bool Descending { get; init; } = true;
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;
    /// <summary>Keyset paging: the <c>nextCursor</c> of the page before (opaque; checked where the list is read).</summary>
    public string? After { get; init; }
    /// <summary>Form fields whose display values the rows carry.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    public const int MaxFieldFilters = 5;
    public const int MaxFields = 20;

    public static readonly IReadOnlyList<string> SortKeys = ["number", "title", "definitionName", "status", "createdAt", "updatedAt", "finishedAt", "dueAt"];

    /// <summary>Field keys as forms allow them: letters, digits, underscore (checked again here: they reach SQL as JSON paths).</summary>
    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,99}$")]
    internal static partial Regex FieldKeyPattern();

    public static LedgerFilter Parse(IQueryCollection query)
    {
        var errors = new List<FieldError>();
        string? Text(string name, int max)
        {
            var value = query[name].ToString().Trim();
            if (value.Length == 0) return null;
            if (value.Length > max) errors.Add(new(name, $"{name} 不超过 {max} 个字符"));
            return value;
        }
        DateOnly? Date(string name, string label)
        {
            var value = Text(name, 10);
            if (value is null) return null;
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            errors.Add(new(name, $"{label}应为 yyyy-MM-dd 格式的日期"));
            return null;
        }
        int? Number(string name, string label)
        {
            var value = Text(name, 9);
            if (value is null) return null;
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
            errors.Add(new(name, $"{label}应为正整数"));
            return null;
        }

        LedgerStatus? status = null;
        if (Text("status", 20) is { } s)
        {
            status = s switch
            {
                "open" => LedgerStatus.Open,
                "completed" => LedgerStatus.Completed,
                "cancelled" => LedgerStatus.Cancelled,
                "faulted" => LedgerStatus.Faulted,
                _ => null,
            };
            if (status is null) errors.Add(new("status", "状态只能是 open（办理中）、completed（已办结）、cancelled（已取消）或 faulted（异常）"));
        }

        var light = Text("light", 10);
        if (light is not (null or "red" or "yellow" or "green"))
            errors.Add(new("light", "状态灯只能是 green（正常）、yellow（临期）或 red（超期）"));

        var timeliness = Text("timeliness", 10);
        if (timeliness is not (null or "onTime" or "late"))
            errors.Add(new("timeliness", "办结时效只能是 onTime（按期办结）或 late（逾期办结）"));

        var dateField = LedgerDateField.CreatedAt;
        if (Text("dateField", 20) is { } df)
        {
            switch (df)
            {
                case "createdAt": dateField = LedgerDateField.CreatedAt; break;
                case "finishedAt": dateField = LedgerDateField.FinishedAt; break;
                case "dueAt": dateField = LedgerDateField.DueAt; break;
                default: errors.Add(new("dateField", "日期类型只能是 createdAt（登记时间）、finishedAt（办结时间）或 dueAt（办理期限）")); break;
            }
        }
        var from = Date("from", "开始日期");
        var to = Date("to", "结束日期");
        if (from is { } f && to is { } t && f > t) errors.Add(new("to", "结束日期不能早于开始日期"));

        var sort = Text("sort", 30) ?? "createdAt";
        if (!SortKeys.Contains(sort)) errors.Add(new("sort", $"不能按「{sort}」排序，可选：{string.Join("、", SortKeys)}"));
        var order = Text("order", 10);
        if (order is not (null or "asc" or "desc")) errors.Add(new("order", "排序方向只能是 asc（升序）或 desc（降序）"));

        var fieldFilters = new List<(string, string)>();
        foreach (var (name, values) in query)
        {
            if (!name.StartsWith("f.", StringComparison.Ordinal)) continue;
            var key = name[2..];
            if (!FieldKeyPattern().IsMatch(key)) { errors.Add(new(name, $"表单字段「{key}」无效")); continue; }
            foreach (var raw in values)
            {
                var value = raw?.Trim() ?? "";
                if (value.Length == 0) continue;
                if (value.Length > 200) errors.Add(new(name, "筛选值不超过 200 个字符"));
                else fieldFilters.Add((key, value));
            }
        }
        if (fieldFilters.Count > MaxFieldFilters) errors.Add(new("f", $"表单字段筛选最多 {MaxFieldFilters} 个"));

        var fields = new List<string>();
        foreach (var raw in query["fields"])
            foreach (var key in (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!FieldKeyPattern().IsMatch(key)) errors.Add(new("fields", $"表单字段「{key}」无效"));
                else if (!fields.Contains(key)) fields.Add(key);
            }
        if (fields.Count > MaxFields) errors.Add(new("fields", $"表单字段列最多 {MaxFields} 个"));

        var page = Number("page", "页码");
        var pageSize = Number("pageSize", "每页条数");
        var q = Text("q", 200);
        var source = Text("source", 200);
        var definitionId = Text("definitionId", 100);
        var unitId = Text("unitId", 64);
        var after = Text(PageCursor.Parameter, 2000);
        if (errors.Count > 0) throw new WorkflowInputException("台账筛选条件有误", errors);

        var (p, size) = Paging.Normalize(page, pageSize);
        return new LedgerFilter
        {
            Q = q,
            DefinitionId = definitionId,
            UnitId = unitId,
            Status = status,
            Light = light,
            Timeliness = timeliness,
            DateField = dateField,
            From = from,
            To = to,
            FieldFilters = fieldFilters,
            Source = source,
            Sort = sort,
            // Dates newest first by default; names and numbers A→Z.
            Descending = order is null ? sort is "createdAt" or "updatedAt" or "finishedAt" : order == "desc",
            Page = p,
            PageSize = size,
            After = after,
            Fields = fields,
        };
    }
}
