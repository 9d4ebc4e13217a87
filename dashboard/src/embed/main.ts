/**
 * An embedded widget as an iframe page: /embed/<widget>?seller=&access_token=<embed key>
 * &theme=light|dark|auto&type=&resolution=&accent=. Same origin as the API, so it asks directly;
 * when the API refuses, the frame says why (the embedding page is not affected).
 */
import { h } from '../shared/dom.js';
import { ApiError, HttpTransport } from '../shared/transport.js';
import { isWidgetKind } from '../widgets/kinds.js';
import { adoptStyles, mountWidget } from '../widgets/render.js';

const params = new URLSearchParams(location.search);
const kind = location.pathname.split('/').pop() ?? '';
const theme = params.get('theme');
const host = document.getElementById('widget')!;
const root = host.attachShadow({ mode: 'open' });

function fail(message: string): void {
  adoptStyles(root);
  root.append(h('section', { class: 'sp-w', role: 'alert', 'data-theme': theme === 'dark' ? 'dark' : 'light' }, h('p', {}, message)));
}

if (!isWidgetKind(kind)) fail(`Unknown widget "${kind}".`);
else if (!params.get('seller')) fail('Name a seller: ?seller=');
else {
  mountWidget(root, {
    kind, seller: params.get('seller')!,
    theme: theme === 'light' || theme === 'dark' || theme === 'auto' ? theme : null,
    type: params.get('type'), resolution: params.get('resolution'), accent: params.get('accent'),
  }, new HttpTransport('', params.get('access_token') ?? '')).catch((err: unknown) => {
    fail(err instanceof ApiError ? `${err.problem?.title ?? 'Error'}: ${err.message}` : 'The SellerPulse API cannot be reached.');
  });
}
