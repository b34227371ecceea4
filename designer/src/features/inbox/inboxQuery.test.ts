import { describe, expect, it } from 'vitest';
import { parseInboxQuery, toSearchParams, toTaskQuery } from './inboxQuery';

describe('inbox URL state', () => {
  it('defaults to the todo box, page 1, 20 per page', () => {
    expect(parseInboxQuery(new URLSearchParams())).toEqual({
      box: 'todo',
      page: 1,
      pageSize: 20,
      q: '',
      definitionId: undefined,
      light: undefined,
    });
  });

  it('ignores invalid values', () => {
    const q = parseInboxQuery(new URLSearchParams('box=x&page=-1&pageSize=abc&light=blue'));
    expect(q).toMatchObject({ box: 'todo', page: 1, pageSize: 20, light: undefined });
  });

  it('round-trips through the URL and builds the API query', () => {
    const params = new URLSearchParams('box=notice&page=3&pageSize=50&q=批示&definitionId=d1&light=yellow');
    const query = parseInboxQuery(params);
    expect(parseInboxQuery(toSearchParams(query))).toEqual(query);
    expect(toTaskQuery(query)).toEqual({
      box: 'notice',
      page: 3,
      pageSize: 50,
      q: '批示',
      definitionId: 'd1',
      light: 'yellow',
    });
    expect(toTaskQuery(parseInboxQuery(new URLSearchParams()))).toEqual({
      box: 'todo',
      page: 1,
      pageSize: 20,
      q: undefined,
      definitionId: undefined,
      light: undefined,
    });
  });

  it('never asks for a light on 已办 (the server refuses it)', () => {
    const query = parseInboxQuery(new URLSearchParams('box=done&light=red'));
    expect(toTaskQuery(query).light).toBeUndefined();
  });
});
