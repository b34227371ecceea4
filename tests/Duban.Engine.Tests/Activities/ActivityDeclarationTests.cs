using System.Reflection;
using Duban.Engine.Activities;

namespace Duban.Engine.Tests.Activities;

/// <summary>The designer's property panel is built from these declarations: they must hold together.</summary>
public class ActivityDeclarationTests
{
    private static readonly HashSet<string> Hints = typeof(InputHints)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToHashSet();

    public static TheoryData<string> Types() => [.. ActivityRegistry.BuiltIn().Select(h => h.Descriptor.Type)];

    private static ActivityDescriptor Describe(string type) => ActivityRegistry.CreateDefault().Get(type).Descriptor;

    [Theory]
    [MemberData(nameof(Types))]
    public void Each_input_has_a_unique_name_a_label_and_a_known_editor(string type)
    {
        var inputs = Describe(type).Inputs;
        Assert.Equal(inputs.Count, inputs.Select(i => i.Name).Distinct().Count());
        foreach (var input in inputs)
        {
            Assert.False(string.IsNullOrWhiteSpace(input.DisplayName), $"{type}.{input.Name} has no label");
            Assert.Contains(input.UIHint, Hints);
            Assert.Contains(input.TypeName, new[] { "String", "Number", "Boolean", "Object" });
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Inputs_of_one_category_stand_together_and_references_name_declared_inputs(string type)
    {
        var inputs = Describe(type).Inputs;
        var names = inputs.Select(i => i.Name).ToHashSet();
        var seen = new List<string?>();
        foreach (var input in inputs)
        {
            if (seen.Count == 0 || seen[^1] != input.Category)
            {
                Assert.DoesNotContain(input.Category, seen.Where(c => c is not null));
                seen.Add(input.Category);
            }
            var options = input.EditorOptions;
            foreach (var reference in new[] { options?.RelatedInput, options?.OutcomesInput, options?.LegacyInput })
                if (reference is not null) Assert.Contains(reference, names);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void A_choice_offers_options_and_its_default_is_one_of_them(string type)
    {
        foreach (var input in Describe(type).Inputs.Where(i => i.UIHint is InputHints.Radio or InputHints.Dropdown))
        {
            Assert.NotNull(input.Options);
            Assert.NotEmpty(input.Options);
            Assert.Contains(input.DefaultValue!.GetValue<string>(), input.Options.Select(o => o.Value));
        }
    }

    [Fact]
    public void A_human_step_declares_what_its_panel_edits()
    {
        var inputs = Describe(ActivityTypes.UserTask).Inputs.ToDictionary(i => i.Name);
        Assert.Equal(InputHints.AssigneeRule, inputs["assignee"].UIHint);
        Assert.True(inputs["assignee"].Required);
        Assert.Equal(InputHints.Outcomes, inputs["outcomes"].UIHint);
        Assert.Equal("提交", inputs["outcomes"].DefaultValue![0]!.GetValue<string>());
        Assert.Equal("outcomes", inputs["outcomesUntilDue"].EditorOptions!.OutcomesInput);
        Assert.False(inputs["dueIn"].Browsable);
        Assert.Equal(["办理人", "表单与结果", "时限与说明"], Describe(ActivityTypes.UserTask).Inputs.Select(i => i.Category).Distinct());
    }
}
