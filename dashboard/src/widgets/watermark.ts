/** The tier's watermark (config pricing.tierDefaults.<tier>.embedWatermark): light, reduced or none. */
import { h } from '../shared/dom.js';

export function watermark(kind: 'light' | 'reduced' | 'none'): HTMLElement | null {
  if (kind === 'none') return null;
  return h('div', { class: `sp-wm sp-wm-${kind}`, 'data-watermark': kind, 'aria-hidden': 'true' }, kind === 'light' ? 'Powered by SellerPulse · basic plan' : 'SellerPulse');
}
