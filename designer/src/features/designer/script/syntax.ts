import { parse } from 'acorn';

export interface SyntaxProblem {
  message: string;
  /** Offset in the script where the problem is. */
  at: number;
  line: number;
  column: number;
}

const STRICT_PREFIX = '"use strict";';

/**
 * acorn's messages in Chinese — the same table as the server's (src/Duban.Engine/Expressions/ParserMessages.cs), so the
 * message under the editor and the one that blocks publishing agree. Anything not listed gets a general Chinese
 * sentence: the parser's English never reaches an administrator.
 */
const STARTS: [string, string][] = [
  [
    'Invalid or unexpected token',
    '有无法识别的符号：字符串是否缺少结束引号，或用了中文标点（‘ ’ “ ” （ ））？请改用英文标点',
  ],
  ['Unexpected end of input', '脚本不完整：缺少右括号、引号或后半部分'],
  ['Unexpected token', '此处有意外的符号（检查括号、引号、逗号是否成对或多余）'],
  ['Unexpected string', '此处不应出现字符串（是否缺少运算符，如 === 或 &&？）'],
  ['Unexpected number', '此处不应出现数字（是否缺少运算符？）'],
  ['Unexpected identifier', '此处不应出现名称（是否缺少运算符或逗号？）'],
  ['Unexpected keyword', '此处不能使用关键字'],
  ['Unexpected reserved word', '此处不能使用保留字'],
  ['Unexpected character', '无法识别的字符（是否用了中文标点，如 ‘ ’ “ ” （ ）？请改用英文标点）'],
  ['Unterminated string', '字符串缺少结束引号'],
  ['Unterminated template', '模板字符串缺少结束的 `'],
  ['Unterminated regular expression', '正则表达式未结束'],
  ['Unterminated comment', '注释缺少结束的 */'],
  ['Invalid regular expression', '正则表达式写法有误'],
  ['Invalid number', '数字写法有误'],
  ['Identifier directly after number', '数字后面紧跟了名称'],
  ['Assigning to rvalue', '这里不能赋值（比较是否相等请用 === ）'],
  ['Invalid left-hand side', '这里不能赋值（比较是否相等请用 === ）'],
  ['Missing initializer', '声明常量时缺少初始值'],
  ["'return' outside of function", '这里不能使用 return，直接写表达式即可'],
  ['Illegal return', '这里不能使用 return，直接写表达式即可'],
  ['Illegal break', '这里不能使用 break'],
  ['Illegal continue', '这里不能使用 continue'],
  ['Missing catch or finally', 'try 后缺少 catch 或 finally'],
  ['Octal literal', '严格模式下不能使用八进制数字'],
  ['Deleting local variable', '严格模式下不能删除变量'],
  ["'with' in strict mode", '严格模式下不能使用 with'],
  ['with statement', '严格模式下不能使用 with'],
  ['Bad escape sequence', '字符串中的转义写法有误'],
  ['Bad character escape', '字符串中的转义写法有误'],
];

export function translate(message: string): string {
  const text = message.replace(/\s*\(\d+:\d+\)$/, '').trim();
  if (text === '') return '脚本无法解析';
  const declared = /^Identifier '([^']*)' has already been declared/.exec(text);
  if (declared) return `变量「${declared[1]}」重复声明`;
  const lower = text.toLowerCase();
  for (const [english, chinese] of STARTS) if (lower.includes(english.toLowerCase())) return chinese;
  if (lower.includes('strict mode')) return '严格模式下不允许这种写法';
  return '脚本写法有误，无法解析';
}

/**
 * Checks a workflow script (a condition, an expression, a SetVariables script) the way the server will parse it:
 * as a strict-mode script. Returns null when it parses.
 */
export function checkScriptSyntax(source: string): SyntaxProblem | null {
  try {
    parse(STRICT_PREFIX + source, { ecmaVersion: 'latest', sourceType: 'script', locations: true });
    return null;
  } catch (error) {
    const e = error as SyntaxError & { pos?: number; loc?: { line: number; column: number } };
    const pos = Math.max(0, Math.min(source.length, (e.pos ?? STRICT_PREFIX.length) - STRICT_PREFIX.length));
    const line = e.loc?.line ?? 1;
    const column = line === 1 ? Math.max(0, (e.loc?.column ?? 0) - STRICT_PREFIX.length) : (e.loc?.column ?? 0);
    return { message: `第 ${line} 行第 ${column + 1} 列：${translate(e.message)}`, at: pos, line, column };
  }
}
