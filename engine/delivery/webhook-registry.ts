/**
 * Webhook registrations per tenant: stored in LMDB (`webhooks`, secret sealed) and mirrored in
 * memory by tenant, so fanning an event out to its subscribers reads no database. Another tenant's
 * webhook is answered exactly like a missing one (undefined).
 */
import type { Store } from '../store/store.js';
import type { DeliveryEvent } from '../../config/delivery-schema.js';
import { newWebhookId, type WebhookRecord } from './delivery-record.js';
import { generateSecret, type SecretBox } from './secret-box.js';

/** A webhook as answered: never its secret. */
export interface WebhookView {
  id: string;
  url: string;
  events: DeliveryEvent[];
  createdAt: number;
}

export function webhookView(w: WebhookRecord): WebhookView {
  return { id: w.id, url: w.url, events: w.events, createdAt: w.createdAt };
}

export class WebhookRegistry {
  readonly #store: Store;
  readonly #box: SecretBox;
  readonly #byTenant = new Map<string, WebhookRecord[]>();

  constructor(store: Store, box: SecretBox) {
    this.#store = store;
    this.#box = box;
    for (const { value } of store.webhooks.getRange()) this.#add(value);
  }

  /** Registers a webhook; the secret is returned this once ('limit' when the tenant has maxCount already). */
  async create(tenantId: string, url: string, events: readonly DeliveryEvent[], secretBytes: number, maxCount: number, now: number): Promise<{ webhook: WebhookView; secret: string } | 'limit'> {
    if (this.list(tenantId).length >= maxCount) return 'limit';
    const id = newWebhookId();
    const secret = generateSecret(secretBytes);
    const record: WebhookRecord = { id, tenantId, url, events: [...new Set(events)], secret: this.#box.seal(secret, id), createdAt: now, expiresAt: null };
    await this.#store.webhooks.put(id, record);
    this.#add(record);
    return { webhook: webhookView(record), secret };
  }

  list(tenantId: string): readonly WebhookRecord[] {
    return this.#byTenant.get(tenantId) ?? [];
  }

  get(tenantId: string, id: string): WebhookRecord | undefined {
    return this.list(tenantId).find((w) => w.id === id);
  }

  /** The tenant's webhooks subscribed to `event`. */
  subscribers(tenantId: string, event: string): WebhookRecord[] {
    return this.list(tenantId).filter((w) => (w.events as string[]).includes(event));
  }

  /** Removes a webhook; its pending deliveries are declared dead when they come due. */
  async remove(tenantId: string, id: string): Promise<WebhookRecord | undefined> {
    const w = this.get(tenantId, id);
    if (w === undefined) return undefined;
    await this.#store.webhooks.remove(id);
    this.#byTenant.set(tenantId, this.list(tenantId).filter((x) => x.id !== id));
    return w;
  }

  /** The signing secret of a webhook (opened from its sealed form). */
  secretOf(w: WebhookRecord): string {
    return this.#box.open(w.secret, w.id);
  }

  #add(w: WebhookRecord): void {
    const list = this.#byTenant.get(w.tenantId);
    if (list === undefined) this.#byTenant.set(w.tenantId, [w]);
    else list.push(w);
  }
}
