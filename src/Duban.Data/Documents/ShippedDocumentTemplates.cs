using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Data.Documents;

/// <summary>A template Duban ships: an administrator starts from it and changes it in Word.</summary>
public sealed record ShippedDocumentTemplate(string Kind, string Name, string NumberPattern, string Description);

/// <summary>
/// The shipped document templates, written with the Open XML SDK when an administrator starts from one (decision 039:
/// code, not committed .docx files — a reviewer reads every word of them in a diff, and they always use the placeholders
/// this version of Duban fills). Laid out after the usual shape of a party and government office's paper (GB/T 9704):
/// the issuing office in red at the top, the 文号 under it, the title, the addressee, the body in 仿宋, the signature and
/// date at the bottom right.
/// </summary>
public static class ShippedDocumentTemplates
{
    public const string Notice = "notice";
    public const string Urge = "urge";
    public const string Rectification = "rectification";
    public const string Report = "report";
    public const string Reply = "reply";
    public const string Forward = "forward";
    public const string PeriodReport = "period-report";

    public static readonly IReadOnlyList<ShippedDocumentTemplate> All =
    [
        new(Notice, "督查通知单", "督通〔{year}〕{seq}号",
            "交办事项时送主办、协办单位：办理要求、办结时限、反馈形式（000 第十三条（二））"),
        new(Urge, "催办通知", "督催〔{year}〕{seq}号",
            "逾期未报告时发承办单位，要求书面报告最新进展和逾期原因（004 第五篇 六）"),
        new(Rectification, "督查整改建议书", "督整〔{year}〕{seq}号",
            "检查中不能立即整改的问题，限期改正（004 第二篇）；问题清单取自检查记录的「下达《督查整改建议书》」子表"),
        new(Report, "督查专报", "督查专报〔{year}〕第{seq}期",
            "承办单位报告审阅后整理办理情况报领导（004 第五篇 七；001「编报《督查专报》」）"),
        new(Reply, "答复函", "答复〔{year}〕{seq}号",
            "主办单位答复人大代表建议、政协委员提案：答复类别与答复内容，由单位负责人签发（002 §三（一））"),
        new(Forward, "领导批示转办单", "督转〔{year}〕{seq}号",
            "参阅性批示转相关单位参考借鉴，无需报送办理情况（000 第九条：「对于参阅性批示，相关部门要认真参考借鉴」）"),
        new(PeriodReport, "督查专报（周报/月报）", "督查专报〔{year}〕第{seq}期",
            "按期间汇总台账：各状态与亮灯数、各单位超期、本期办结、催办、延期、考核得分（003 五（二）「每周对督办事项落实情况进行汇总，编发《督查专报》」）"),
    ];

    public static ShippedDocumentTemplate? Find(string kind) => All.FirstOrDefault(t => t.Kind == kind);

