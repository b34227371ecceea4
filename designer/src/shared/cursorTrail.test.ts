import { describe, expect, it } from 'vitest';
import { newCursorTrail, rememberCursor, withCursor } from './cursorTrail';

describe('cursor trail', () => {
  it('pages on and back by cursor, and asks by number for a page it has no cursor for', () => {
    const trail = newCursorTrail();
    const page1 = withCursor(trail, { sort: 'title', page: 1, pageSize: 20 });
    expect(page1).toEqual({ sort: 'title', page: 1, pageSize: 20 });
    rememberCursor(trail, page1, 'c2');
    const page2 = withCursor(trail, { sort: 'title', page: 2, pageSize: 20 });
    expect(page2.after).toBe('c2');
    rememberCursor(trail, page2, 'c3');
    expect(withCursor(trail, { sort: 'title', page: 3, pageSize: 20 }).after).toBe('c3');
    // 上一页: the cursor remembered for it.
    expect(withCursor(trail, { sort: 'title', page: 2, pageSize: 20 }).after).toBe('c2');
    // A jump past what was walked: by number.
    expect(withCursor(trail, { sort: 'title', page: 7, pageSize: 20 }).after).toBeUndefined();
  });

  it('forgets every cursor when the filter, order or page size changes', () => {
    const trail = newCursorTrail();
    const page1 = withCursor(trail, { q: '', page: 1, pageSize: 20 });
    rememberCursor(trail, page1, 'c2');
    expect(withCursor(trail, { q: '环保', page: 2, pageSize: 20 }).after).toBeUndefined();
    // Back to the first list: its cursors are gone too (they were made for it, but the trail keeps one list).
    expect(withCursor(trail, { q: '', page: 2, pageSize: 20 }).after).toBeUndefined();
    rememberCursor(trail, { q: '', page: 1, pageSize: 20 }, 'c2');
    expect(withCursor(trail, { q: '', page: 2, pageSize: 50 }).after).toBeUndefined();
  });

  it('ignores an answer for another list and a last page', () => {
    const trail = newCursorTrail();
    withCursor(trail, { box: 'done', page: 1, pageSize: 20 });
    rememberCursor(trail, { box: 'done', q: 'x', page: 1, pageSize: 20 }, 'stale');
    rememberCursor(trail, { box: 'done', page: 1, pageSize: 20 }, null);
    expect(withCursor(trail, { box: 'done', page: 2, pageSize: 20 }).after).toBeUndefined();
  });
});
