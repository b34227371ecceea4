using System.Data;
using Duban.Data.Instances;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.Extensions.Options;
using MiniExcelLibs;
using MiniExcelLibs.Attributes;
using MiniExcelLibs.OpenXml;

namespace Duban.Server.Ledger;

/// <summary>The ledger as an .xlsx file (MiniExcel): one sheet, Chinese headers, the chosen columns in the chosen order.</summary>
/// <summary>Configuration section <c>Duban:Ledger</c>.</summary>
public sealed class LedgerOptions
{
    /// <summary>Most rows one export writes; a larger selection is refused with a message asking to narrow it.</summary>
    public int MaxExportRows { get; set; } = 5000;
}

public sealed class LedgerExport(LedgerRows rows, LedgerTime time, TimeProvider clock, IOptions<LedgerOptions> options)
{
    public int MaxRows { get; } = Math.Max(1, options.Value.MaxExportRows);

    public const string ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly IReadOnlyList<LedgerColumn> Columns =
    [
        new("number", "编号", true),
        new("title", "事项名称", true),
        new("definitionName", "流程类型", true),
        new("source", "来源", false),
        new("status", "状态", true),
        new("currentSteps", "当前环节", false),
        new("units", "承办单位", false),
        new("initiatorName", "登记人", false),
        new("createdAt", "登记时间", true),
        new("dueAt", "办理期限", true),
        new("light", "状态灯", false),
        new("finishedAt", "办结时间", true),
        new("result", "办理结果", false),
        new("updatedAt", "最近更新", true),
    ];

    /// <summary>What a supervisor checks first, and what fits a 1366-pixel screen; the rest is a click away.</summary>
    public static readonly IReadOnlyList<string> DefaultColumns = ["number", "title", "definitionName", "units", "currentSteps", "dueAt", "light", "status"];

    /// <summary>Form field types that make sense as a column: short values, not opinions, files or tables.</summary>
    public static readonly IReadOnlySet<string> ColumnTypes = new HashSet<string>
    {
        FieldTypes.Text, FieldTypes.Number, FieldTypes.Date, FieldTypes.DateRange, FieldTypes.Select, FieldTypes.MultiSelect,
        FieldTypes.Radio, FieldTypes.Checkbox, FieldTypes.Unit, FieldTypes.Person, FieldTypes.Computed,
    };

    /// <summary>A column to write: a fixed one, or a form field (<see cref="FieldKey"/> set).</summary>
    public sealed record Column(string Key, string Title, string? FieldKey);

    /// <summary>The <c>columns</c> parameter checked: known keys only, each once; empty means the default set.</summary>
    public static List<Column> ParseColumns(string? value, IReadOnlyList<LedgerField> fields)
    {
        var keys = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (keys.Count == 0) keys = [.. DefaultColumns];
        var columns = new List<Column>();
        var errors = new List<FieldError>();
        foreach (var key in keys)
        {
            if (key.StartsWith("f.", StringComparison.Ordinal))
            {
                var fieldKey = key[2..];
                if (!LedgerFilter.FieldKeyPattern().IsMatch(fieldKey)) errors.Add(new("columns", $"列「{key}」无效"));
                else columns.Add(new(key, fields.FirstOrDefault(f => f.Key == fieldKey)?.Label ?? fieldKey, fieldKey));
            }
            else if (Columns.FirstOrDefault(c => c.Key == key) is { } fixedColumn) columns.Add(new(key, fixedColumn.Title, null));
            else errors.Add(new("columns", $"没有「{key}」这一列"));
        }
        if (columns.Count(c => c.FieldKey is not null) > LedgerFilter.MaxFields) errors.Add(new("columns", $"表单字段列最多 {LedgerFilter.MaxFields} 个"));
        if (errors.Count > 0) throw new WorkflowInputException("导出列有误", errors);
        return columns;
    }

    public string FileName() => $"督查台账-{time.Local(clock.GetUtcNow()):yyyyMMdd-HHmm}.xlsx";

