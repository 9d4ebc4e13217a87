/**
 * Every measure of the PDF layout, named once (STYLE §3). Units are PDF points (1/72 inch); the
 * page is A4. The fonts are PDF standard fonts (no font file is embedded, so documents stay small;
 * their text is WinAnsi: pdf-text.ts maps anything else).
 *
 *   ┌──────────────── page (A4, kMargin all round) ────────────────┐
 *   │ title / subtitle                                              │
 *   │ heading ─ paragraphs ─ key/values ─ table ─ chart  (sections) │
 *   │ …                                                             │
 *   │ Configuration snapshot (kFontMono, wrapped over pages)        │
 *   │ footer: title · Page i of N              (kFooterOffset)      │
 *   └───────────────────────────────────────────────────────────────┘
 *
 *   chart box:  kChartTitleHeight │ plot (left: kChartAxisLeft, bottom: kChartAxisBottom) │ legend
 */

export const kPageSize = 'A4';
export const kMargin = 50;

export const kFontRegular = 'Helvetica';
export const kFontBold = 'Helvetica-Bold';
export const kFontMono = 'Courier';

export const kTitleSize = 20;
export const kSubtitleSize = 10;
export const kHeadingSize = 14;
export const kBodySize = 10;
export const kTableSize = 8.5;
export const kChartTextSize = 7.5;
export const kMonoSize = 7;
export const kFooterSize = 8;
/** The config snapshot keeps an object or array on one line up to this many characters (Courier 7 pt fits ~117 a line). */
export const kMonoInlineChars = 100;

/** Vertical space after a title, heading, block. */
export const kTitleGap = 6;
export const kHeadingGap = 4;
export const kBlockGap = 10;
export const kSectionGap = 16;
/** Width share of the label column of key/value lists. */
export const kKeyColumnShare = 0.34;
/** Table cells: inner padding, rule width, and the widest a column may take of the content width. */
export const kCellPadding = 3;
export const kRuleWidth = 0.5;
export const kMaxColumnShare = 0.55;
/** A block starts on a new page when less than this is left (a heading never ends a page). */
export const kMinBlockSpace = 60;
/** The footer sits this far below the bottom margin line. */
export const kFooterOffset = 20;

export const kChartHeight = 230;
export const kChartTitleHeight = 16;
export const kChartAxisLeft = 52;
export const kChartAxisBottom = 16;
export const kChartLegendHeight = 14;
export const kChartRightPad = 8;
/** Tick mark length and the least gap between two axis labels. */
export const kTickLength = 3;
export const kLabelGap = 10;
/** A y-axis label needs this many times the text size of vertical room. */
export const kYLabelSpacing = 3;
export const kLineWidth = 1.2;
export const kAnomalyRadius = 2.6;
export const kBandOpacity = 0.35;
export const kCutoffDash = 3;
export const kLegendSwatch = 12;
/** Half the height of the band's legend swatch. */
export const kLegendBandHalf = 3;
export const kLegendGap = 14;

export const kColors = {
  text: '#1a1a1a',
  muted: '#595959',
  rule: '#bfbfbf',
  axis: '#404040',
  grid: '#e6e6e6',
  headerFill: '#f2f2f2',
  history: '#1f4e79',
  prediction: '#c55a11',
  band: '#f4b183',
  cutoff: '#7f7f7f',
  anomaly: '#c00000',
} as const;
