/** A labelled input with its hint and its error, tied together for screen readers (aria-describedby). */
import { type JSX, type ReactElement, cloneElement, useId } from 'react';

interface ControlProps {
  id?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}

export function FormField(props: { label: string; error?: string | undefined; hint?: string; required?: boolean; wide?: boolean; children: ReactElement<ControlProps> }): JSX.Element {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [props.error !== undefined ? errorId : null, props.hint !== undefined ? hintId : null].filter((x) => x !== null).join(' ');
  const control = cloneElement(props.children, {
    id,
    'aria-invalid': props.error !== undefined,
    ...(describedBy === '' ? {} : { 'aria-describedby': describedBy }),
  });
  return (
    <div className={`field${props.wide ? ' field-wide' : ''}`}>
      <span className="field-label-row">
        <label className="field-label" htmlFor={id}>
          {props.label}
        </label>
        {props.required && (
          <span className="field-required" aria-hidden="true" title="required">
            *
          </span>
        )}
      </span>
      {control}
      {props.error !== undefined && (
        <span className="field-error" id={errorId}>
          {props.error}
        </span>
      )}
      {props.hint !== undefined && (
        <span className="field-hint" id={hintId}>
          {props.hint}
        </span>
      )}
    </div>
  );
}
