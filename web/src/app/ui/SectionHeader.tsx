import type { JSX } from 'react';

/** The button at the end of a section's header; `primary` for the page's main action. */
export interface SectionAction {
  label: string;
  onClick: () => void;
  primary?: boolean;
}

/**
 * A page section's header: its title (an h2 whose `id` the section's aria-labelledby names), the
 * action button at its end (left out for those who may not use it), then a line on what the
 * section is about.
 */
export function SectionHeader(props: { id: string; title: string; action?: SectionAction | undefined; description?: string }): JSX.Element {
  const { action } = props;
  return (
    <>
      <div className="section-header">
        <h2 id={props.id}>{props.title}</h2>
        {action !== undefined && (
          <button type="button" className={action.primary === true ? 'button button-primary' : 'button'} onClick={action.onClick}>
            {action.label}
          </button>
        )}
      </div>
      {props.description !== undefined && <p className="muted">{props.description}</p>}
    </>
  );
}
