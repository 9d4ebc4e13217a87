/** Sign in with a read key: checked against GET /status/limits before it is kept. */
import type { Limits } from '../shared/api-types.js';
import { fill, h } from '../shared/dom.js';
import { ApiError, HttpTransport } from '../shared/transport.js';

export function signIn(root: HTMLElement, done: (key: string) => void): void {
  const input = h('input', { id: 'key', name: 'key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false', placeholder: 'sp_…', 'aria-describedby': 'key-help' });
  const error = h('p', { class: 'error', role: 'alert', id: 'sign-in-error' });
  const form = h('form', { class: 'card sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'SellerPulse'),
    h('label', { for: 'key' }, 'API key'),
    input,
    h('p', { id: 'key-help', class: 'muted' }, 'A key with the read scope. It is kept for this tab only (sessionStorage).'),
    h('button', { type: 'submit', class: 'btn primary' }, 'Sign in'),
    error);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = input.value.trim();
    error.textContent = '';
    new HttpTransport('', key).get<Limits>('/status/limits').then((l) => {
      if (!l.key.scopes.includes('read') && !l.key.scopes.includes('embed')) error.textContent = 'This key has no read scope.';
      else done(key);
    }, (err: unknown) => {
      error.textContent = err instanceof ApiError ? `${err.problem?.title ?? 'Refused'}: ${err.message}` : 'The server cannot be reached.';
    });
  });
  fill(root, h('main', { id: 'main', class: 'center' }, form));
  input.focus();
}
