using System.Text.Json.Serialization;
using Duban.Engine;

namespace Duban.Server.Ledger;

/// <summary>An item's state as the ledger names it: 办理中 / 已办结 / 已取消 / 异常.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<LedgerStatus>))]
public enum LedgerStatus
{
    /// <summary>办理中: running or waiting, without an incident.</summary>
    Open,
    /// <summary>已办结.</summary>
    Completed,
    /// <summary>已取消 (撤销).</summary>
    Cancelled,
    /// <summary>异常: stopped by an incident an administrator must look at.</summary>
    Faulted,
}

/// <summary>A step that is open on the item, and who holds it (a person, or a unit / role still to claim it).</summary>
public sealed record LedgerStep(string Name, string? Holder);

/// <summary>One row of the 台账.</summary>
/// <param name="Units">The handling units by name, 交办's 主办 first. The registering unit only when a step was offered to
/// it; empty while no unit has been given the item.</param>
/// <param name="UnitRoles">For units given the item by 交办: unit name → <c>lead</c> (主办) or <c>co</c> (协办).</param>
/// <param name="DueAt">The nearest deadline among the item's open steps; null when none has one or the item is closed.</param>
/// <param name="Light">The worst light among the item's open steps (red, yellow, green); null as for <paramref name="DueAt"/>.</param>
/// <param name="Fields">Display text of the form fields asked for with <c>fields=</c>, by field key (option labels, unit names…).</param>
public sealed record LedgerRow(
    Guid Id, string? Number, string Title, string DefinitionId, string DefinitionName, LedgerStatus Status, string? Result,
    string? Incident, string? InitiatorName, string? InitiatorUnitName, IReadOnlyList<string> Units, IReadOnlyDictionary<string, string> UnitRoles,
    IReadOnlyList<LedgerStep> CurrentSteps,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, DateTimeOffset? DueAt, string? Light,
    IReadOnlyDictionary<string, string?> Fields)
{
    /// <summary><see cref="DueAt"/> falls in a year whose holiday notice is not loaded yet: it may still move (暂定).</summary>
    public bool Provisional { get; init; }

    /// <summary>来源: the display text of the start form's source field (marked in the form designer, or by default; decision 033).</summary>
    public string? Source { get; init; }

    /// <summary>立卷归档: when the item was archived; it is read-only since (decision 047).</summary>
    public DateTimeOffset? ArchivedAt { get; init; }
}

/// <summary>A form field the ledger can show as a column, and filter on when it has options.</summary>
/// <param name="Key">The key in the item's data; the filter parameter is <c>f.{key}</c>, the export column <c>f.{key}</c>.</param>
/// <param name="DefinitionIds">The procedure types whose published form has this field.</param>
public sealed record LedgerField(string Key, string Label, string Type, IReadOnlyList<LedgerFieldOption> Options, bool Filterable, IReadOnlyList<string> DefinitionIds);

public sealed record LedgerFieldOption(string Value, string Label);

/// <summary>A fixed ledger column: its key (for <c>columns=</c> and <c>sort=</c>) and its Chinese header.</summary>
public sealed record LedgerColumn(string Key, string Title, bool Sortable);

/// <summary>What the ledger screen needs to build its columns and filters.</summary>
/// <param name="Fields">Form fields from the published procedure types, usable as columns (<c>f.{key}</c>) and, with options, as filters.</param>
/// <param name="MaxExportRows">The most rows one export writes.</param>
/// <param name="SourceOptions">The values the 来源 filter (<c>source=</c>) offers: the options of every published procedure's
/// source field, merged by value; empty when no procedure's source is a choice.</param>
public sealed record LedgerMeta(IReadOnlyList<LedgerColumn> Columns, IReadOnlyList<string> DefaultColumns, IReadOnlyList<LedgerField> Fields, int MaxExportRows,
    IReadOnlyList<LedgerFieldOption> SourceOptions);
