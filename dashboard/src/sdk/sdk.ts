/**
 * The SellerPulse widget SDK, one script tag:
 *
 *   <script src="https://sellerpulse.example/sdk.js" data-widget="health" data-seller="shop-42"
 *           data-key="sp_…(embed key)" data-theme="dark" data-accent="#0a7" async></script>
 *
 * draws the widget right after the tag, in a shadow root (the host page's styles and the widget's
 * do not mix). More widgets: <div data-sellerpulse-widget="alerts" data-seller="…"></div> anywhere;
 * data-key and data-api default to the script tag's. Options: data-widget (anomaly | prediction |
 * health | alerts | events), data-seller, data-key, data-theme (light | dark | auto), data-type,
 * data-resolution, data-accent, data-api (default: where sdk.js came from). A widget stays hidden
 * until drawn, and removes itself — quietly — when the API cannot be reached or refuses.
 */
import { isWidgetKind, type WidgetOptions } from '../widgets/kinds.js';
import { mountWidget } from '../widgets/render.js';
import { BridgeTransport } from './bridge-transport.js';

const bridges = new Map<string, BridgeTransport>();

function bridge(api: string, key: string): BridgeTransport {
  const id = `${api} ${key}`;
  let b = bridges.get(id);
  if (b === undefined) bridges.set(id, (b = new BridgeTransport(api, key)));
  return b;
}

/** Mounts one widget in `host` (hidden until drawn; removed if it cannot be). */
export function mount(host: HTMLElement, attrs: DOMStringMap, defaults: DOMStringMap = {}): Promise<boolean> {
  const kind = attrs.widget ?? attrs.sellerpulseWidget ?? '';
  const api = attrs.api ?? defaults.api ?? '';
  const key = attrs.key ?? defaults.key ?? '';
  const theme = attrs.theme ?? defaults.theme;
  const o: WidgetOptions = {
    kind: isWidgetKind(kind) ? kind : 'health', seller: attrs.seller ?? '',
    theme: theme === 'light' || theme === 'dark' || theme === 'auto' ? theme : null,
    type: attrs.type ?? null, resolution: attrs.resolution ?? null, accent: attrs.accent ?? defaults.accent ?? null,
  };
  host.hidden = true;
  if (!isWidgetKind(kind) || o.seller === '' || key === '' || api === '') {
    host.remove();
    return Promise.resolve(false);
  }
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  return mountWidget(root, o, bridge(api, key)).then(() => {
    host.hidden = false;
    return true;
  }, () => {
    host.remove();
    return false;
  });
}

function start(script: HTMLScriptElement | null): void {
  const defaults: DOMStringMap = { ...script?.dataset };
  if (script && defaults.api === undefined && script.src) defaults.api = new URL(script.src).origin;
  if (script?.dataset.widget) {
    const host = document.createElement('div');
    host.className = 'sellerpulse-widget';
    script.after(host);
    void mount(host, script.dataset, defaults);
  }
  for (const el of document.querySelectorAll<HTMLElement>('[data-sellerpulse-widget]')) void mount(el, el.dataset, defaults);
}

const current = document.currentScript as HTMLScriptElement | null;
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => start(current));
else start(current);
