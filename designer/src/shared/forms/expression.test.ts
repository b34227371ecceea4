import { describe, expect, it } from 'vitest';
import { evaluate, truthy, UnsupportedExpression } from './expression';

const item = {
  source: 'instruction',
  amount: 12,
  units: ['u1', 'u2'],
  name: ' 张三 ',
  rows: [{ ok: true }, { ok: false }],
};

describe('表达式求值', () => {
  it.each([
    ["item.source == 'instruction'", true],
    ["item.source === 'meeting'", false],
    ['item.amount > 10 && item.amount <= 12', true],
    ['item.amount * 2 + 1', 25],
    ["item.units.includes('u2')", true],
    ['item.units.length', 2],
    ['item.missing', undefined],
    ['item.missing?.deep', undefined],
    ["item.missing ?? 'x'", 'x'],
    ['!item.missing', true],
    ["item.name.trim() == '张三'", true],
    ['item.rows.some(r => r.ok)', true],
    ['item.rows.every(r => r.ok)', false],
    ['item.rows.filter((r, i) => i > 0).length', 1],
    ['`${item.source}-${item.amount}`', 'instruction-12'],
    ["item.amount > 5 ? 'big' : 'small'", 'big'],
    ['Math.max(item.amount, 20)', 20],
    ["Number('3') + 1", 4],
    ["['a', 'b'].indexOf('b')", 1],
    ["'units' in item", true],
    ['Array.isArray(item.units)', true],
    ['form.x', 1],
  ])('%s → %j', (source, expected) => {
    expect(evaluate(source, { item, form: { x: 1 }, vars: {}, user: null })).toEqual(expected);
  });

  it.each([
    'item.constructor',
    "item['__proto__']",
    'fetch("/api")',
    'window.location',
    'item.units.push(1)',
    '(() => 1)()',
    'item.source = 1',
    'while (true) {}',
    'item.rows.map(function (r) { return r; })',
    'this',
    'new Date()',
    'item.missing.deep',
    '1 +',
  ])('refuses %s', (source) => {
    expect(() => evaluate(source, { item, form: {}, vars: {}, user: null })).toThrow(UnsupportedExpression);
  });

  it('reads truthiness the way the server does', () => {
    expect(truthy(0)).toBe(false);
    expect(truthy('')).toBe(false);
    expect(truthy(null)).toBe(false);
    expect(truthy(NaN)).toBe(false);
    expect(truthy([])).toBe(true);
    expect(truthy({})).toBe(true);
    expect(truthy('0')).toBe(true);
  });
});
