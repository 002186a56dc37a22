import { useEffect, useSyncExternalStore } from 'react';
import { useEditor } from '../context';
import { useStore } from '../store/store';
import { Badge, badgeFor, CountsStore, pageCountsStore } from './counts';
import './comments.css';

const noCounts = new CountsStore(async () => ({}), '');

/** The link on a node to its comment threads: the open count, a tick when all are resolved, and a faint
 *  speech-bubble link on hover to start one. Opens the step's comments page in a new tab, so nothing unsaved is lost. */
export function CommentBadgeView({ badge, href }: { badge: Badge | null; href: string }) {
  const state = badge ? (badge.open ? 'open' : 'resolved') : 'none';
  return (
    <a className={`fs-comments fs-comments--${state} nodrag`} href={href} target="_blank" rel="noopener"
      title={badge?.label ?? 'Comment on this step'} aria-label={badge?.label ?? 'Comment on this step'}
      data-comments={state} onClick={(e) => e.stopPropagation()}>
      <svg className="fs-comments__icon" viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
        <path d="M2 2h12v9H6l-3 3v-3H2z" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" />
      </svg>{badge && <span className="fs-comments__count">{badge.text}</span>}
    </a>
  );
}

export function CommentBadge({ stepId }: { stepId: string }) {
  const counts = pageCountsStore() ?? noCounts;
  const { store } = useEditor();
  const revision = useStore(store, (s) => s.revision);
  useEffect(() => { counts.revisionSeen(revision); }, [counts, revision]);
  const stepCounts = useSyncExternalStore(counts.subscribe, () => counts.get(stepId));
  if (!counts.threadUrlTemplate) return null;
  return <CommentBadgeView badge={badgeFor(stepCounts)} href={counts.urlFor(stepId)} />;
}
