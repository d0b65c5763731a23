/**
 * A modal on the native <dialog>: focus is trapped and restored, Escape closes, the page
 * behind is inert — all by the browser. Mount it to open it; `onClose` unmounts it.
 */
import { type JSX, type ReactNode, useEffect, useId, useRef } from 'react';

export function Dialog(props: { title: string; onClose: () => void; children: ReactNode; footer?: ReactNode; size?: 'small' | 'large' }): JSX.Element {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const { onClose } = props;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (!dialog.open) dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      if (dialog.open) dialog.close();
    };
  }, [onClose]);

  return (
    <dialog ref={ref} className={`dialog${props.size === 'small' ? ' dialog-small' : ''}`} aria-labelledby={titleId}>
      <div className="dialog-header">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" className="button button-quiet button-icon" onClick={onClose} aria-label="Close">
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 6l12 12M18 6L6 18" />
          </svg>
        </button>
      </div>
      <div className="dialog-body">{props.children}</div>
      {props.footer !== undefined && <div className="dialog-footer">{props.footer}</div>}
    </dialog>
  );
}
