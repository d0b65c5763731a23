/** Loading, problem and empty states shared by the pages, so each reads the same everywhere. */
import type { JSX, ReactNode } from 'react';

export function LoadingBlock(props: { label: string }): JSX.Element {
  return (
    <div className="feedback-block" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{props.label}…</span>
    </div>
  );
}

export function ProblemBlock(props: { title: string; message: string; onRetry?: () => void }): JSX.Element {
  return (
    <div className="feedback-block feedback-problem" role="alert">
      <strong>{props.title}</strong>
      <span className="feedback-message">{props.message}</span>
      {props.onRetry && (
        <button type="button" className="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function EmptyBlock(props: { title: ReactNode; children?: ReactNode }): JSX.Element {
  return (
    <div className="feedback-block feedback-empty">
      <strong>{props.title}</strong>
      {props.children}
    </div>
  );
}
