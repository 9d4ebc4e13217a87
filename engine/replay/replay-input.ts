/**
 * Reads a `timestamp,value` CSV (csv-parse: quoting, BOM, CRLF handled by a well-kept parser).
 * Timestamps are ISO-8601 (with or without a zone: no zone means UTC) or epoch numbers — seconds
 * below kEpochSecondsLimit, milliseconds above. A header row is recognised and skipped.
 */
import { parse } from 'csv-parse/sync';

/** Epoch values below this are seconds (1e11 s is the year 5138; 1e11 ms is 1973). */
const kEpochSecondsLimit = 1e11;
const kMsPerSecond = 1000;

export interface ReplayRow {
  /** As written in the input (echoed in the output). */
  rawTimestamp: string;
  rawValue: string;
  timestamp: number;
  value: number;
}

export class ReplayInputError extends Error {
  constructor(readonly line: number, message: string) {
    super(`line ${line}: ${message}`);
  }
}

export function parseTimestamp(text: string): number {
  const t = text.trim();
  if (/^-?\d+(\.\d+)?$/.test(t)) {
    const n = Number(t);
    return Math.round(Math.abs(n) < kEpochSecondsLimit ? n * kMsPerSecond : n);
  }
  const dashed = /^\d{4}\/\d{2}\/\d{2}/.test(t) ? t.replace(/\//g, '-') : t; // 2015/01/01 01:00:00
  const iso = /(Z|[+-]\d{2}:?\d{2})$/i.test(dashed) ? dashed : `${dashed.replace(' ', 'T')}Z`;
  return Date.parse(iso);
}

export function readReplayCsv(text: string): ReplayRow[] {
  const records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as string[][];
  const rows: ReplayRow[] = [];
  records.forEach((rec, i) => {
    const [rawTimestamp = '', rawValue = ''] = rec;
    const timestamp = parseTimestamp(rawTimestamp);
    const value = Number(rawValue);
    if (i === 0 && (Number.isNaN(timestamp) || rawValue === '' || Number.isNaN(value))) return; // header
    if (!Number.isFinite(timestamp)) throw new ReplayInputError(i + 1, `cannot read timestamp "${rawTimestamp}"`);
    if (rawValue === '' || !Number.isFinite(value) || value < 0) throw new ReplayInputError(i + 1, `value must be a finite number ≥ 0, got "${rawValue}"`);
    rows.push({ rawTimestamp, rawValue, timestamp, value });
  });
  return rows;
}

/**
 * "auto" resolution: the median positive gap between consecutive rows (irregular exports, repeated
 * timestamps and small jumps back are common), rounded to whole seconds, at least `minBucketMs`.
 */
export function autoBucketMs(rows: readonly ReplayRow[], minBucketMs: number): number {
  const gaps: number[] = [];
  for (let i = 1; i < rows.length; i++) {
    const gap = rows[i].timestamp - rows[i - 1].timestamp;
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return minBucketMs;
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  return Math.max(minBucketMs, Math.round(median / kMsPerSecond) * kMsPerSecond);
}
