using System.Text.Json.Nodes;
using Duban.Engine.Forms;

namespace Duban.Engine.Tests.Forms;

public class FormValidatorTests
{
    private static FormDefinition Form(params FormField[] fields) => new() { Id = "f1", Name = "督办事项", Fields = [.. fields] };

    private static FormField Field(string key, string label, string type, bool required = false) =>
        new() { Key = key, Label = label, Type = type, Required = required };

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    private static FormValidationResult Validate(FormDefinition form, string submitted, FormContext? context = null) =>
        FormValidator.Validate(form, Json(submitted), context ?? new FormContext());

    private static FieldError Single(FormValidationResult result)
    {
        Assert.False(result.IsValid);
        return Assert.Single(result.Errors);
    }

    private sealed class References(string[] units, string[] users) : IFormReferences
    {
        public bool UnitExists(string id) => units.Contains(id);
        public bool UserExists(string id) => users.Contains(id);
    }

    [Fact]
    public void Valid_submission_returns_its_values()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true), Field("amount", "金额", FieldTypes.Number));

        var result = Validate(form, """{ "title": "整改落实", "amount": 12.5 }""");

        Assert.True(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.True(JsonNode.DeepEquals(Json("""{ "title": "整改落实", "amount": 12.5 }"""), result.Values));
    }

    [Fact]
    public void Null_submission_is_treated_as_empty()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true));

        var result = FormValidator.Validate(form, null, new FormContext());

        Assert.Equal(new FieldError("title", "「事项名称」为必填项"), Single(result));
    }

    [Fact]
    public void Missing_required_field_is_reported_with_its_label()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true));

        Assert.Equal(new FieldError("title", "「事项名称」为必填项"), Single(Validate(form, "{}")));
    }

    [Theory]
    [InlineData("""{ "title": null }""")]
    [InlineData("""{ "title": "" }""")]
    [InlineData("""{ "title": "   " }""")]
    [InlineData("""{ "title": [] }""")]
    public void Null_blank_or_empty_list_does_not_satisfy_required(string submitted)
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true));

        Assert.Equal("「事项名称」为必填项", Single(Validate(form, submitted)).Message);
    }

    [Fact]
    public void Required_is_satisfied_by_current_data_when_the_field_is_not_resubmitted()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true), Field("note", "备注", FieldTypes.Textarea));
        var context = new FormContext { CurrentData = Json("""{ "title": "第一轮填写的名称" }""") };

        var result = Validate(form, """{ "note": "退回后补充" }""", context);

        Assert.True(result.IsValid);
        Assert.False(result.Values.ContainsKey("title"));
    }

    [Fact]
    public void Clearing_a_required_field_that_has_current_data_is_reported()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true));
        var context = new FormContext { CurrentData = Json("""{ "title": "原名称" }""") };

        Assert.Equal("「事项名称」为必填项", Single(Validate(form, """{ "title": "" }""", context)).Message);
    }

    [Fact]
    public void Clearing_an_optional_field_stores_null()
    {
        var form = Form(Field("note", "备注", FieldTypes.Textarea), Field("deadline", "办结时限", FieldTypes.Date));

        var result = Validate(form, """{ "note": "", "deadline": null }""");

        Assert.True(result.IsValid);
        Assert.True(JsonNode.DeepEquals(Json("""{ "note": null, "deadline": null }"""), result.Values));
    }

    [Fact]
    public void Unknown_field_is_reported_on_its_key()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text));

        Assert.Equal(new FieldError("hacker", "未知字段「hacker」"), Single(Validate(form, """{ "title": "x", "hacker": 1 }""")));
    }

    [Fact]
    public void Read_only_field_changed_is_reported()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true));
        var context = new FormContext
        {
            Permissions = new Dictionary<string, FieldPermission> { ["title"] = FieldPermission.ReadOnly },
            CurrentData = Json("""{ "title": "原名称" }"""),
        };

        Assert.Equal(new FieldError("title", "「事项名称」在此步骤不可修改"), Single(Validate(form, """{ "title": "新名称" }""", context)));
    }

    [Fact]
    public void Read_only_field_sent_back_unchanged_is_dropped_silently()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text), Field("units", "承办单位", FieldTypes.Unit) with { Multiple = true });
        var context = new FormContext
        {
            Permissions = new Dictionary<string, FieldPermission> { ["title"] = FieldPermission.ReadOnly, ["units"] = FieldPermission.Hidden },
            CurrentData = Json("""{ "title": "原名称", "units": ["u1", "u2"] }"""),
        };

        var result = Validate(form, """{ "title": "原名称", "units": ["u1", "u2"] }""", context);

        Assert.True(result.IsValid);
        Assert.Empty(result.Values);
    }

    [Fact]
    public void Hidden_field_changed_is_reported()
    {
        var form = Form(Field("secret", "内部备注", FieldTypes.Text));
        var context = new FormContext { Permissions = new Dictionary<string, FieldPermission> { ["secret"] = FieldPermission.Hidden } };

        Assert.Equal("「内部备注」在此步骤不可修改", Single(Validate(form, """{ "secret": "改了" }""", context)).Message);
    }

    [Fact]
    public void Default_permission_applies_to_unlisted_fields()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true), Field("reply", "办理情况", FieldTypes.Textarea));
        var context = new FormContext
        {
            DefaultPermission = FieldPermission.ReadOnly,
            Permissions = new Dictionary<string, FieldPermission> { ["reply"] = FieldPermission.Editable },
        };

        var result = Validate(form, """{ "title": "改名", "reply": "已办结" }""", context);

        Assert.Equal(new FieldError("title", "「事项名称」在此步骤不可修改"), Single(result));
    }

    [Fact]
    public void Read_only_required_field_is_not_required_of_the_step()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text, required: true));
        var context = new FormContext { Permissions = new Dictionary<string, FieldPermission> { ["title"] = FieldPermission.ReadOnly } };

        Assert.True(Validate(form, "{}", context).IsValid);
    }

    [Fact]
    public void Field_hidden_by_its_condition_is_not_required_and_its_value_is_dropped()
    {
        var form = Form(
            Field("delayed", "是否延期", FieldTypes.Checkbox),
            Field("reason", "延期原因", FieldTypes.Textarea, required: true) with { VisibleWhen = "item.delayed === true" });
        var context = new FormContext { IsVisible = (field, data) => data["delayed"]?.GetValue<bool>() == true };

        var result = Validate(form, """{ "delayed": false, "reason": 42 }""", context);

        Assert.True(result.IsValid);
        Assert.False(result.Values.ContainsKey("reason"));
        Assert.True(JsonNode.DeepEquals(JsonValue.Create(false), result.Values["delayed"]));
    }

    [Fact]
    public void A_built_visibility_condition_is_evaluated_without_a_script_and_hides_a_required_field()
    {
        // 显示条件 built by clicking (decision 033): 延期原因 only when 是否延期 等于 是. No script runner is given, and none is needed.
        var form = Form(
            Field("delayed", "是否延期", FieldTypes.Select) with { Options = [new("是", "是"), new("否", "否")] },
            Field("reason", "延期原因", FieldTypes.Textarea, required: true) with
            {
                VisibleIf = new Duban.Engine.Expressions.Condition
                {
                    Match = "all",
                    Rules = [new() { Field = "delayed", Op = "eq", Value = JsonValue.Create("是") }],
                },
            });

        var hidden = Validate(form, """{ "delayed": "否", "reason": "不需要" }""", new FormContext());
        Assert.True(hidden.IsValid);
        Assert.False(hidden.Values.ContainsKey("reason"));

        var shown = Validate(form, """{ "delayed": "是" }""", new FormContext());
        Assert.Equal(new FieldError("reason", "「延期原因」为必填项"), Single(shown));

        // The item's data counts too: a step form whose field depends on what the start form chose.
        var fromItem = Validate(form, "{}", new FormContext { CurrentData = Json("""{ "delayed": "是" }""") });
        Assert.Equal(new FieldError("reason", "「延期原因」为必填项"), Single(fromItem));
    }

    [Fact]
    public void A_built_condition_wins_over_a_script_on_the_same_field()
    {
        var form = Form(
            Field("kind", "类别", FieldTypes.Text),
            Field("detail", "说明", FieldTypes.Text, required: true) with
            {
                VisibleWhen = "true",
                VisibleIf = new Duban.Engine.Expressions.Condition { Field = "kind", Op = "eq", Value = JsonValue.Create("A") },
            });
        var scripts = 0;
        var context = new FormContext { IsVisible = (_, _) => { scripts++; return true; } };

        Assert.True(Validate(form, """{ "kind": "B" }""", context).IsValid);
        Assert.Equal(0, scripts);
    }

    [Fact]
    public void Field_shown_by_its_condition_is_required()
    {
        var form = Form(
            Field("delayed", "是否延期", FieldTypes.Checkbox),
            Field("reason", "延期原因", FieldTypes.Textarea, required: true) with { VisibleWhen = "item.delayed === true" });
        var context = new FormContext
        {
            CurrentData = Json("""{ "delayed": false }"""),
            IsVisible = (field, data) => data["delayed"]?.GetValue<bool>() == true,
        };

        Assert.Equal(new FieldError("reason", "「延期原因」为必填项"), Single(Validate(form, """{ "delayed": true }""", context)));
    }

    [Fact]
    public void Visibility_is_evaluated_only_for_fields_with_a_condition_against_merged_data()
    {
        var form = Form(
            Field("kind", "类别", FieldTypes.Text),
            Field("level", "级别", FieldTypes.Text),
            Field("detail", "说明", FieldTypes.Text) with { VisibleWhen = "item.kind === 'A'" });
        var seen = new List<(string Key, JsonObject Data)>();
        var context = new FormContext
        {
            CurrentData = Json("""{ "kind": "B", "level": "高" }"""),
            IsVisible = (field, data) => { seen.Add((field.Key, data)); return true; },
        };

        Validate(form, """{ "kind": "A" }""", context);

        var (key, data) = Assert.Single(seen);
        Assert.Equal("detail", key);
        Assert.True(JsonNode.DeepEquals(Json("""{ "kind": "A", "level": "高" }"""), data));
    }

    [Fact]
    public void String_in_a_number_field_is_reported()
    {
        var form = Form(Field("amount", "金额", FieldTypes.Number));

        Assert.Equal(new FieldError("amount", "「金额」应为数字"), Single(Validate(form, """{ "amount": "12" }""")));
    }

    [Theory]
    [InlineData("-1", "「进度」不能小于0")]
    [InlineData("100.5", "「进度」不能大于100")]
    public void Number_out_of_range_is_reported(string number, string message)
    {
        var form = Form(Field("progress", "进度", FieldTypes.Number) with { Min = 0, Max = 100 });

        Assert.Equal(message, Single(Validate(form, $$"""{ "progress": {{number}} }""")).Message);
    }

    [Fact]
    public void Number_at_the_bounds_is_valid()
    {
        var form = Form(Field("a", "下限", FieldTypes.Number) with { Min = 0, Max = 100 }, Field("b", "上限", FieldTypes.Number) with { Min = 0, Max = 100 });

        Assert.True(Validate(form, """{ "a": 0, "b": 100 }""").IsValid);
    }

    [Fact]
    public void Text_length_is_counted_in_characters()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text) with { MinLength = 2, MaxLength = 4 });

        Assert.True(Validate(form, """{ "title": "督查督办" }""").IsValid);
        Assert.Equal("「事项名称」不能超过4个字", Single(Validate(form, """{ "title": "督查督办事" }""")).Message);
        Assert.Equal("「事项名称」不能少于2个字", Single(Validate(form, """{ "title": "督" }""")).Message);
    }

    [Fact]
    public void Non_string_in_a_text_field_is_reported()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text));

        Assert.Equal("「事项名称」应为文本", Single(Validate(form, """{ "title": 5 }""")).Message);
    }

    [Fact]
    public void Pattern_mismatch_uses_the_default_message()
    {
        var form = Form(Field("phone", "联系电话", FieldTypes.Text) with { Pattern = @"^1\d{10}$" });

        Assert.True(Validate(form, """{ "phone": "13800138000" }""").IsValid);
        Assert.Equal(new FieldError("phone", "「联系电话」格式不正确"), Single(Validate(form, """{ "phone": "12345" }""")));
    }

    [Fact]
    public void Pattern_mismatch_uses_the_custom_message()
    {
        var form = Form(Field("phone", "联系电话", FieldTypes.Text) with { Pattern = @"^1\d{10}$", PatternMessage = "请输入11位手机号码" });

        Assert.Equal("请输入11位手机号码", Single(Validate(form, """{ "phone": "12345" }""")).Message);
    }

    [Fact]
    public void Pattern_that_exceeds_the_100_ms_timeout_counts_as_a_mismatch()
    {
        var form = Form(Field("code", "编号", FieldTypes.Text) with { Pattern = "^(a+)+$" });

        var result = Validate(form, $$"""{ "code": "{{new string('a', 40)}}!" }""");

        Assert.Equal("「编号」格式不正确", Single(result).Message);
    }

    [Theory]
    [InlineData("\"2025-02-30\"")]
    [InlineData("\"2025/01/01\"")]
    [InlineData("\"2025-1-1\"")]
    [InlineData("20250101")]
    public void Invalid_date_is_reported(string date)
    {
        var form = Form(Field("deadline", "办结时限", FieldTypes.Date));

        Assert.Equal("「办结时限」应为日期（yyyy-MM-dd）", Single(Validate(form, $$"""{ "deadline": {{date}} }""")).Message);
    }

    [Fact]
    public void Date_range_must_be_two_dates_in_order()
    {
        var form = Form(Field("period", "督办期间", FieldTypes.DateRange));

        Assert.True(Validate(form, """{ "period": ["2025-01-01", "2025-01-01"] }""").IsValid);
        Assert.Equal("「督办期间」的开始日期不能晚于结束日期", Single(Validate(form, """{ "period": ["2025-02-01", "2025-01-01"] }""")).Message);
        Assert.Equal("「督办期间」应为日期范围（开始日期和结束日期）", Single(Validate(form, """{ "period": ["2025-02-01"] }""")).Message);
        Assert.Equal("「督办期间」应为日期（yyyy-MM-dd）", Single(Validate(form, """{ "period": ["2025-02-01", "明天"] }""")).Message);
    }

    [Fact]
    public void Select_value_not_among_options_is_reported()
    {
        var form = Form(Field("level", "督办级别", FieldTypes.Select) with { Options = [new("A", "一级"), new("B", "二级")] });

        Assert.True(Validate(form, """{ "level": "A" }""").IsValid);
        Assert.Equal(new FieldError("level", "「督办级别」的选项「C」不存在"), Single(Validate(form, """{ "level": "C" }""")));
    }

    [Fact]
    public void Multi_select_checks_every_value()
    {
        var form = Form(Field("tags", "事项类别", FieldTypes.MultiSelect) with { Options = [new("a", "民生"), new("b", "环保")] });

        var result = Validate(form, """{ "tags": ["a", "x", "y"] }""");

        Assert.Equal(["「事项类别」的选项「x」不存在", "「事项类别」的选项「y」不存在"], result.Errors.Select(e => e.Message));
        Assert.Equal("「事项类别」应为选项列表", Single(Validate(form, """{ "tags": "a" }""")).Message);
    }

    [Fact]
    public void Checkbox_with_options_is_a_list_and_without_options_a_boolean()
    {
        var withOptions = Form(Field("ways", "督办方式", FieldTypes.Checkbox) with { Options = [new("call", "电话"), new("visit", "实地")] });
        var plain = Form(Field("urgent", "是否加急", FieldTypes.Checkbox));

        Assert.True(Validate(withOptions, """{ "ways": ["call", "visit"] }""").IsValid);
        Assert.Equal("「督办方式」的选项「mail」不存在", Single(Validate(withOptions, """{ "ways": ["mail"] }""")).Message);
        Assert.True(Validate(plain, """{ "urgent": true }""").IsValid);
        Assert.Equal("「是否加急」应为是或否", Single(Validate(plain, """{ "urgent": "true" }""")).Message);
    }

    [Fact]
    public void Unit_and_person_ids_are_checked_against_references()
    {
        var form = Form(
            Field("lead", "牵头单位", FieldTypes.Unit),
            Field("helpers", "协办单位", FieldTypes.Unit) with { Multiple = true },
            Field("owner", "责任人", FieldTypes.Person));
        var context = new FormContext { References = new References(units: ["u1", "u2"], users: ["p1"]) };

        var result = Validate(form, """{ "lead": "u1", "helpers": ["u2", "u9"], "owner": "p7" }""", context);

        Assert.Equal(
            [new FieldError("helpers", "单位「u9」不存在"), new FieldError("owner", "人员「p7」不存在")],
            result.Errors);
    }

    [Fact]
    public void Unit_ids_are_not_checked_without_references_but_shape_is()
    {
        var form = Form(Field("lead", "牵头单位", FieldTypes.Unit), Field("helpers", "协办单位", FieldTypes.Unit) with { Multiple = true });

        Assert.True(Validate(form, """{ "lead": "any", "helpers": ["x"] }""").IsValid);
        var result = Validate(form, """{ "lead": ["u1"], "helpers": "u1" }""");
        Assert.Equal(["「牵头单位」应为单个单位", "「协办单位」应为单位列表"], result.Errors.Select(e => e.Message));
    }

    [Fact]
    public void Attachments_must_have_id_and_name_and_only_known_properties()
    {
        var form = Form(Field("files", "佐证材料", FieldTypes.Attachments));

        Assert.True(Validate(form, """{ "files": [{ "id": "a1", "name": "整改报告.pdf", "size": 1024, "contentType": "application/pdf" }] }""").IsValid);

        var result = Validate(form, """{ "files": [{ "id": "a1", "name": "ok.pdf" }, { "name": "无编号.pdf" }, { "id": "a3", "name": "x", "url": "http://evil" }, { "id": "a4", "name": "y", "size": "big" }] }""");

        Assert.Equal(
            [
                new FieldError("files[1]", "「佐证材料」的第2个附件格式不正确"),
                new FieldError("files[2]", "「佐证材料」的第3个附件格式不正确"),
                new FieldError("files[3]", "「佐证材料」的第4个附件格式不正确"),
            ],
            result.Errors);
    }

    [Fact]
    public void Table_row_errors_are_reported_with_row_and_column_paths()
    {
        var form = Form(Field("rows", "任务分解", FieldTypes.Table) with
        {
            Columns =
            [
                Field("task", "任务", FieldTypes.Text, required: true),
                Field("unit", "责任单位", FieldTypes.Unit, required: true),
                Field("hours", "工时", FieldTypes.Number) with { Min = 0 },
            ],
        });
        var context = new FormContext { References = new References(units: ["u1"], users: []) };

        var result = Validate(form, """
            {
              "rows": [
                { "task": "排查", "unit": "u1", "hours": 3 },
                { "task": "整改", "hours": "3" },
                { "task": "", "unit": "u404", "extra": 1 },
                "不是一行"
              ]
            }
            """, context);

        Assert.Equal(
            [
                new FieldError("rows[1].unit", "「责任单位」为必填项"),
                new FieldError("rows[1].hours", "「工时」应为数字"),
                new FieldError("rows[2].extra", "未知字段「extra」"),
                new FieldError("rows[2].task", "「任务」为必填项"),
                new FieldError("rows[2].unit", "单位「u404」不存在"),
                new FieldError("rows[3]", "「任务分解」第4行格式不正确"),
            ],
            result.Errors);
        Assert.False(result.Values.ContainsKey("rows"));
    }

    [Fact]
    public void Valid_table_is_returned_as_submitted()
    {
        var form = Form(Field("rows", "任务分解", FieldTypes.Table, required: true) with { Columns = [Field("task", "任务", FieldTypes.Text, required: true)] });

        var result = Validate(form, """{ "rows": [{ "task": "排查" }, { "task": "整改" }] }""");

        Assert.True(result.IsValid);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{ "task": "排查" }, { "task": "整改" }]"""), result.Values["rows"]));
        Assert.Equal("「任务分解」为必填项", Single(Validate(form, """{ "rows": [] }""")).Message);
    }

    [Fact]
    public void Computed_field_cannot_be_submitted_unless_unchanged()
    {
        var form = Form(Field("total", "合计", FieldTypes.Computed) with { Compute = "item.a + item.b" });
        var context = new FormContext { CurrentData = Json("""{ "total": 10 }""") };

        Assert.Equal(new FieldError("total", "「合计」为计算字段，不可填写"), Single(Validate(form, """{ "total": 11 }""", context)));
        var unchanged = Validate(form, """{ "total": 10 }""", context);
        Assert.True(unchanged.IsValid);
        Assert.Empty(unchanged.Values);
    }

    [Fact]
    public void Required_opinion_needs_new_text_even_when_history_exists()
    {
        var form = Form(Field("opinion", "领导批示", FieldTypes.Opinion, required: true));
        var context = new FormContext
        {
            Permissions = new Dictionary<string, FieldPermission> { ["opinion"] = FieldPermission.AppendOnly },
            CurrentData = Json("""{ "opinion": [{ "text": "请抓紧办理", "userId": "u1" }] }"""),
        };

        Assert.Equal(new FieldError("opinion", "「领导批示」为必填项"), Single(Validate(form, "{}", context)));
        Assert.Equal("「领导批示」为必填项", Single(Validate(form, """{ "opinion": "  " }""", context)).Message);

        var ok = Validate(form, """{ "opinion": "  同意，按期办结。 " }""", context);
        Assert.True(ok.IsValid);
        Assert.Equal("同意，按期办结。", ok.Values["opinion"]!.GetValue<string>());
    }

    [Fact]
    public void Opinion_longer_than_2000_characters_is_reported()
    {
        var form = Form(Field("opinion", "审核意见", FieldTypes.Opinion));

        Assert.True(Validate(form, $$"""{ "opinion": "{{new string('意', 2000)}}" }""").IsValid);
        Assert.Equal("「审核意见」不能超过2000个字", Single(Validate(form, $$"""{ "opinion": "{{new string('意', 2001)}}" }""")).Message);
    }

    [Fact]
    public void Opinion_history_sent_back_unchanged_is_dropped_and_changed_history_is_reported()
    {
        var form = Form(Field("opinion", "审核意见", FieldTypes.Opinion));
        var context = new FormContext { CurrentData = Json("""{ "opinion": [{ "text": "原意见" }] }""") };

        var unchanged = Validate(form, """{ "opinion": [{ "text": "原意见" }] }""", context);
        Assert.True(unchanged.IsValid);
        Assert.Empty(unchanged.Values);

        Assert.Equal("「审核意见」的历史意见不可修改", Single(Validate(form, """{ "opinion": [{ "text": "篡改" }] }""", context)).Message);
    }

    [Fact]
    public void Append_only_list_may_grow_but_not_lose_or_change_entries()
    {
        var form = Form(Field("files", "佐证材料", FieldTypes.Attachments));
        var context = new FormContext
        {
            Permissions = new Dictionary<string, FieldPermission> { ["files"] = FieldPermission.AppendOnly },
            CurrentData = Json("""{ "files": [{ "id": "a1", "name": "一.pdf" }] }"""),
        };

        Assert.True(Validate(form, """{ "files": [{ "id": "a1", "name": "一.pdf" }, { "id": "a2", "name": "二.pdf" }] }""", context).IsValid);
        Assert.Equal(
            "「佐证材料」只能追加，不能修改或删除已有内容",
            Single(Validate(form, """{ "files": [{ "id": "a2", "name": "二.pdf" }] }""", context)).Message);
        Assert.Equal("「佐证材料」只能追加，不能修改或删除已有内容", Single(Validate(form, """{ "files": [] }""", context)).Message);
    }

    [Fact]
    public void All_errors_are_collected_in_one_result()
    {
        var form = Form(
            Field("title", "事项名称", FieldTypes.Text, required: true),
            Field("amount", "金额", FieldTypes.Number),
            Field("level", "督办级别", FieldTypes.Radio) with { Options = [new("A", "一级")] },
            Field("deadline", "办结时限", FieldTypes.Date),
            Field("total", "合计", FieldTypes.Computed) with { Compute = "1" });

        var result = Validate(form, """{ "amount": "十", "level": "Z", "deadline": "下周", "total": 1, "bogus": true }""");

        Assert.False(result.IsValid);
        Assert.Equal(
            [
                new FieldError("bogus", "未知字段「bogus」"),
                new FieldError("title", "「事项名称」为必填项"),
                new FieldError("amount", "「金额」应为数字"),
                new FieldError("level", "「督办级别」的选项「Z」不存在"),
                new FieldError("deadline", "「办结时限」应为日期（yyyy-MM-dd）"),
                new FieldError("total", "「合计」为计算字段，不可填写"),
            ],
            result.Errors);
    }

    [Fact]
    public void Validation_does_not_modify_its_inputs()
    {
        var form = Form(Field("title", "事项名称", FieldTypes.Text), Field("rows", "明细", FieldTypes.Table) with { Columns = [Field("a", "甲", FieldTypes.Text)] });
        var submitted = Json("""{ "title": "名称", "rows": [{ "a": "x" }] }""");
        var current = Json("""{ "title": "旧" }""");
        var submittedCopy = submitted.DeepClone();
        var currentCopy = current.DeepClone();

        var result = FormValidator.Validate(form, submitted, new FormContext { CurrentData = current, IsVisible = (_, _) => true });

        Assert.True(result.IsValid);
        Assert.True(JsonNode.DeepEquals(submittedCopy, submitted));
        Assert.True(JsonNode.DeepEquals(currentCopy, current));
        result.Values["title"] = "changed";
        Assert.Equal("名称", submitted["title"]!.GetValue<string>());
    }
}
