/**
 * Text blocks of the PDF: headings, paragraphs, key/value lists and tables, each breaking to a new
 * page when it does not fit. Every string goes through `winAnsi` first: the standard PDF fonts
 * encode WinAnsi only, and a character outside it would print as a wrong glyph.
 */
import {
  kBlockGap, kBodySize, kCellPadding, kColors, kFontBold, kFontRegular, kHeadingGap, kHeadingSize,
  kKeyColumnShare, kMaxColumnShare, kMinBlockSpace, kRuleWidth, kTableSize,
} from './pdf-layout.js';

/** Characters outside WinAnsi that reports use, spelled in WinAnsi. */
const kReplacements: Record<string, string> = {
  'σ': 'sigma', '≥': '>=', '≤': '<=', '≈': '~', '−': '-', '→': '->', '←': '<-', '∞': 'inf', 'μ': 'µ',
};
/** WinAnsi's characters above Latin-1's C1 range (0x80–0x9F). */
const kWinAnsiExtra = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const kFirstPrintable = 0x20;
const kLastAscii = 0x7e;
const kFirstLatin1 = 0xa0;
const kLastLatin1 = 0xff;

/** `s` with every character the standard fonts cannot show replaced ("?" when nothing fits). */
export function winAnsi(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if ((c >= kFirstPrintable && c <= kLastAscii) || (c >= kFirstLatin1 && c <= kLastLatin1) || ch === '\n' || kWinAnsiExtra.has(ch)) out += ch;
    else out += kReplacements[ch] ?? '?';
  }
  return out;
}

type Doc = PDFKit.PDFDocument;

export const contentWidth = (doc: Doc): number => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc): number => doc.page.height - doc.page.margins.bottom;

/** Starts a new page unless `height` fits below the cursor. */
export function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > bottom(doc)) doc.addPage();
}

export function heading(doc: Doc, text: string): void {
  ensureSpace(doc, kMinBlockSpace);
  doc.font(kFontBold).fontSize(kHeadingSize).fillColor(kColors.text).text(winAnsi(text), doc.page.margins.left, doc.y, { width: contentWidth(doc) });
  doc.y += kHeadingGap;
}

export function paragraphs(doc: Doc, items: readonly string[]): void {
  doc.font(kFontRegular).fontSize(kBodySize).fillColor(kColors.text);
  for (const p of items) {
    doc.text(winAnsi(p), doc.page.margins.left, doc.y, { width: contentWidth(doc) });
    doc.y += kHeadingGap;
  }
  doc.y += kBlockGap - kHeadingGap;
}

/** Label in bold on the left, value wrapped on the right; a row never splits over two pages. */
export function keyValues(doc: Doc, rows: readonly (readonly [string, string])[]): void {
  const x = doc.page.margins.left;
  const keyWidth = contentWidth(doc) * kKeyColumnShare;
  const valueWidth = contentWidth(doc) - keyWidth;
  doc.fontSize(kBodySize).fillColor(kColors.text);
  for (const [k, v] of rows) {
    const key = winAnsi(k);
    const value = winAnsi(v);
    const h = Math.max(doc.font(kFontBold).heightOfString(key, { width: keyWidth }), doc.font(kFontRegular).heightOfString(value, { width: valueWidth }));
    ensureSpace(doc, h);
    const y = doc.y;
    doc.font(kFontBold).text(key, x, y, { width: keyWidth });
    doc.font(kFontRegular).text(value, x + keyWidth, y, { width: valueWidth });
    doc.y = y + h + kCellPadding;
  }
  doc.y += kBlockGap;
}

/** Column widths from the widest cell of each, capped, scaled to the content width. */
function columnWidths(doc: Doc, cells: string[][], width: number): number[] {
  const cap = width * kMaxColumnShare;
  const natural = cells[0].map((_, j) => Math.min(cap, Math.max(...cells.map((r, i) => doc.font(i === 0 ? kFontBold : kFontRegular).widthOfString(r[j] ?? ''))) + 2 * kCellPadding));
  const total = natural.reduce((s, w) => s + w, 0);
  return natural.map((w) => (w * width) / total);
}

/** A table with a shaded header row, repeated on every page it runs over. */
export function table(doc: Doc, columns: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  const x0 = doc.page.margins.left;
  const cells = [columns.map(winAnsi), ...rows.map((r) => r.map((c) => winAnsi(String(c))))];
  doc.fontSize(kTableSize);
  const widths = columnWidths(doc, cells, contentWidth(doc));
  const rowHeight = (r: string[], bold: boolean) => Math.max(...r.map((c, j) => doc.font(bold ? kFontBold : kFontRegular).heightOfString(c, { width: widths[j] - 2 * kCellPadding }))) + 2 * kCellPadding;
  const drawRow = (r: string[], bold: boolean) => {
    const h = rowHeight(r, bold);
    const y = doc.y;
    if (bold) doc.rect(x0, y, contentWidth(doc), h).fill(kColors.headerFill);
    let x = x0;
    doc.font(bold ? kFontBold : kFontRegular).fillColor(kColors.text);
    r.forEach((c, j) => {
      doc.text(c, x + kCellPadding, y + kCellPadding, { width: widths[j] - 2 * kCellPadding });
      x += widths[j];
    });
    doc.moveTo(x0, y + h).lineTo(x0 + contentWidth(doc), y + h).lineWidth(kRuleWidth).strokeColor(kColors.rule).stroke();
    doc.y = y + h;
  };
  ensureSpace(doc, rowHeight(cells[0], true) + (cells.length > 1 ? rowHeight(cells[1], false) : 0));
  drawRow(cells[0], true);
  for (let i = 1; i < cells.length; i++) {
    if (doc.y + rowHeight(cells[i], false) > bottom(doc)) {
      doc.addPage();
      drawRow(cells[0], true);
    }
    drawRow(cells[i], false);
  }
  doc.y += kBlockGap;
}
