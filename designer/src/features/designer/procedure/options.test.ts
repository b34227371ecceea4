import { describe, expect, it } from 'vitest';
import { parsePattern, patternOf, samplePattern, variableProblem, withField, withPart } from './options';

describe('procedure options', () => {
  it('reads the usual number patterns into the simple form and writes them back unchanged', () => {
    for (const pattern of [
      '督〔{year}〕{seq}号',
      '督查〔{year}〕第{seq}期',
      '专督〔{year}{month}〕{seq:3}号',
      'DB-{seq:4}',
    ]) {
      const draft = parsePattern(pattern);
      expect(draft).not.toBeNull();
      expect(patternOf(draft!)).toBe(pattern);
    }
    expect(parsePattern('{year}-{seq}')).toBeNull();
  });

  it('shows what a pattern prints', () => {
    expect(samplePattern('专督〔{year}{month}〕{seq:3}号', new Date(2026, 11, 6), 12)).toBe('专督〔202612〕012号');
  });

  it('keeps the parts of the options it does not edit', () => {
    const options = { ladder: [], numbering: { pattern: 'x{seq}' } };
    expect(withPart(options, 'numbering', undefined)).toEqual({ ladder: [] });
    expect(withPart({ numbering: { pattern: 'x{seq}' } }, 'numbering', undefined)).toBeNull();
    expect(withField({ units: 'all' }, 'restDay', 'move')).toEqual({ units: 'all', restDay: 'move' });
    expect(withField({ units: 'all' }, 'units', undefined)).toBeUndefined();
  });

  it('names a variable problem in Chinese', () => {
    const rows = [
      { name: 'count', typeName: 'Number', value: 0 },
      { name: 'count', typeName: 'Number', value: 0 },
      { name: '1x', typeName: 'String', value: '' },
    ];
    expect(variableProblem(rows, 0)).toBeNull();
    expect(variableProblem(rows, 1)).toBe('变量名重复');
    expect(variableProblem(rows, 2)).toContain('不以数字开头');
  });
});