    public static byte[] Build(string kind) => kind switch
    {
        Notice => Document(w =>
        {
            w.Head("督查通知单");
            w.Cells(
                ("事项编号", "{{事项编号}}"),
                ("督办事项", "{{事项标题}}"),
                ("主办单位", "{{主办单位}}"),
                ("协办单位", "{{协办单位}}"),
                ("办结时限", "{{完成时限}}"),
                ("领导批示及拟办意见", "{{意见}}"));
            w.Body("请按照批示精神和办理要求认真办理。主办单位牵头，协办单位配合，于{{完成时限}}前将办理情况书面报送{{单位名称}}督查部门；不能按期办结的，应在期限届满前说明原因并申请延期。");
            w.Sign();
        }),
        Urge => Document(w =>
        {
            w.Head("催办通知");
            w.Plain("{{主办单位}}：");
            w.Body("{{登记日期}}交办你单位的「{{事项标题}}」（编号：{{事项编号}}），办结时限为{{完成时限}}。截至{{生成日期}}，你单位尚未报送办理情况。");
            w.Body("请接此通知后，书面报告该事项的最新进展情况和逾期原因，并提出下一步办理措施和完成时间。");
            w.Body("已催办 {{催办次数}} 次。");
            w.Sign();
        }),
        Rectification => Document(w =>
        {
            w.Head("督查整改建议书");
            w.Plain("{{主办单位}}：");
            w.Body("{{检查时间}}，{{单位名称}}督查部门对「{{事项标题}}」进行了督查检查。对检查中发现的下列不能立即整改的问题，请按整改要求限期改正，实行闭合整改，并将整改情况书面报送督查部门。");
            w.Grid(["序号", "问题", "责任部门", "整改要求", "整改期限"],
                ["{{序号}}", "{{rectifications.问题}}", "{{rectifications.责任部门}}", "{{rectifications.整改要求}}", "{{rectifications.整改期限}}"]);
            w.Sign();
        }),
        Report => Document(w =>
        {
            w.Head("督查专报");
            w.Title("关于「{{事项标题}}」办理情况的报告");
            w.Body("事项编号：{{事项编号}}；主办单位：{{主办单位}}；协办单位：{{协办单位}}；办结时限：{{完成时限}}；当前状态：{{状态}}。");
            w.Plain("一、意见");
            w.Grid(["环节", "意见", "签署人", "时间"], ["{{意见列表.环节}}", "{{意见列表.内容}}", "{{意见列表.签署人}}", "{{意见列表.时间}}"]);
            w.Plain("二、办理过程");
            w.Grid(["时间", "环节", "办理人", "结果"], ["{{办理过程.时间}}", "{{办理过程.环节}}", "{{办理过程.办理人}}", "{{办理过程.结果}}"]);
            w.Sign();
        }),
        // The proposal procedure's fields by key (its labels 主办单位, 签发人 … are shared with other forms).
        Reply => Document(w =>
        {
            w.Head("答复函", office: "{{主办单位}}");
            w.Title("关于第{{proposalNo}}号建议（提案）的答复");
            w.Plain("{{proposers}}代表（委员）：");
            w.Body("您在{{session}}上提出的《{{事项标题}}》收悉。经认真研究，现答复如下：");
            w.Body("{{replyText}}");
            w.Body("答复类别：{{replyClass}}。");
            w.Body("感谢您对我们工作的关心和支持，欢迎继续提出宝贵意见和建议。");
            w.Plain("签发人：{{signedBy}}　　联系方式：{{proposerContact}}");
            w.Sign(signer: "{{主办单位}}");
        }),
        Forward => Document(w =>
        {
            w.Head("领导批示转办单");
            w.Cells(
                ("事项编号", "{{事项编号}}"),
                ("事项名称", "{{事项标题}}"),
                ("批示领导", "{{leader}}"),
                ("批示日期", "{{instructionDate}}"),
                ("所批文件", "{{relatedDocument}}"),
                ("批示内容", "{{instructionText}}"),
                ("转送单位", "{{readUnits}}"),
                ("拟办意见", "{{proposal}}"));
            w.Body("现将领导批示转你单位，请认真学习领会批示精神，参考借鉴，结合工作实际抓好贯彻落实。本件为参阅性批示，无需报送办理情况，请在待办「阅知」中确认已阅。");
            w.Sign();
        }),
        // A report from the ledger for a period (decision 048): the placeholders ReportValues fills.
        PeriodReport => Document(w =>
        {
            w.Head("督查专报");
            w.Title("督查督办事项落实情况汇总（{{报告期间}}）");
            w.Body("截至{{生成日期}}，台账共有督查事项{{事项总数}}件：办理中{{办理中}}件（超期{{超期}}件、临期{{临期}}件、正常{{正常}}件），已办结{{已办结}}件，已取消{{已取消}}件，异常{{异常}}件。");
            w.Body("{{报告期间}}，新登记事项{{本期登记}}件，办结{{本期办结}}件（按期{{本期按期办结}}件、逾期{{本期逾期办结}}件）；催办{{本期催办}}次；申请延期{{本期延期申请}}件，同意{{本期延期同意}}件。");
            w.Plain("一、各单位办理情况");
            w.Grid(["序号", "单位", "在办", "超期", "已办结", "按期办结率"],
                ["{{序号}}", "{{单位情况.单位}}", "{{单位情况.在办}}", "{{单位情况.超期}}", "{{单位情况.已办结}}", "{{单位情况.按期办结率}}"]);
            w.Plain("二、超期未办结事项");
            w.Grid(["序号", "编号", "事项", "承办单位", "办理期限"],
                ["{{序号}}", "{{超期事项.编号}}", "{{超期事项.事项}}", "{{超期事项.承办单位}}", "{{超期事项.办理期限}}"]);
            w.Plain("三、本期办结事项");
            w.Grid(["序号", "编号", "事项", "承办单位", "办结时间"],
                ["{{序号}}", "{{办结事项.编号}}", "{{办结事项.事项}}", "{{办结事项.承办单位}}", "{{办结事项.办结时间}}"]);
            w.Plain("四、本期催办");
            w.Grid(["序号", "时间", "单位", "事项", "方式"], ["{{序号}}", "{{催办记录.时间}}", "{{催办记录.单位}}", "{{催办记录.事项}}", "{{催办记录.方式}}"]);
            w.Plain("五、本期延期");
            w.Grid(["序号", "申请时间", "单位", "事项", "延至", "结果"],
                ["{{序号}}", "{{延期记录.申请时间}}", "{{延期记录.单位}}", "{{延期记录.事项}}", "{{延期记录.延至}}", "{{延期记录.结果}}"]);
            w.Plain("六、考核得分（{{考核年度}}年度）");
            w.Grid(["排名", "单位", "年度得分", "本期扣分", "本期扣分事项"],
                ["{{考核得分.排名}}", "{{考核得分.单位}}", "{{考核得分.年度得分}}", "{{考核得分.本期扣分}}", "{{考核得分.本期扣分事项}}"]);
            w.Sign();
        }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no such shipped template"),
    };

    private static byte[] Document(Action<DocxWriter> write) => DocxWriter.Create(write);
}

/// <summary>Writes a Word document of an office's paper with the Open XML SDK (shipped templates, the archive's 目录 and 办理记录).</summary>
internal sealed class DocxWriter
{
    public static byte[] Create(Action<DocxWriter> write)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            var body = new Body();
            write(new DocxWriter(body));
            body.Append(new SectionProperties(
                new PageSize { Width = 11906, Height = 16838 },
                new PageMargin { Top = 2098, Bottom = 1984, Left = 1588U, Right = 1474U, Header = 851U, Footer = 992U }));
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    private readonly Body body;

