import { describe, expect, it } from 'vitest';
import { checkScriptSyntax } from './syntax';

describe('script syntax check', () => {
  it('accepts expressions and statements the engine runs', () => {
    expect(checkScriptSyntax('form.amount > 100 && item.source === "meeting"')).toBeNull();
    expect(checkScriptSyntax('vars.count = (vars.count || 0) + 1;\nvars.ok = true;')).toBeNull();
    expect(checkScriptSyntax('`${form.title}（${user.unitName}）`')).toBeNull();
  });

  it('reports where a script is broken, in Chinese', () => {
    const problem = checkScriptSyntax('form.amount > ');
    expect(problem).not.toBeNull();
    expect(problem!.message).toMatch(/^第 1 行第 15 列：/);
    expect(problem!.at).toBe(14);
    expect(checkScriptSyntax('a = "abc')!.message).toContain('引号');
    const second = checkScriptSyntax('let a = 1;\na = = 2;')!;
    expect(second.line).toBe(2);
  });

  it('never shows the parser’s English', () => {
    for (const script of [
      "item.needLeader === '是",
      "item.amount > 1000 && (item.level === '省级'",
      'item.level === ‘省级’',
      "item.level === '省级' item.amount",
      'let a = 1; let a = 2; a',
      'with (vars) { count = 2; }',
      'return 1',
      'a ? : b',
      '0x',
      '/(/',
    ]) {
      const problem = checkScriptSyntax(script);
      expect(problem, script).not.toBeNull();
      expect(problem!.message.replace(/\bwith\b|\breturn\b/g, ''), script).not.toMatch(/[A-Za-z]{4,}/);
    }
    expect(checkScriptSyntax('item.level === ‘省级’')!.message).toContain('中文标点');
    expect(checkScriptSyntax('let a = 1; let a = 2; a')!.message).toContain('变量「a」重复声明');
  });

  it('parses in strict mode, as the server does', () => {
    expect(checkScriptSyntax('with (form) { x }')).not.toBeNull();
  });
});
