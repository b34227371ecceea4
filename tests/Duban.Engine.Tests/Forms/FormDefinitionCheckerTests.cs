using Duban.Engine.Forms;

namespace Duban.Engine.Tests.Forms;

public class FormDefinitionCheckerTests
{
    private static FormDefinition Form(params FormField[] fields) => new() { Id = "f1", Name = "督办事项", Fields = [.. fields] };

    private static FormField Field(string key, string label, string type) => new() { Key = key, Label = label, Type = type };

    [Fact]
    public void Well_formed_form_has_no_findings()
    {
        var form = Form(
            Field("title", "事项名称", FieldTypes.Text) with { Pattern = "^.+$", MinLength = 1, MaxLength = 50 },
            Field("level", "级别", FieldTypes.Select) with { Options = [new("A", "一级")] },
            Field("amount", "金额", FieldTypes.Number) with { Min = 0, Max = 10 },
            Field("rows", "明细", FieldTypes.Table) with { Columns = [Field("title", "名称", FieldTypes.Text)] },
            Field("total", "合计", FieldTypes.Computed) with { Compute = "1 + 1" },
            Field("_note2", "备注", FieldTypes.Textarea) with { VisibleWhen = "item.level === 'A'" });

        Assert.Empty(FormDefinitionChecker.Check(form, _ => null));
    }

    [Fact]
    public void Duplicate_keys_are_reported()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text), Field("title", "标题", FieldTypes.Text));

        Assert.Equal(["字段标识「title」重复"], FormDefinitionChecker.Check(form));
    }

    [Theory]
    [InlineData("1abc")]
    [InlineData("事项")]
    [InlineData("a-b")]
    [InlineData("")]
    public void Invalid_keys_are_reported(string key)
    {
        var form = Form(Field(key, "事项名称", FieldTypes.Text));

        Assert.Equal([$"字段「事项名称」的标识「{key}」无效：只能由字母、数字和下划线组成，且不能以数字开头"], FormDefinitionChecker.Check(form));
    }

    [Fact]
    public void Unknown_type_is_reported()
    {
        var form = Form(Field("x", "评分", "rating"));

        Assert.Equal(["字段「评分」的类型「rating」不存在"], FormDefinitionChecker.Check(form));
    }

    [Theory]
    [InlineData(FieldTypes.Select)]
    [InlineData(FieldTypes.Radio)]
    [InlineData(FieldTypes.MultiSelect)]
    public void Choice_field_without_options_is_reported(string type)
    {
        Assert.Equal(["字段「级别」缺少选项"], FormDefinitionChecker.Check(Form(Field("level", "级别", type))));
        Assert.Equal(["字段「级别」缺少选项"], FormDefinitionChecker.Check(Form(Field("level", "级别", type) with { Options = [] })));
    }

    [Fact]
    public void Duplicate_option_values_are_reported()
    {
        var form = Form(Field("level", "级别", FieldTypes.Radio) with { Options = [new("A", "一级"), new("A", "二级")] });

        Assert.Equal(["字段「级别」的选项值「A」重复"], FormDefinitionChecker.Check(form));
    }

    [Fact]
    public void Table_without_columns_is_reported()
    {
        Assert.Equal(["字段「明细」没有定义列"], FormDefinitionChecker.Check(Form(Field("rows", "明细", FieldTypes.Table))));
    }

    [Fact]
    public void Table_columns_are_checked_too()
    {
        var form = Form(Field("rows", "明细", FieldTypes.Table) with
        {
            Columns =
            [
                Field("unit", "单位", FieldTypes.Unit),
                Field("unit", "单位2", FieldTypes.Unit),
                Field("kind", "类别", FieldTypes.Select),
                Field("note", "意见", FieldTypes.Opinion),
            ],
        });

        Assert.Equal(
            [
                "表格「明细」中字段标识「unit」重复",
                "表格「明细」的列「类别」缺少选项",
                "表格「明细」的列「意见」的类型「opinion」不能用于表格列",
            ],
            FormDefinitionChecker.Check(form));
    }

    [Fact]
    public void Computed_field_without_expression_is_reported()
    {
        Assert.Equal(["字段「合计」缺少计算表达式"], FormDefinitionChecker.Check(Form(Field("total", "合计", FieldTypes.Computed))));
    }

    [Fact]
    public void Invalid_regex_pattern_is_reported()
    {
        var form = Form(Field("code", "编号", FieldTypes.Text) with { Pattern = "([a-z" });

        Assert.Equal(["字段「编号」的校验规则「([a-z」不是有效的正则表达式"], FormDefinitionChecker.Check(form));
    }

    [Fact]
    public void Min_greater_than_max_is_reported()
    {
        var form = Form(
            Field("amount", "金额", FieldTypes.Number) with { Min = 10, Max = 1 },
            Field("title", "名称", FieldTypes.Text) with { MinLength = 5, MaxLength = 2 });

        Assert.Equal(["字段「金额」的最小值不能大于最大值", "字段「名称」的最小长度不能大于最大长度"], FormDefinitionChecker.Check(form));
    }

    [Fact]
    public void Script_errors_in_conditions_and_computations_are_reported()
    {
        var form = Form(
            Field("note", "备注", FieldTypes.Text) with { VisibleWhen = "item.a ===" },
            Field("total", "合计", FieldTypes.Computed) with { Compute = "1 +" },
            Field("ok", "正常", FieldTypes.Text) with { VisibleWhen = "true" });

        var problems = FormDefinitionChecker.Check(form, script => script == "true" ? null : "第1行第5列：语法错误");

        Assert.Equal(
            ["字段「备注」的显示条件有误：第1行第5列：语法错误", "字段「合计」的计算表达式有误：第1行第5列：语法错误"],
            problems);
    }

    [Fact]
    public void Scripts_are_not_checked_without_a_checker()
    {
        var form = Form(Field("note", "备注", FieldTypes.Text) with { VisibleWhen = "item.a ===" });

        Assert.Empty(FormDefinitionChecker.Check(form));
    }

    [Fact]
    public void All_findings_are_collected()
    {
        var form = Form(
            Field("9x", "甲", FieldTypes.Text),
            Field("b", "乙", "foo"),
            Field("c", "丙", FieldTypes.Select),
            Field("d", "丁", FieldTypes.Computed));

        Assert.Equal(4, FormDefinitionChecker.Check(form).Count);
    }
}
