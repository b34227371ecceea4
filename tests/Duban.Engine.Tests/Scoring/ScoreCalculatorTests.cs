using Duban.Engine.Scoring;

namespace Duban.Engine.Tests.Scoring;

/// <summary>Scores from logged events, with the county table as default.</summary>
public sealed class ScoreCalculatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static ScoreEvent E(string type, int day) => new(type, Start.AddDays(day), "fzc", null, null, "chase", day.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void A_unit_never_chased_keeps_three_points()
    {
        var score = ScoreCalculator.Compute(ScoringRules.CountyDefault, []);
        Assert.Equal(3m, score.Score);
        Assert.Equal(0m, score.Deducted);
    }

    [Fact]
    public void Each_event_costs_what_the_county_table_says()
    {
        var score = ScoreCalculator.Compute(ScoringRules.CountyDefault,
        [
            E(ScoreEventTypes.Phone, 1), E(ScoreEventTypes.WrittenNotice, 2), E(ScoreEventTypes.OnSite, 3),
            E(ScoreEventTypes.Redo, 4), E(ScoreEventTypes.SpecialMeeting, 5), E(ScoreEventTypes.Bulletin, 6),
            E(ScoreEventTypes.Accountability, 7),
        ]);
        Assert.Equal(3m - 0.1m - 0.2m - 0.3m - 0.1m - 0.5m - 0.5m, score.Score);
        Assert.Equal([2.9m, 2.7m, 2.4m, 2.3m, 1.8m, 1.3m, 1.3m], score.Events.Select(e => e.ScoreAfter));
    }

    [Fact]
    public void The_score_never_goes_below_the_floor_and_the_last_deduction_is_cut_short()
    {
        var events = Enumerable.Range(1, 7).Select(i => E(ScoreEventTypes.SpecialMeeting, i)).ToList();
        var score = ScoreCalculator.Compute(ScoringRules.CountyDefault, events);
        Assert.Equal(0m, score.Score);
        Assert.Equal(3m, score.Deducted);
        Assert.Equal(0.5m, score.Events[5].Applied);
        Assert.Equal(0m, score.Events[6].Applied);
        Assert.Equal(0.5m, score.Events[6].Deduction);
    }

    [Fact]
    public void Rules_are_checked_field_by_field()
    {
        var bad = new ScoringRules { StartScore = -1, Floor = 5, Deductions = new() { ["praise"] = 1, [ScoreEventTypes.Phone] = 0.123m } };
        var fields = bad.Problems().Select(p => p.Field).ToList();
        Assert.Contains("startScore", fields);
        Assert.Contains("floor", fields);
        Assert.Contains("deductions.praise", fields);
        Assert.Contains("deductions.phone", fields);
        Assert.Empty(ScoringRules.CountyDefault.Problems());
    }
}
