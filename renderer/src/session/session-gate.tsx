/**
 * What the window shows for the state of its session: the first-administrator form on a first
 * start, the sign-in form when nobody is signed in, else the wall, with the lock screen over it
 * when the session has been idle too long.
 */
import { useEffect, type ReactNode } from 'react';
import { api } from '../api/client';
import { SessionProvider, useSessionState } from './session-context';
import { watchIdle } from './idle-lock';
import { SignInForm } from './sign-in-form';

export function SessionGate({ children }: { children: ReactNode }) {
  const { session, error, value } = useSessionState();
  const signedIn = Boolean(session?.person);
  const locked = session?.locked ?? false;
  const idleMs = session?.idleLockMs ?? 0;

  useEffect(() => {
    if (!signedIn || locked || !value) return;
    return watchIdle(idleMs, () => value.lock('idle'), () => void api.reportActivity().catch(() => undefined));
  }, [signedIn, locked, idleMs, value]);

  // `inert` stops clicks and focus behind the lock, not the wall's keyboard shortcuts, which listen
  // on the window: while locked, only keys typed into the sign-in form get through.
  useEffect(() => {
    if (!locked) return;
    const block = (event: KeyboardEvent) => {
      const inForm = event.target instanceof Element && event.target.closest('[data-testid="locked-screen"] form');
      if (!inForm) event.stopImmediatePropagation();
    };
    window.addEventListener('keydown', block, true);
    return () => window.removeEventListener('keydown', block, true);
  }, [locked]);

  if (error) return <p className="app-error" role="alert">{error}</p>;
  if (!session || !value) return <p className="wall-loading">Starting Watchroom…</p>;
  if (!session.person) return <SignInForm mode={session.needsFirstAdmin ? 'first-admin' : 'sign-in'} onSignedIn={value.signedIn} />;
  return (
    <SessionProvider value={value}>
      <div className="session-view" inert={locked} aria-hidden={locked}>
        {children}
      </div>
      {locked && <SignInForm key="locked" mode="locked" lockedName={session.person.name} onSignedIn={value.signedIn} />}
    </SessionProvider>
  );
}
