using Duban.Server.Simulation;

namespace Duban.Server.Tests.Simulation;

/// <summary>How a saved scenario's figures and a new run's are told apart, one sentence per change, as the office reads it.</summary>
public sealed class SimulationFiguresTests
{
    private static readonly DateOnly March12 = new(2026, 3, 12);

    private static SimulationFigures Figures(string light, decimal deducted, int chases, bool returned = false) => new(
        "finished", new DateOnly(2026, 3, 18), null,
        [
            new StepFigure("handle|fzc|1", "承办", "法制处", March12, new DateOnly(2026, 3, 18), light),
            .. returned ? new[] { new StepFigure("handle|fzc|2", "承办", "法制处", March12, new DateOnly(2026, 3, 19), "red") } : [],
        ],
        [new ScoreFigure("fzc", "法制处", deducted)],
        new Dictionary<string, int> { ["chased"] = chases });

    [Fact]
    public void The_same_figures_have_no_differences()
    {
        Assert.Empty(SimulationFigures.Differences(Figures("red", 0.3m, 2), Figures("red", 0.3m, 2)));
    }

    [Fact]
    public void A_light_a_deduction_a_count_and_a_step_done_again_are_each_one_sentence()
    {
        var changes = SimulationFigures.Differences(Figures("green", 0m, 0), Figures("red", 0.3m, 2, returned: true));

        Assert.Equal(
        [
            "承办（法制处）：绿灯 → 红灯",
            "承办（法制处）第 2 次：新增（时限 2026-03-12）",
            "催办：0 次 → 2 次",
            "法制处扣分：0 分 → 0.3 分",
        ], changes);
        Assert.Contains("承办（法制处）第 2 次：不再出现", SimulationFigures.Differences(Figures("red", 0.3m, 2, returned: true), Figures("red", 0.3m, 2)));
    }
}