    /// <summary>Writes the rows of <paramref name="query"/> as <paramref name="user"/> may read them (already counted: <paramref name="total"/> at most <see cref="MaxRows"/>).</summary>
    public async Task<byte[]> WriteAsync(Duban.Data.Organization.CurrentUser user, IQueryable<InstanceRecord> query, int total, IReadOnlyList<Column> columns, CancellationToken ct)
    {
        var fieldKeys = columns.Where(c => c.FieldKey is not null).Select(c => c.FieldKey!).Distinct().ToList();
        var ledgerRows = await rows.ReadAsync(user, query, 0, Math.Min(total, MaxRows), fieldKeys, ct);

        // Headers are the sheet's keys, so they must be unique: a form field labelled like a fixed column gets its key.
        var headers = new List<string>();
        foreach (var column in columns)
        {
            var header = column.Title;
            if (headers.Contains(header)) header = $"{column.Title}（{column.FieldKey ?? column.Key}）";
            headers.Add(header);
        }

        // A table, not a list of dictionaries: its columns are the header row even when no item matches.
        using var sheet = new DataTable("督查台账");
        for (var i = 0; i < columns.Count; i++) sheet.Columns.Add(headers[i], IsDate(columns[i]) ? typeof(DateTime) : typeof(string));
        foreach (var row in ledgerRows)
            sheet.Rows.Add(columns.Select(c => Cell(row, c) ?? DBNull.Value).ToArray());

        var configuration = new OpenXmlConfiguration
        {
            AutoFilter = true,
            DynamicColumns = columns.Select((c, i) => new DynamicExcelColumn(headers[i])
            {
                Width = Width(c),
                Format = IsDate(c) ? "yyyy-MM-dd HH:mm" : null,
            }).ToArray(),
        };
        using var stream = new MemoryStream();
        await stream.SaveAsAsync(sheet, printHeader: true, sheetName: "督查台账", excelType: ExcelType.XLSX, configuration: configuration, cancellationToken: ct);
        return stream.ToArray();
    }

    private static bool IsDate(Column c) => c.FieldKey is null && c.Key is "createdAt" or "dueAt" or "finishedAt" or "updatedAt";

    private static double Width(Column c) => c.Key switch
    {
        "title" => 40,
        "currentSteps" or "units" => 28,
        "number" or "definitionName" => 20,
        "createdAt" or "dueAt" or "finishedAt" or "updatedAt" => 18,
        "status" or "light" or "initiatorName" => 10,
        _ => 16,
    };

    private object? Cell(LedgerRow row, Column column) => column.Key switch
    {
        "number" => row.Number,
        "title" => row.Title,
        "definitionName" => row.DefinitionName,
        "status" => StatusText(row.Status),
        "currentSteps" => row.CurrentSteps.Count == 0 ? null
            : string.Join("；", row.CurrentSteps.Select(s => s.Holder is null ? s.Name : $"{s.Name}（{s.Holder}）")),
        "units" => row.Units.Count == 0 ? null : string.Join("、", row.Units.Select(u => row.UnitRoles.GetValueOrDefault(u) switch
        {
            "lead" => $"{u}（主办）",
            "co" => $"{u}（协办）",
            _ => u,
        })),
        "initiatorName" => row.InitiatorName,
        "source" => row.Source,
        "createdAt" => time.Local(row.CreatedAt),
        "dueAt" => row.DueAt is { } due ? time.Local(due) : null,
        "light" => LightText(row.Light),
        "finishedAt" => row.FinishedAt is { } finished ? time.Local(finished) : null,
        "result" => row.Result,
        "updatedAt" => time.Local(row.UpdatedAt),
        _ => column.FieldKey is { } key ? row.Fields.GetValueOrDefault(key) : null,
    };

    public static string StatusText(LedgerStatus status) => status switch
    {
        LedgerStatus.Open => "办理中",
        LedgerStatus.Completed => "已办结",
        LedgerStatus.Cancelled => "已取消",
        _ => "异常",
    };

    public static string? LightText(string? light) => light switch
    {
        "green" => "正常",
        "yellow" => "临期",
        "red" => "超期",
        _ => null,
    };
}
