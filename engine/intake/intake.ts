/**
 * The ingest calls: decoded events → guard → directory → stage → all-or-nothing commit. Runs on the
 * main thread, allocates nothing per event; what it works on (guard, directory, stage, shards) comes
 * from the engine at each call, since resharding and config versions replace them.
 */
import type { ShardHost } from '../shard/shard-host.js';
import { kNoLocation, type TenantSellers } from '../router/seller-directory.js';
import { type EventGuard, GuardedEvent, type RowEvent } from './event-guard.js';
import { EventStatus, kEventStatusNames } from './event-status.js';
import type { IngestResult } from './ingest-result.js';
import type { IngestStage } from './ingest-stage.js';
import type { ColumnarEvents } from './columnar-frame.js';
import type { SellerTableMemo } from './seller-table-memo.js';

export interface IntakeTargets {
  readonly guard: EventGuard;
  readonly stage: IngestStage;
  readonly shards: readonly ShardHost[];
}

/** Running totals of what intake did; read by the metrics endpoint, never per event by anyone else. */
export class IntakeCounters {
  accepted = 0;
  lateDropped = 0;
  duplicates = 0;
  /** Calls (requests or frames) refused whole because a shard queue was full. */
  queueFullRefusals = 0;
  readonly rejectedByStatus = new Float64Array(kEventStatusNames.length);

  add(result: IngestResult): void {
    if (result.queueFull) {
      this.queueFullRefusals++;
      return;
    }
    this.accepted += result.accepted;
    this.lateDropped += result.lateDropped;
    this.duplicates += result.duplicates;
    for (let i = 0; i < result.rejectedStatus.length; i++) this.rejectedByStatus[result.rejectedStatus[i]]++;
  }
}

export class Intake {
  readonly counters = new IntakeCounters();
  readonly #event = new GuardedEvent();
  readonly #sellerLocation: Int32Array;
  readonly #sellerStatus: Uint8Array;
  readonly #typeIndex: Int32Array;
  #newSellerInCall = false;

  constructor(capacity: number) {
    this.#sellerLocation = new Int32Array(capacity);
    this.#sellerStatus = new Uint8Array(capacity);
    this.#typeIndex = new Int32Array(256);
  }

  noteNewSeller(): void {
    this.#newSellerInCall = true;
  }

  /**
   * The first `count` row events of one tenant: decoded JSON/msgpack objects, or (`read`) RowEvents
   * read from frame bytes. Fills `result`; the call is taken whole or refused.
   */
  ingestEvents(t: IntakeTargets, sellers: TenantSellers, events: readonly unknown[], read: boolean, count: number, nowMs: number, result: IngestResult): void {
    result.reset();
    const stage = t.stage;
    const ev = this.#event;
    stage.reset(sellers.tenantId);
    t.guard.nowMs = nowMs;
    t.guard.known = sellers;
    for (let i = 0; i < count; i++) {
      const status = read ? t.guard.checkRow(events[i] as RowEvent, ev) : t.guard.check(events[i], ev);
      if (status === EventStatus.Ok) this.#stageOne(t, sellers, i, ev, result);
      else if (status === EventStatus.Late) result.lateDropped++;
      else result.reject(i, status);
    }
    this.#commit(t, result);
  }

  #stageOne(t: IntakeTargets, sellers: TenantSellers, i: number, ev: GuardedEvent, result: IngestResult): void {
    const location = ev.location >= 0 ? ev.location : sellers.locate(ev.sellerId);
    if (location === kNoLocation) result.reject(i, EventStatus.SellerCapacity);
    else t.stage.push(location, ev);
  }

  #commit(t: IntakeTargets, result: IngestResult): void {
    t.stage.commit(t.shards, result);
    result.newSellers = this.#newSellerInCall;
    this.#newSellerInCall = false;
    this.counters.add(result);
  }

  /** Resolves a frame's seller table (statuses and locations per table index); remembers it when every seller resolved. */
  #resolveSellers(t: IntakeTargets, sellers: TenantSellers, ids: readonly unknown[], memo: SellerTableMemo | null): void {
    let allOk = true;
    for (let s = 0; s < ids.length; s++) {
      const id = ids[s];
      // a seller already in the directory passed every seller-ID check when it was admitted
      const known = typeof id === 'string' ? sellers.find(id) : kNoLocation;
      if (known !== kNoLocation) {
        this.#sellerStatus[s] = EventStatus.Ok;
        this.#sellerLocation[s] = known;
        continue;
      }
      const status = t.guard.checkSellerId(id);
      this.#sellerStatus[s] = status;
      this.#sellerLocation[s] = status === EventStatus.Ok ? sellers.locate(id as string) : kNoLocation;
      if (status === EventStatus.Ok && this.#sellerLocation[s] === kNoLocation) this.#sellerStatus[s] = EventStatus.SellerCapacity;
      if (this.#sellerStatus[s] !== EventStatus.Ok) allOk = false;
    }
    if (allOk && memo !== null) memo.remember(sellers, ids, this.#sellerLocation);
  }

  /** Columnar events: sellers and types are checked once per frame, numbers per event. */
  ingestColumnar(t: IntakeTargets, sellers: TenantSellers, cols: ColumnarEvents, nowMs: number, result: IngestResult, memo: SellerTableMemo | null = null): void {
    result.reset();
    const stage = t.stage;
    const ev = this.#event;
    stage.reset(sellers.tenantId);
    t.guard.nowMs = nowMs;
    ev.eventId = undefined;
    const sellerCount = cols.sellerIds.length;
    if (memo !== null && memo.recall(sellers, cols.sellerIds, this.#sellerLocation)) this.#sellerStatus.fill(EventStatus.Ok, 0, sellerCount);
    else this.#resolveSellers(t, sellers, cols.sellerIds, memo);
    for (let k = 0; k < cols.typeNames.length; k++) {
      const name = cols.typeNames[k];
      this.#typeIndex[k] = typeof name === 'string' ? t.guard.typeIndexOf(name) : -1;
    }
    for (let i = 0; i < cols.length; i++) {
      const s = cols.sellerIndex === null ? 0 : cols.sellerIndex[i];
      if (s >= sellerCount) {
        result.reject(i, EventStatus.SellerMissing);
        continue;
      }
      if (this.#sellerStatus[s] !== EventStatus.Ok) {
        result.reject(i, this.#sellerStatus[s]);
        continue;
      }
      const k = cols.types[i];
      const type = k < cols.typeNames.length ? this.#typeIndex[k] : -1;
      if (type < 0) {
        result.reject(i, EventStatus.TypeUnknown);
        continue;
      }
      ev.timestamp = cols.timestamps[i];
      const tsStatus = t.guard.checkTimestamp(ev);
      if (tsStatus !== EventStatus.Ok && tsStatus !== EventStatus.Late) {
        result.reject(i, tsStatus);
        continue;
      }
      ev.value = cols.values[i];
      const valueStatus = t.guard.checkValue(ev);
      if (valueStatus !== EventStatus.Ok) {
        result.reject(i, valueStatus);
        continue;
      }
      if (tsStatus === EventStatus.Late) {
        result.lateDropped++;
        continue;
      }
      ev.sellerId = cols.sellerIds[s] as string;
      ev.type = type;
      stage.push(this.#sellerLocation[s], ev);
    }
    this.#commit(t, result);
  }

}