    private DocxWriter(Body body) => this.body = body;

    private const string Song = "宋体";
    private const string FangSong = "仿宋";
    private const string Hei = "黑体";

    /// <summary>The issuing office in red, the document's name, its 文号 and a red line.</summary>
    public void Head(string name, string office = "{{单位名称}}", string number = "{{文号}}")
    {
        body.Append(Line(JustificationValues.Center, Run(office, Song, 44, bold: true, color: "C00000")));
        body.Append(Line(JustificationValues.Center, Run(name, Hei, 36, bold: true)));
        body.Append(Line(JustificationValues.Center, Run(number, FangSong, 32),
            border: new ParagraphBorders(new BottomBorder { Val = BorderValues.Single, Size = 12, Color = "C00000", Space = 4 })));
    }

    public void Title(string text) => body.Append(Line(JustificationValues.Center, Run(text, Song, 36, bold: true)));

    public void Plain(string text) => body.Append(Line(JustificationValues.Left, Run(text, FangSong, 32)));

    /// <summary>A paragraph of the body: two characters' first-line indent.</summary>
    public void Body(string text)
    {
        body.Append(Line(JustificationValues.Both, Run(text, FangSong, 32), indent: new Indentation { FirstLine = "640", FirstLineChars = 200 }));
    }

    /// <summary>The signature and date, right-aligned.</summary>
    public void Sign(string signer = "{{单位名称}}督查部门")
    {
        body.Append(Line(JustificationValues.Right, Run(signer, FangSong, 32)));
        body.Append(Line(JustificationValues.Right, Run("{{生成日期}}", FangSong, 32)));
    }

    /// <summary>A two-column form: a label and its value per row.</summary>
    public void Cells(params (string Label, string Value)[] rows)
    {
        var table = NewTable();
        foreach (var (label, value) in rows)
            table.Append(new TableRow(Cell(label, 2200, bold: true), Cell(value, 6800)));
        body.Append(table);
    }

    /// <summary>A table with a header row and one row of placeholders (repeated per row of the data).</summary>
    public void Grid(string[] headers, string[] cells) => Grid(headers, [cells]);

    /// <summary>A table with a header row and the given rows.</summary>
    public void Grid(string[] headers, IEnumerable<string[]> rows)
    {
        var table = NewTable();
        var width = 9000 / headers.Length;
        table.Append(new TableRow(headers.Select(h => Cell(h, width, bold: true))));
        foreach (var cells in rows) table.Append(new TableRow(cells.Select(c => Cell(c, width))));
        body.Append(table);
    }

    private static Table NewTable()
    {
        var border = () => new[]
        {
            (OpenXmlElement)new TopBorder { Val = BorderValues.Single, Size = 4 }, new LeftBorder { Val = BorderValues.Single, Size = 4 },
            new BottomBorder { Val = BorderValues.Single, Size = 4 }, new RightBorder { Val = BorderValues.Single, Size = 4 },
            new InsideHorizontalBorder { Val = BorderValues.Single, Size = 4 }, new InsideVerticalBorder { Val = BorderValues.Single, Size = 4 },
        };
        return new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(border())));
    }

    private static TableCell Cell(string text, int width, bool bold = false) =>
        new(new TableCellProperties(new TableCellWidth { Width = width.ToString(System.Globalization.CultureInfo.InvariantCulture), Type = TableWidthUnitValues.Dxa }),
            Line(bold ? JustificationValues.Center : JustificationValues.Left, Run(text, FangSong, 28, bold)));

    /// <summary>A paragraph; its properties in the order the schema gives them (borders, spacing, indentation, alignment).</summary>
    private static Paragraph Line(JustificationValues justification, Run run, ParagraphBorders? border = null, Indentation? indent = null)
    {
        var properties = new ParagraphProperties();
        if (border is not null) properties.Append(border);
        properties.Append(new SpacingBetweenLines { Line = "560", LineRule = LineSpacingRuleValues.Exact });
        if (indent is not null) properties.Append(indent);
        properties.Append(new Justification { Val = justification });
        return new Paragraph(properties, run);
    }

    private static Run Run(string text, string font, int halfPoints, bool bold = false, string? color = null)
    {
        var properties = new RunProperties(new RunFonts { Ascii = font, HighAnsi = font, EastAsia = font });
        if (bold) properties.Append(new Bold());
        if (color is not null) properties.Append(new Color { Val = color });
        properties.Append(new FontSize { Val = halfPoints.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var run = new Run(properties);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) run.Append(new Break());
            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }
        return run;
    }
}
