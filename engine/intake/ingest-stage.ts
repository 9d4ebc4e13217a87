/**
 * Stages one call's valid events in preallocated columns, then commits them to the shard queues
 * only if every shard involved has room — so a call is taken whole or refused whole (with
 * retryAfterMs), never half. eventIds are remembered only at commit, so a refused call can be
 * retried without its events being taken for duplicates.
 */
import type { ShardHost } from '../shard/shard-host.js';
import { EventIdMemory } from './event-id-memory.js';
import type { GuardedEvent } from './event-guard.js';
import type { IngestResult } from './ingest-result.js';
import { shardOfLocation, slotOfLocation } from '../router/seller-directory.js';

export class IngestStage {
  readonly #slot: Uint32Array;
  readonly #shard: Uint8Array;
  readonly #type: Uint8Array;
  /** [timestamp, units] per staged event, in queue record order. */
  readonly #numbers: Float64Array;
  /** Staged events that carry an eventId (rare): their positions, seller IDs and event IDs. */
  readonly #withIdAt: Int32Array;
  readonly #withIdSeller: string[];
  readonly #withId: string[];
  #idCount = 0;
  readonly #perShard: Int32Array;
  readonly #eventIds: EventIdMemory;
  #n = 0;

  constructor(capacity: number, shardCount: number, eventIdMemory: number) {
    this.#slot = new Uint32Array(capacity);
    this.#shard = new Uint8Array(capacity);
    this.#type = new Uint8Array(capacity);
    this.#numbers = new Float64Array(capacity * 2);
    this.#withIdAt = new Int32Array(capacity);
    this.#withIdSeller = new Array<string>(capacity).fill('');
    this.#withId = new Array<string>(capacity).fill('');
    this.#perShard = new Int32Array(shardCount);
    this.#eventIds = new EventIdMemory(eventIdMemory);
  }

  /** The tenant whose sellers this call stages (eventIds are remembered per tenant and seller). */
  tenantId = '';

  reset(tenantId: string): void {
    this.tenantId = tenantId;
    this.#n = 0;
    this.#idCount = 0;
    this.#perShard.fill(0);
  }

  /** Stages a checked event (read from its fields, so its numbers are never boxed). */
  push(location: number, ev: GuardedEvent): void {
    const i = this.#n++;
    const shard = shardOfLocation(location);
    this.#slot[i] = slotOfLocation(location);
    this.#shard[i] = shard;
    this.#type[i] = ev.type;
    this.#numbers[i * 2] = ev.timestamp;
    this.#numbers[i * 2 + 1] = ev.units;
    if (ev.eventId !== undefined) {
      const k = this.#idCount++;
      this.#withIdAt[k] = i;
      this.#withIdSeller[k] = ev.sellerId;
      this.#withId[k] = ev.eventId;
    }
    this.#perShard[shard]++;
  }

  /** Writes staged events to the queues and publishes; refuses the whole call if any queue is short. */
  commit(shards: readonly ShardHost[], result: IngestResult): void {
    for (let s = 0; s < shards.length; s++) {
      if (this.#perShard[s] > 0 && shards[s].producer.free() < this.#perShard[s]) {
        result.refuse();
        return;
      }
    }
    let nextWithId = this.#idCount > 0 ? this.#withIdAt[0] : -1;
    let k = 0;
    let taken = 0;
    for (let i = 0; i < this.#n; i++) {
      if (i === nextWithId) {
        const fresh = this.#eventIds.add(this.tenantId, this.#withIdSeller[k], this.#withId[k]);
        nextWithId = ++k < this.#idCount ? this.#withIdAt[k] : -1;
        if (!fresh) {
          result.duplicates++;
          this.#perShard[this.#shard[i]]--;
          continue;
        }
      }
      shards[this.#shard[i]].producer.writeFrom(this.#numbers, i * 2, this.#slot[i], this.#type[i]);
      taken++;
    }
    result.accepted += taken;
    for (let s = 0; s < shards.length; s++) shards[s].enqueued += this.#perShard[s];
    for (let s = 0; s < shards.length; s++) {
      if (this.#perShard[s] === 0) continue;
      shards[s].producer.publish();
      result.touch(s, shards[s].producer.tail);
    }
    if (this.#idCount > 0) {
      this.#withIdSeller.fill('', 0, this.#idCount);
      this.#withId.fill('', 0, this.#idCount);
    }
  }
}
