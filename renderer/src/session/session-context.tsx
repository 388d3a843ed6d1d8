/**
 * Who is signed in, for every view: the person and their role, what the role permits (the core
 * enforces it; the UI only hides what cannot be used), whether the session is idle-locked, and the
 * actions that change it. A call the core refused for want of a session (signed out elsewhere,
 * the host restarted) or because the session locked moves the view to the matching screen; one
 * refused for want of a permission reads the session again, so the view follows a role changed since.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionInfo, SignedIn } from '../../../shared/api.js';
import { can, type Permission } from '../../../shared/roles.js';
import { api, onAuthProblem } from '../api/client';
import { errorMessage } from '../lib/error-message';
import { sessionFromOpener, setSessionToken, shareSessionWithWallWindows } from '../api/session-token';

interface SessionContextValue {
  session: SessionInfo;
  can(permission: Permission): boolean;
  /** A sign-in (or the first administrator) succeeded: its session becomes this page's. */
  signedIn(result: SignedIn): void;
  signOut(): Promise<void>;
  lock(why: 'by-hand' | 'idle'): void;
  /** Reads the session again: after a change to the person's own account or to the idle lock. */
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Loads the session once (taking over the opener's, in a wall window) and keeps it current. */
export function useSessionState(): { session: SessionInfo | null; error: string | null; value: SessionContextValue | null } {
  const [session, setSession] = useState<SessionInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => api.getSession().then(setSession, (e: unknown) => setError(errorMessage(e))), []);
  useEffect(() => {
    shareSessionWithWallWindows();
    void sessionFromOpener().then((token) => {
      if (token) setSessionToken(token);
      return reload();
    });
    const takeOpenersSession = () =>
      sessionFromOpener().then((token) => {
        if (token) setSessionToken(token);
      });
    return onAuthProblem((code) => {
      if (code === 'auth.locked') setSession((s) => (s ? { ...s, locked: true } : s));
      // A wall window whose opener signed in again (which ends the old session) takes the new one.
      else void takeOpenersSession().then(reload);
    });
  }, [reload]);

  const value = useMemo<SessionContextValue | null>(
    () =>
      session && {
        session,
        can: (permission) => (session.person ? can(session.person.role, permission) : false),
        signedIn: (result) => {
          setSessionToken(result.token);
          setSession(result.session);
        },
        signOut: async () => {
          await api.signOut().catch(() => undefined);
          setSessionToken(null);
          await reload();
        },
        lock: (why) => {
          // The core locks the session too, and the ledger says when and why.
          void api.lockSession({ why }).catch(() => undefined);
          setSession((s) => (s ? { ...s, locked: true } : s));
        },
        refresh: reload,
      },
    [session, reload],
  );
  return { session, error, value };
}

export function SessionProvider({ value, children }: { value: SessionContextValue; children: ReactNode }) {
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
