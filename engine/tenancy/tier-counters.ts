/** Events by the tier of the tenant that sent them and by outcome (GET /metrics); added per call, never per event. */
import type { IngestResult } from '../intake/ingest-result.js';
import type { TierName } from '../store/schema.js';

export class TierOutcomes {
  accepted = 0;
  rejected = 0;
  lateDropped = 0;
  duplicates = 0;
  /** Events of calls refused whole (queue full, rate limited). */
  refused = 0;
}

export class TierEventCounters {
  readonly byTier: Record<TierName, TierOutcomes> = { basic: new TierOutcomes(), premium: new TierOutcomes(), enterprise: new TierOutcomes() };

  add(tier: TierName, result: IngestResult, events: number): void {
    const t = this.byTier[tier];
    if (result.queueFull) {
      t.refused += events;
      return;
    }
    t.accepted += result.accepted;
    t.rejected += result.rejectedIndex.length;
    t.lateDropped += result.lateDropped;
    t.duplicates += result.duplicates;
  }

  refused(tier: TierName, events: number): void {
    this.byTier[tier].refused += events;
  }
}
