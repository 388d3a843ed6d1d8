/**
 * A native modal <dialog>: the browser traps focus, makes the page behind it inert and turns Escape
 * into `cancel`, which is handed to the owner (who unmounts it) instead of closing behind React's back.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import './modal-dialog.css';

interface ModalDialogProps {
  title: string;
  testId: string;
  /** Added to `modal-dialog`, e.g. for a wider dialog that holds a table. */
  className?: string;
  onCancel(): void;
  children: ReactNode;
}

export function ModalDialog({ title, testId, className, onCancel, children }: ModalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  return (
    <dialog
      ref={dialog}
      className={className ? `modal-dialog ${className}` : 'modal-dialog'}
      data-testid={testId}
      aria-labelledby={`${testId}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
      // Chrome closes without a preventable `cancel` when Escape is pressed twice with no click between.
      onClose={onCancel}
    >
      <h2 id={`${testId}-title`} className="modal-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
