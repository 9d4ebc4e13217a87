/**
 * Tunables of the behaviour fingerprints (engine/fingerprint): signature features, their
 * normalisation and weights, the clustering and the classification thresholds. Meant to be merged
 * into the main schema as the `fingerprint` key; every field has a default, so
 * `fingerprintSchema.parse({})` is the default config.
 *
 * Units: windows are in BUCKETS of the series they apply to (`fine` = the 1 s CLICK ring, `coarse`
 * = the 1 min ring); distances are in signature units (weighted RMS over features in [0, 1]).
 */
import { z } from 'zod';

const positive = z.number().finite().positive();
const unit = z.number().finite().min(0).max(1);
const weight = z.number().finite().min(0);
const count = (min: number): z.ZodNumber => z.number().int().min(min);

export const featuresSchema = z
  .object({
    /** Higuchi kmax for the complexity feature (dsp.hfd). */
    kmax: count(2).default(8),
    /**
     * Longest period (fine buckets) the spectral features look at: slower components (rate drift,
     * the daily cycle) are left out of the periodicity, the dominant period and the flatness.
     */
    maxPeriod: count(4).default(128),
    /**
     * Local noise floor of the power spectrum: the median power within `floorHalfWidth` bins on
     * either side. The dominant period is the most prominent peak over that floor, so that rate
     * drift (red noise) does not pass for a period.
     */
    floorHalfWidth: count(1).default(8),
    /**
     * A click train spreads its power over the harmonics of its rate. The dominant period is found
     * by subharmonic summation over `harmonics` multiples, the h-th weighted harmonicWeight^(h-1)
     * (Hermes 1988: 0.84); periodicity = power above the floor at the dominant peak and its
     * multiples, each with `peakHalfWidth` neighbouring bins on either side, over the band's power.
     */
    harmonics: count(1).default(4),
    harmonicWeight: z.number().finite().gt(0).max(1).default(0.84),
    peakHalfWidth: count(0).default(1),
    /**
     * Confidence in the dominant period rises from 0 at peak-to-floor power ratio `gateLow` to 1
     * at `gateHigh` (linear in log ratio); periods are compared only as far as both are believed
     * (an aperiodic series has a dominant period too, but it is noise). Among ~500 bins of white
     * noise the largest ratio is about ln(500) / ln(2) ≈ 9. The period coordinate itself is
     * log(period) / log(maxPeriod).
     */
    gateLow: z.number().finite().gt(1).default(10),
    gateHigh: z.number().finite().gt(1).default(20),
    /** Timing entropy: events are folded on the dominant period into at most this many phase bins (at least 2)… */
    maxPhaseBins: count(2).default(32),
    /** …and at most one bin per this many events, so that sparse sellers do not look concentrated by chance. */
    eventsPerPhaseBin: count(1).default(4),
    /** Spectral flatness: each power bin is floored at powerFloor × the mean power before the logs. */
    powerFloor: z.number().finite().gt(0).lt(1).default(1e-6),
    /**
     * Regularity: Allan factor of the counts in consecutive blocks of at least `regularityWindow`
     * fine buckets, rounded up to a whole number of dominant periods when the period is believed
     * (peak-to-floor ratio ≥ gateLow) and the window still holds `minBlocks` such blocks.
     * Poisson arrivals give 1 at any block length, clockwork ≈ 0, bursts > 1; the estimate's
     * relative spread is about √(2 / (blocks - 1)).
     */
    regularityWindow: count(1).default(32),
    minBlocks: count(3).default(16),
    /** Allan factors map to [0, 1) as a / (a + half): `half` is the factor that maps to 0.5. */
    allanHalf: positive.default(1),
    /** Coarse regularity: Allan factor of coarse-window counts… */
    coarseWindow: count(1).default(1),
    /** …mapped the same way (organic minute counts are over-dispersed: a few times Poisson). */
    coarseAllanHalf: positive.default(4),
  })
  .strict()
  .refine((f) => f.gateLow < f.gateHigh, { message: 'gateLow must be below gateHigh', path: ['gateLow'] });

/**
 * Weight of each signature coordinate in the distance (0 drops it). The period identifies a
 * script and is estimated precisely, so it weighs most; periodicity, timing entropy and the fine
 * regularity are noisy for sparse sellers. Defaults calibrated on test/fingerprint's population.
 */
export const weightsSchema = z
  .object({
    periodicity: weight.default(0.5),
    periodConfidence: weight.default(0.5),
    period: weight.default(4),
    timingEntropy: weight.default(0.5),
    complexity: weight.default(1),
    flatness: weight.default(1),
    regularity: weight.default(0.5),
    coarseRegularity: weight.default(1),
  })
  .strict()
  .refine((w) => Object.values(w).some((v) => v > 0), { message: 'at least one weight must be positive' });

export const fingerprintSchema = z
  .object({
    /** Events the fine window must hold before a seller is fingerprinted (each half, for the change test). */
    minEvents: count(1).default(32),
    features: featuresSchema.prefault({}),
    weights: weightsSchema.prefault({}),
    /** What makes a signature suspicious (a clustering candidate): any one condition is enough. */
    suspect: z
      .object({
        /**
         * Strong periodicity: the dominant peak and its harmonics hold at least this share of the
         * power, and the peak stands at least minPeakRatio times above its local floor.
         */
        minPeriodicity: unit.default(0.1),
        minPeakRatio: z.number().finite().gt(1).default(20),
        /** Low complexity: counts far more regular than random arrivals, in the fine window (Allan factor at most this)… */
        maxAllan: positive.default(0.35),
        /** …or over the coarse window (organic traffic is at least Poisson-irregular minute to minute: ≥ 1). */
        maxCoarseAllan: positive.default(0.5),
      })
      .strict()
      .prefault({}),
    cluster: z
      .object({
        /** Single linkage: two suspicious signatures closer than this are in the same cluster. */
        linkDistance: positive.default(0.1),
        /** A cluster this large or larger is a bot cluster. */
        minSize: count(2).default(3),
      })
      .strict()
      .prefault({}),
    change: z
      .object({
        /** First-half vs second-half signature distance at or above which the strategy changed. */
        minDistance: positive.default(0.25),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type FingerprintConfig = z.infer<typeof fingerprintSchema>;
export type FeatureConfig = FingerprintConfig['features'];
export type FeatureWeights = FingerprintConfig['weights'];

export function defaultFingerprintConfig(): FingerprintConfig {
  return fingerprintSchema.parse({});
}

/**
 * Where fingerprints are computed from and how often (part of the main schema as `fingerprints`):
 * the counts of one event type on a fine ring (timing) and a coarse ring (daily shape), for every
 * seller of a tenant at once (clusters need the population), cached per tenant for `refreshMs`.
 */
export const fingerprintsSchema = z
  .object({
    eventType: z.string().default('CLICK'),
    fineResolution: z.string().default('1s'),
    coarseResolution: z.string().default('1m'),
    refreshMs: z.number().int().min(100).default(60_000),
    /** Sellers per tenant fingerprinted at most (the most recently active ones beyond). */
    maxSellers: z.number().int().min(1).default(20_000),
    model: fingerprintSchema.prefault({}),
  })
  .strict();

export type FingerprintsConfig = z.infer<typeof fingerprintsSchema>;
