import { parse } from 'acorn';

export interface SyntaxProblem {
  message: string;
  /** Offset in the script where the problem is. */
  at: number;
  line: number;
  column: number;
}

const STRICT_PREFIX = '"use strict";';

/** acorn's English messages for the mistakes people make most, in Chinese. */
function translate(message: string): string {
  const text = message.replace(/\s*\(\d+:\d+\)$/, '');
  if (text.startsWith('Unexpected token')) return '此处有意外的符号';
  if (text.startsWith('Unterminated string')) return '字符串缺少结束引号';
  if (text.startsWith('Unterminated template')) return '模板字符串缺少结束的 `';
  if (text.startsWith('Unterminated regular expression')) return '正则表达式未结束';
  if (text.startsWith('Unexpected character')) return `无法识别的字符${text.slice('Unexpected character'.length)}`;
  if (text.includes('Assigning to rvalue')) return '赋值号左边不能赋值（比较请用 === ）';
  if (text.includes("'return' outside of function")) return '函数外不能使用 return，直接写表达式即可';
  if (text.startsWith('Identifier') && text.includes('already been declared')) return `变量重复声明：${text}`;
  if (text.includes('in strict mode')) return `严格模式下不允许：${text}`;
  return text;
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
