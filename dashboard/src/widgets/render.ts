/**
 * Mounts a widget into a shadow root: asks GET /embed/config for the tier's watermark and the
 * theme, draws the widget's view, adds the watermark. Rejects when the API cannot be reached or
 * refuses — the SDK then stays hidden, the iframe page says why.
 */
import type { ClientConfig } from '../shared/api-types.js';
import { h } from '../shared/dom.js';
import type { Transport } from '../shared/transport.js';
import type { WidgetOptions } from './kinds.js';
import { kTitles, kViews, query } from './views.js';
import { watermark } from './watermark.js';
import css from './widget.css?inline';

export function adoptStyles(root: ShadowRoot): void {
  root.append(h('style', {}, css));
}

export function resolveTheme(theme: string): 'light' | 'dark' {
  return theme === 'dark' || (theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches) ? 'dark' : 'light';
}

export async function mountWidget(root: ShadowRoot, o: WidgetOptions, t: Transport): Promise<HTMLElement> {
  const config = await t.get<ClientConfig>('/embed/config' + query({ theme: o.theme }));
  const body = await kViews[o.kind]({ t, o, config });
  const frame = h('section', {
    class: 'sp-w', 'data-kind': o.kind, 'data-theme': resolveTheme(config.theme), 'data-tier': config.tier, 'data-watermark': config.watermark,
    'aria-label': `SellerPulse ${kTitles[o.kind].toLowerCase()} for ${o.seller}`,
    style: o.accent ? `--sp-accent:${o.accent}` : null,
  },
  h('header', { class: 'sp-h' }, h('span', { class: 'sp-title' }, kTitles[o.kind]), h('span', { class: 'sp-muted' }, o.seller)),
  h('div', { class: 'sp-body' }, ...body),
  watermark(config.watermark));
  adoptStyles(root);
  root.append(frame);
  return frame;
}
