import type { Problem } from '../lib/graph';

/** Every problem, local and from the server; clicking one jumps to its node. */
export function ProblemList({ problems, onJump }: { problems: Problem[]; onJump: (stepId: string | null) => void }) {
  if (problems.length === 0) return <div className="fs-problems fs-problems--none" data-problems="0">No problems</div>;
  return (
    <div className="fs-problems" data-problems={problems.length}>
      <h3>{problems.length} problem{problems.length === 1 ? '' : 's'}</h3>
      <ul>
        {problems.map((p, i) => (
          <li key={i}>
            <button type="button" className="fs-problem" onClick={() => onJump(p.stepId)}>
              <b>{p.stepId ?? 'flow'}</b>: {p.message}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
