using System.Text.Json.Nodes;
using Duban.Engine.Expressions;

namespace Duban.Engine.Tests.Expressions;

/// <summary>
/// The table of cases the browser's evaluateCondition is held to as well (designer/src/shared/flow/conditions.test.ts):
/// a field's 显示条件 must be shown by the browser exactly when the server validates it as shown (decision 033).
/// </summary>
public class ConditionCasesTests
{
    private static JsonObject Table()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var file = Path.Combine(dir.FullName, "tests", "Duban.Engine.Tests", "Expressions", "condition-cases.json");
            if (File.Exists(file)) return JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        }
        throw new FileNotFoundException("tests/Duban.Engine.Tests/Expressions/condition-cases.json not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var c in Table()["cases"]!.AsArray()) names.Add(c!["name"]!.GetValue<string>());
        return names;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_engine_answers_each_shared_case_as_the_table_says(string name)
    {
        var table = Table();
        var data = table["data"]!.AsObject();
        var @case = table["cases"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == name)!;
        var condition = Condition.Read(@case["condition"])!;

        Assert.Equal(@case["expected"]!.GetValue<bool>(), ConditionEvaluator.Evaluate(condition, data));
    }
}
