namespace Duban.Server.Dashboards;

/// <summary>
/// One number on the dashboard, with the 台账 filter that lists exactly the items it counts: open
/// <c>/ledger?{Query}</c> and the ledger shows <see cref="Count"/> rows.
/// </summary>
/// <param name="Key">What the figure is of: a status, light, unit id, source value, procedure id or month (yyyy-MM).</param>
/// <param name="Query">The ledger's query string (without <c>?</c>) that reproduces the figure.</param>
public sealed record DashboardFigure(string Key, string Label, int Count, string Query);

/// <summary>A handling unit's figures: its items (and those of the units under it, as the ledger's unit filter counts).</summary>
/// <param name="Open">办理中.</param>
/// <param name="Overdue">办理中 and red: past a deadline.</param>
/// <param name="Completed">已办结.</param>
/// <param name="OnTime">已办结 by the item's deadline (as extended), or without one.</param>
/// <param name="OnTimeRate">按期办结率: <see cref="OnTime"/> ÷ <see cref="Completed"/>, 0–100 with one decimal; null with nothing completed.</param>
public sealed record DashboardUnit(string UnitId, string UnitName, DashboardFigure Open, DashboardFigure Overdue, DashboardFigure Completed,
    DashboardFigure OnTime, double? OnTimeRate);

/// <summary>A month's 登记 and 办结 (China time).</summary>
public sealed record DashboardMonth(string Month, DashboardFigure Registered, DashboardFigure Closed);

/// <summary>
/// The 领导驾驶舱 / 督查室 dashboard: counts over the items the viewer's ledger shows him (decision 041), each with the
/// ledger filter behind it.
/// </summary>
/// <param name="Query">The dashboard's own filter as a ledger query string (procedure, unit, period), which every figure's query extends.</param>
/// <param name="Total">Every item under the filter.</param>
/// <param name="Units">Units given items, by open items then name.</param>
/// <param name="Months">The trend's last twelve months, oldest first; the period filter does not narrow it.</param>
public sealed record DashboardView(DateTimeOffset GeneratedAt, string Query, DashboardFigure Total, IReadOnlyList<DashboardFigure> ByStatus,
    IReadOnlyList<DashboardFigure> ByLight, IReadOnlyList<DashboardUnit> Units, IReadOnlyList<DashboardFigure> BySource,
    IReadOnlyList<DashboardFigure> ByDefinition, IReadOnlyList<DashboardMonth> Months);
