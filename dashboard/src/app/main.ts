/** The dashboard's entry: theme first (no flash), then sign-in or the dashboard. */
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { Dashboard } from './dashboard.js';
import { forgetKey, storedKey, storeKey } from './session.js';
import { signIn } from './sign-in.js';
import { initTheme } from './theme.js';

initTheme();
const root = document.getElementById('app')!;

function start(): void {
  const key = storedKey();
  if (key === null) {
    signIn(root, (k) => {
      storeKey(k);
      start();
    });
    return;
  }
  new Dashboard(root, key, () => {
    forgetKey();
    start();
  }).start().catch(() => root.replaceChildren('The dashboard could not start: the server cannot be reached.'));
}

start();
