/** One-click exports: POST /export/pdf (downloads the PDF) and POST /export/email; shows the result or the problem. */
import { h } from '../../shared/dom.js';
import type { HttpTransport } from '../../shared/transport.js';
import { Card, problemView } from './card.js';

const kKinds = ['anomaly', 'prediction', 'health', 'weekly', 'insights'] as const;
const kKiB = 1024;

export class Exports {
  readonly card = new Card('exports', 'Export');
  readonly #kind = h('select', { id: 'export-kind', name: 'kind' }, ...kKinds.map((k) => h('option', { value: k }, k)));
  readonly #to = h('input', { id: 'export-to', name: 'to', type: 'email', autocomplete: 'email', placeholder: 'name@example.com' });
  readonly #result = h('div', { class: 'export-result', role: 'status', 'data-testid': 'export-result' });
  #context: () => { sellerId: string; type: string; resolution: string } = () => ({ sellerId: '', type: '', resolution: '' });

  constructor(readonly api: HttpTransport) {
    const pdf = h('button', { type: 'button', class: 'btn primary', 'data-testid': 'export-pdf' }, 'Export PDF');
    const mail = h('button', { type: 'button', class: 'btn', 'data-testid': 'export-email' }, 'Send by e-mail');
    pdf.addEventListener('click', () => void this.#pdf());
    mail.addEventListener('click', () => void this.#email());
    this.card.show(
      h('div', { class: 'form-row' }, h('label', { for: 'export-kind' }, 'Report'), this.#kind),
      h('div', { class: 'form-row' }, h('label', { for: 'export-to' }, 'E-mail to'), this.#to),
      h('div', { class: 'row' }, pdf, mail),
      this.#result);
  }

  bind(context: () => { sellerId: string; type: string; resolution: string }): void {
    this.#context = context;
  }

  #body(): Record<string, string> {
    const c = this.#context();
    return { kind: this.#kind.value, sellerId: c.sellerId, type: c.type, resolution: c.resolution };
  }

  async #pdf(): Promise<void> {
    this.#result.textContent = 'Rendering the PDF…';
    try {
      const res = await this.api.post('/export/pdf', this.#body());
      const blob = await res.blob();
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'report.pdf';
      const link = h('a', { href: URL.createObjectURL(blob), download: name, 'data-testid': 'export-link' }, `Download ${name}`);
      this.#result.replaceChildren(`PDF ready (${Math.ceil(blob.size / kKiB)} KB). `, link);
      link.click();
    } catch (err) {
      this.#result.replaceChildren(problemView(err));
    }
  }

  async #email(): Promise<void> {
    this.#result.textContent = 'Sending…';
    try {
      const res = await this.api.post('/export/email', { ...this.#body(), to: this.#to.value.trim() });
      const r = (await res.json()) as { messageId?: string; to?: string[] };
      this.#result.textContent = `Sent to ${(r.to ?? []).join(', ')}${r.messageId ? ` (message ${r.messageId})` : ''}.`;
    } catch (err) {
      this.#result.replaceChildren(problemView(err));
    }
  }
}
