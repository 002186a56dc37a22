import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { CommentBadgeView } from '../src/comments/CommentBadge';
import { badgeFor, CountsByStep, CountsStore, threadUrl } from '../src/comments/counts';

const html = (counts: { open: number; resolved: number } | undefined) =>
  renderToStaticMarkup(createElement(CommentBadgeView, { badge: badgeFor(counts), href: '/c/s/' }));

describe('comment badge', () => {
  it('shows the open-thread count on a node with open threads', () => {
    const out = html({ open: 2, resolved: 1 });
    expect(out).toContain('class="fs-comments fs-comments--open nodrag"');
    expect(out).toContain('aria-label="2 open comment threads"');
    expect(out).toContain('<span class="fs-comments__count">2</span>');
    expect(out).toContain('href="/c/s/" target="_blank"');
  });

  it('shows a tick when every thread is resolved', () => {
    expect(badgeFor({ open: 0, resolved: 1 })).toEqual({ text: '✓', label: '1 resolved comment thread', open: false });
  });

  it('shows no count on a node without threads, only the hover link to start one', () => {
    const out = html(undefined);
    expect(out).toContain('fs-comments--none');
    expect(out).toContain('aria-label="Comment on this step"');
    expect(out).not.toContain('fs-comments__count');
    expect(badgeFor({ open: 0, resolved: 0 })).toBeNull();
  });

  it('links to the step page with the step id escaped', () => {
    expect(threadUrl('/a/x/comments/step/f/__STEP__/', 'ask/amount')).toBe('/a/x/comments/step/f/ask%2Famount/');
  });
});

describe('counts store', () => {
  function fakeServer(answers: CountsByStep[]) {
    let calls = 0;
    const load = async () => {
      const answer = answers[Math.min(calls, answers.length - 1)];
      calls += 1;
      return answer;
    };
    return { load, calls: () => calls };
  }

  it('loads once when the first badge subscribes and tells every badge', async () => {
    const server = fakeServer([{ ask: { open: 1, resolved: 0 } }]);
    const store = new CountsStore(server.load, '/t/__STEP__/');
    let told = 0;
    store.subscribe(() => { told += 1; });
    store.subscribe(() => { told += 1; });
    await store.refresh();
    expect(server.calls()).toBe(2); // the first subscribe's load, then the explicit refresh
    expect(store.get('ask')).toEqual({ open: 1, resolved: 0 });
    expect(told).toBe(4);
    expect(store.urlFor('ask')).toBe('/t/ask/');
  });

  it('reloads after a save (a new revision), not for every node reporting the same one', async () => {
    const server = fakeServer([{}, { moved: { open: 1, resolved: 0 } }]);
    const store = new CountsStore(server.load, '');
    store.revisionSeen(3);
    store.revisionSeen(3);
    expect(server.calls()).toBe(0);
    store.revisionSeen(4);
    await Promise.resolve();
    await Promise.resolve();
    expect(server.calls()).toBe(1);
  });

  it('keeps the last counts when a load fails', async () => {
    let fail = false;
    const store = new CountsStore(async () => {
      if (fail) throw new Error('offline');
      return { ask: { open: 1, resolved: 0 } };
    }, '');
    await store.refresh();
    fail = true;
    await store.refresh();
    expect(store.get('ask')).toEqual({ open: 1, resolved: 0 });
  });
});
