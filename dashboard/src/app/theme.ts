/** Light and dark mode: the visitor's choice (localStorage) or the system's; html[data-theme]. */
import { h } from '../shared/dom.js';

const kStorageKey = 'sellerpulse.theme';
type Theme = 'light' | 'dark';
const listeners = new Set<(t: Theme) => void>();

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function setTheme(t: Theme, remember = true): void {
  document.documentElement.dataset.theme = t;
  if (remember) localStorage.setItem(kStorageKey, t);
  for (const l of listeners) l(t);
}

export function initTheme(): void {
  const saved = localStorage.getItem(kStorageKey);
  setTheme(saved === 'dark' || saved === 'light' ? saved : matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light', false);
}

export function onThemeChange(l: (t: Theme) => void): void {
  listeners.add(l);
}

/** The toggle button: a switch with aria-pressed, label says what it does. */
export function themeToggle(): HTMLButtonElement {
  const b = h('button', { type: 'button', class: 'btn theme-toggle', 'data-testid': 'theme-toggle' });
  const sync = () => {
    const dark = currentTheme() === 'dark';
    b.setAttribute('aria-pressed', String(dark));
    b.textContent = 'Dark mode';
  };
  b.addEventListener('click', () => setTheme(currentTheme() === 'dark' ? 'light' : 'dark'));
  onThemeChange(sync);
  sync();
  return b;
}
