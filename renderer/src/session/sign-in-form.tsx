/**
 * Sign-in, and on a first start the first administrator. The same form answers the idle lock: the
 * wall stays visible behind it, and whoever signs in there carries on (a colleague taking over a
 * shift signs in as themselves).
 */
import { useState, type FormEvent } from 'react';
import type { SignedIn } from '../../../shared/api.js';
import { api } from '../api/client';
import { errorMessage } from '../lib/error-message';
import '../ui/form.css';
import './sign-in.css';

interface SignInFormProps {
  mode: 'sign-in' | 'first-admin' | 'locked';
  /** Who was signed in when the session locked. */
  lockedName?: string;
  onSignedIn(result: SignedIn): void;
}

const TITLES = { 'sign-in': 'Sign in to Watchroom', 'first-admin': 'Create the first administrator', locked: 'Watchroom is locked' };

export function SignInForm({ mode, lockedName, onSignedIn }: SignInFormProps) {
  const [name, setName] = useState(lockedName ?? '');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSignedIn(mode === 'first-admin' ? await api.createFirstAdmin({ name, displayName, password }) : await api.signIn({ name, password }));
    } catch (e) {
      setError(errorMessage(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={mode === 'locked' ? 'sign-in-backdrop locked' : 'sign-in-backdrop'} data-testid={`${mode}-screen`}>
      <form className="sign-in-panel dialog-form" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{TITLES[mode]}</h1>
        {mode === 'first-admin' && <p className="sign-in-note">No one can use Watchroom yet. The first person is its administrator: they add everyone else.</p>}
        {mode === 'locked' && <p className="sign-in-note">The wall stays on. Sign in to act again{lockedName ? ` (${lockedName} was signed in)` : ''}.</p>}
        <div className="form-field">
          <label htmlFor="sign-in-name">Account name</label>
          <input id="sign-in-name" data-testid="sign-in-name" autoComplete="username" autoFocus={!lockedName} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        {mode === 'first-admin' && (
          <div className="form-field">
            <label htmlFor="sign-in-display-name">Full name</label>
            <input id="sign-in-display-name" data-testid="sign-in-display-name" autoComplete="name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
          </div>
        )}
        <div className="form-field">
          <label htmlFor="sign-in-password">Password{mode === 'first-admin' ? ' (at least 10 characters)' : ''}</label>
          <input
            id="sign-in-password"
            data-testid="sign-in-password"
            type="password"
            autoFocus={Boolean(lockedName)}
            autoComplete={mode === 'first-admin' ? 'new-password' : 'current-password'}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
        {error && (
          <p className="field-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" data-testid="sign-in-submit" disabled={busy || !name || !password}>
          {mode === 'first-admin' ? 'Create and sign in' : 'Sign in'}
        </button>
      </form>
    </div>
  );
}
