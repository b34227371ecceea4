using Duban.Data.Reports;

namespace Duban.Server.Tests.Documents;

/// <summary>When a scheduled 督查专报 runs and which period it reports (decision 048): the week, month or quarter before.</summary>
public sealed class ReportPeriodsTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    [Fact]
    public void A_quarterly_report_runs_in_each_quarters_first_month_for_the_quarter_before()
    {
        Assert.Equal(D(2027, 1, 5), ReportPeriods.NextRun(ReportFrequency.Quarterly, 5, D(2026, 12, 7)));
        Assert.Equal(D(2026, 10, 5), ReportPeriods.NextRun(ReportFrequency.Quarterly, 5, D(2026, 10, 5)));
        Assert.Equal(D(2027, 1, 5), ReportPeriods.NextRun(ReportFrequency.Quarterly, 5, D(2026, 10, 6)));
        Assert.Equal((D(2026, 10, 1), D(2026, 12, 31)), ReportPeriods.PastPeriod(ReportFrequency.Quarterly, D(2027, 1, 5)));
        Assert.Equal((D(2026, 4, 1), D(2026, 6, 30)), ReportPeriods.PastPeriod(ReportFrequency.Quarterly, D(2026, 7, 1)));
    }

    [Fact]
    public void Weekly_and_monthly_reports_keep_their_periods()
    {
        // 2026-12-07 is a Monday.
        Assert.Equal(D(2026, 12, 7), ReportPeriods.NextRun(ReportFrequency.Weekly, 1, D(2026, 12, 7)));
        Assert.Equal(D(2026, 12, 11), ReportPeriods.NextRun(ReportFrequency.Weekly, 5, D(2026, 12, 7)));
        Assert.Equal((D(2026, 11, 30), D(2026, 12, 6)), ReportPeriods.PastPeriod(ReportFrequency.Weekly, D(2026, 12, 7)));
        Assert.Equal(D(2027, 1, 3), ReportPeriods.NextRun(ReportFrequency.Monthly, 3, D(2026, 12, 7)));
        Assert.Equal((D(2026, 11, 1), D(2026, 11, 30)), ReportPeriods.PastPeriod(ReportFrequency.Monthly, D(2026, 12, 3)));
    }
}
