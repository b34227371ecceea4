using Duban.Engine.Forms;

namespace Duban.Engine.Chasing;

/// <summary>
/// What the person who chases records for each kind of rung, as built-in forms (so the ordinary task page can show
/// and validate them): a phone-call log, an on-site visit, a special meeting, an accountability decision; and the
/// unit's written reply to a notice.
/// </summary>
public static class ChaseRecords
{
    public const string PhoneLog = "phoneLog";
    public const string OnSiteLog = "onSiteLog";
    public const string MeetingLog = "meetingLog";
    public const string AccountabilityLog = "accountabilityLog";
    /// <summary>The chased unit's written reply to a notice (reasons for the delay, measures).</summary>
    public const string Reply = "reply";

    public static readonly IReadOnlyList<string> All = [PhoneLog, OnSiteLog, MeetingLog, AccountabilityLog];

    /// <summary>Form ids as tasks carry them: <c>chase.phoneLog</c> …</summary>
    public const string FormPrefix = "chase.";

    public static FormDefinition? Form(string? id) => id switch
    {
        PhoneLog => new FormDefinition
        {
            Id = FormPrefix + PhoneLog, Name = "电话催办记录",
            Fields =
            [
                Field("calledAt", "通话时间", FieldTypes.Text, required: true, help: "如 2026-03-02 10:30"),
                Field("personReached", "接听人（姓名、职务）", FieldTypes.Text, required: true, maxLength: 100),
                Field("phone", "联系电话", FieldTypes.Text, maxLength: 50),
                Field("summary", "通话内容（进展、原因、承诺完成时间）", FieldTypes.Textarea, required: true, maxLength: 2000),
            ],
        },
        OnSiteLog => new FormDefinition
        {
            Id = FormPrefix + OnSiteLog, Name = "现场督办记录",
            Fields =
            [
                Field("visitedAt", "督办时间", FieldTypes.Date, required: true),
                Field("inspectors", "督办人员", FieldTypes.Text, required: true, maxLength: 200),
                Field("metWith", "见面人员（姓名、职务）", FieldTypes.Text, required: true, maxLength: 200),
                Field("findings", "现场了解情况", FieldTypes.Textarea, required: true, maxLength: 5000),
                Field("requirements", "督办要求及完成时间", FieldTypes.Textarea, required: true, maxLength: 2000),
            ],
        },
        MeetingLog => new FormDefinition
        {
            Id = FormPrefix + MeetingLog, Name = "专项会议督办记录",
            Fields =
            [
                Field("meetingAt", "会议时间", FieldTypes.Date, required: true),
                Field("chairedBy", "召集领导", FieldTypes.Text, required: true, maxLength: 100),
                Field("attendees", "参会单位及人员", FieldTypes.Textarea, required: true, maxLength: 2000),
                Field("decisions", "会议议定事项", FieldTypes.Textarea, required: true, maxLength: 5000),
            ],
        },
        AccountabilityLog => new FormDefinition
        {
            Id = FormPrefix + AccountabilityLog, Name = "责任追究记录",
            Fields =
            [
                Field("decidedAt", "决定时间", FieldTypes.Date, required: true),
                Field("persons", "被追责人员", FieldTypes.Text, required: true, maxLength: 500),
                Field("measure", "处理方式", FieldTypes.Textarea, required: true, maxLength: 2000),
            ],
        },
        Reply => new FormDefinition
        {
            Id = FormPrefix + Reply, Name = "书面回复",
            Fields =
            [
                Field("reasons", "未按期办结的原因", FieldTypes.Textarea, required: true, maxLength: 5000),
                Field("progress", "目前进展", FieldTypes.Textarea, required: true, maxLength: 5000),
                Field("measures", "下一步措施及完成时间", FieldTypes.Textarea, required: true, maxLength: 5000),
            ],
        },
        _ => null,
    };

    /// <summary>A form by the id a task carries (<c>chase.phoneLog</c>), or null when the id is not one of these.</summary>
    public static FormDefinition? FormOfTask(string? formId) =>
        formId is not null && formId.StartsWith(FormPrefix, StringComparison.Ordinal) ? Form(formId[FormPrefix.Length..]) : null;

    public static string Label(string? record) => record switch
    {
        PhoneLog => "电话记录",
        OnSiteLog => "现场督办记录",
        MeetingLog => "专项会议记录",
        AccountabilityLog => "责任追究记录",
        _ => "",
    };

    private static FormField Field(string key, string label, string type, bool required = false, int? maxLength = null, string? help = null) =>
        new() { Key = key, Label = label, Type = type, Required = required, MaxLength = maxLength, Help = help };
}
