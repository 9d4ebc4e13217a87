/**
 * The neutral report model (issue 7). Builders (report-builders.ts, and the weekly report made
 * elsewhere) turn API answers into a ReportDocument; renderers (pdf-render.ts) turn it into bytes.
 * Plain data only — it crosses into the piscina pool by structured clone — and every figure is
 * already formatted as text (report-format.ts), so what a renderer prints is what a test can find.
 *
 *   API answers ──► report-builders ──► ReportDocument ──► renderPdf ──► PDF ──► download / mailer
 */

export const kReportKinds = ['anomaly', 'prediction', 'health', 'weekly', 'insights'] as const;
export type ReportKind = (typeof kReportKinds)[number];

/** A time-series chart: history, optionally a prediction with its band, a cutoff and anomaly marks. */
export interface TimeChart {
  title: string;
  /** Unit of the y axis, e.g. "SALE sum per 1m". */
  unit: string;
  /** Bucket starts (epoch ms, ascending) and their values. */
  history: { timestamps: number[]; values: number[] };
  prediction?: { timestamps: number[]; values: number[]; lower: number[]; upper: number[] };
  /** Epoch ms of the boundary between history and prediction (a vertical line). */
  cutoff?: number;
  /** Epoch ms of the buckets marked as anomalous. */
  anomalies?: number[];
}

export interface ReportTable {
  columns: string[];
  rows: (string | number)[][];
}

export interface Section {
  heading: string;
  paragraphs?: string[];
  keyValues?: [label: string, value: string][];
  table?: ReportTable;
  chart?: TimeChart;
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  sellerId: string;
  kind: ReportKind;
  /** Epoch ms; also the PDF's CreationDate, so the same document renders to the same bytes. */
  generatedAt: number;
  sections: Section[];
  /** The config in force (secrets redacted: config-snapshot.ts) and its version. */
  configSnapshot: { version: number; config: object };
}
