using System.Text.RegularExpressions;

namespace Duban.Engine.Expressions;

/// <summary>
/// The JavaScript parser's messages (Acornima's, the same wording as acorn's in the designer) in Chinese: an
/// administrator reads 「缺少右括号」, not "Unexpected token". Anything not listed gets a general Chinese sentence with
/// the parser's words left out (designer/src/features/designer/script/syntax.ts has the same table).
/// </summary>
public static partial class ParserMessages
{
    private static readonly (string English, string Chinese)[] Starts =
    [
        ("Invalid or unexpected token", "有无法识别的符号：字符串是否缺少结束引号，或用了中文标点（‘ ’ “ ” （ ））？请改用英文标点"),
        ("Unexpected end of input", "脚本不完整：缺少右括号、引号或后半部分"),
        ("Unexpected token", "此处有意外的符号（检查括号、引号、逗号是否成对或多余）"),
        ("Unexpected string", "此处不应出现字符串（是否缺少运算符，如 === 或 &&？）"),
        ("Unexpected number", "此处不应出现数字（是否缺少运算符？）"),
        ("Unexpected identifier", "此处不应出现名称（是否缺少运算符或逗号？）"),
        ("Unexpected keyword", "此处不能使用关键字"),
        ("Unexpected reserved word", "此处不能使用保留字"),
        ("Unexpected character", "无法识别的字符（是否用了中文标点，如 ‘ ’ “ ” （ ）？请改用英文标点）"),
        ("Unterminated string", "字符串缺少结束引号"),
        ("Unterminated template", "模板字符串缺少结束的 `"),
        ("Unterminated regular expression", "正则表达式未结束"),
        ("Unterminated comment", "注释缺少结束的 */"),
        ("Invalid regular expression", "正则表达式写法有误"),
        ("Invalid number", "数字写法有误"),
        ("Identifier directly after number", "数字后面紧跟了名称"),
        ("Assigning to rvalue", "这里不能赋值（比较是否相等请用 === ）"),
        ("Invalid left-hand side", "这里不能赋值（比较是否相等请用 === ）"),
        ("Missing initializer", "声明常量时缺少初始值"),
        ("Illegal return", "这里不能使用 return，直接写表达式即可"),
        ("'return' outside of function", "这里不能使用 return，直接写表达式即可"),
        ("Illegal break", "这里不能使用 break"),
        ("Illegal continue", "这里不能使用 continue"),
        ("Missing catch or finally", "try 后缺少 catch 或 finally"),
        ("Octal literal", "严格模式下不能使用八进制数字"),
        ("Deleting local variable", "严格模式下不能删除变量"),
        ("'with' in strict mode", "严格模式下不能使用 with"),
        ("with statement", "严格模式下不能使用 with"),
        ("Bad escape sequence", "字符串中的转义写法有误"),
        ("Bad character escape", "字符串中的转义写法有误"),
    ];

    [GeneratedRegex(@"^Identifier '([^']*)' has already been declared")]
    private static partial Regex AlreadyDeclared();

    [GeneratedRegex(@"'([^']*)' is not defined")]
    private static partial Regex NotDefined();

    /// <summary>The Chinese for a parser message (without its position, which the caller adds).</summary>
    public static string Chinese(string? message)
    {
        var text = Position().Replace(message ?? "", "").Trim();
        if (text.Length == 0) return "脚本无法解析";
        if (AlreadyDeclared().Match(text) is { Success: true } declared) return $"变量「{declared.Groups[1].Value}」重复声明";
        if (NotDefined().Match(text) is { Success: true } undefined) return $"「{undefined.Groups[1].Value}」未定义";
        foreach (var (english, chinese) in Starts)
            if (text.StartsWith(english, StringComparison.OrdinalIgnoreCase) || text.Contains(english, StringComparison.OrdinalIgnoreCase))
                return chinese;
        if (text.Contains("strict mode", StringComparison.OrdinalIgnoreCase)) return "严格模式下不允许这种写法";
        return "脚本写法有误，无法解析";
    }

    [GeneratedRegex(@"\s*\(\d+:\d+\)\s*$|^Line \d+:\s*")]
    private static partial Regex Position();
}
