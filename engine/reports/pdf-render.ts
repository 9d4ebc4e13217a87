/**
 * ReportDocument → PDF bytes (issue 7).
 *
 * Library: pdfkit (MIT, long and actively maintained, pure JavaScript: no native code, no
 * browser). It writes vector paths directly — the charts are drawn as lines and
 * filled polygons rather than rasterised — flows text over pages, and takes the document's
 * CreationDate from us; the file ID is derived from the info dictionary, so the same document
 * renders to the same bytes. The alternatives either render HTML through a headless browser
 * (heavy, not deterministic) or (pdf-lib) leave text layout and wrapping to the caller.
 *
 *   title, subtitle
 *   sections in order: heading → paragraphs → key/values → table → chart
 *   "Configuration snapshot": version + pretty-printed JSON (monospace, wrapped over pages)
 *   footer on every page: "SellerPulse · <title> · Page i of N"
 */
import PDFDocument from 'pdfkit';
import type { ReportDocument, Section } from './report-document.js';
import { drawChart } from './pdf-chart.js';
import { prettyJson } from './pretty-json.js';
import { contentWidth, heading, keyValues, paragraphs, table, winAnsi } from './pdf-text.js';
import {
  kColors, kFontMono, kFontRegular, kFontBold, kFooterOffset, kFooterSize, kMargin, kMonoInlineChars, kMonoSize, kPageSize,
  kSectionGap, kSubtitleSize, kTitleGap, kTitleSize, kBodySize,
} from './pdf-layout.js';

export const kConfigSnapshotHeading = 'Configuration snapshot';

type Doc = PDFKit.PDFDocument;

function section(doc: Doc, s: Section): void {
  heading(doc, s.heading);
  if (s.paragraphs?.length) paragraphs(doc, s.paragraphs);
  if (s.keyValues?.length) keyValues(doc, s.keyValues);
  if (s.table) table(doc, s.table.columns, s.table.rows);
  if (s.chart) drawChart(doc, s.chart);
  doc.y += kSectionGap;
}

function configSnapshot(doc: Doc, report: ReportDocument): void {
  doc.addPage();
  heading(doc, kConfigSnapshotHeading);
  paragraphs(doc, [`Config version ${report.configSnapshot.version}, in force when the report was generated. Secret values are redacted.`]);
  const json = prettyJson(report.configSnapshot.config, kMonoInlineChars);
  doc.font(kFontMono).fontSize(kMonoSize).fillColor(kColors.text).text(winAnsi(json), doc.page.margins.left, doc.y, { width: contentWidth(doc) });
}

/** "Page i of N" on every page, written once the page count is known (pages are buffered). */
function footers(doc: Doc, title: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // writing below the bottom margin would make pdfkit start a new page: lift the margin meanwhile
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(kFontRegular).fontSize(kFooterSize).fillColor(kColors.muted)
      .text(winAnsi(`SellerPulse · ${title} · Page ${i + 1} of ${range.count}`), doc.page.margins.left, doc.page.height - margin + kFooterOffset - kFooterSize, { width: contentWidth(doc), align: 'center', lineBreak: false });
    doc.page.margins.bottom = margin;
  }
}

/** Renders `report`; the same report gives the same bytes. */
export function renderPdf(report: ReportDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const created = new Date(report.generatedAt);
    const doc = new PDFDocument({
      size: kPageSize, margin: kMargin, bufferPages: true,
      info: { Title: winAnsi(report.title), Subject: winAnsi(report.subtitle), Author: 'SellerPulse', Creator: 'SellerPulse', CreationDate: created, ModDate: created },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.font(kFontBold).fontSize(kTitleSize).fillColor(kColors.text).text(winAnsi(report.title), { width: contentWidth(doc) });
      doc.y += kTitleGap;
      doc.font(kFontRegular).fontSize(kSubtitleSize).fillColor(kColors.muted).text(winAnsi(report.subtitle), { width: contentWidth(doc) });
      doc.font(kFontRegular).fontSize(kBodySize).fillColor(kColors.muted).text(winAnsi(`Seller ${report.sellerId} · ${report.kind} report · config version ${report.configSnapshot.version}`));
      doc.y += kSectionGap;
      for (const s of report.sections) section(doc, s);
      configSnapshot(doc, report);
      footers(doc, report.title);
      doc.end();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
