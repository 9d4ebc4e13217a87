/**
 * Checks run inside the page (as strings: the tests are typed for Node, not the DOM).
 * kContrastCheck lists every visible text whose colour against its effective background is below
 * WCAG AA (4.5:1, large text 3:1); kChartProbe reads the chart's geometry and canvas pixels.
 */

export const kContrastCheck = `(() => {
  const parse = (c) => { const p = (c.match(/[\\d.]+/g) || ['0', '0', '0', '0']).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.a > 0) layers.push(c);
      if (c.a >= 1) break;
    }
    let col = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) col = over(layers[i], col);
    return col;
  };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const failures = [];
  let checked = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('.sr-only, [aria-hidden="true"], [hidden], .skip-link, option, script, style')) continue;
    const box = el.getBoundingClientRect();
    const st = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || st.visibility === 'hidden') continue;
    const bg = background(el);
    const fg = over(parse(st.color), bg);
    const ratio = (Math.max(lum(fg), lum(bg)) + 0.05) / (Math.min(lum(fg), lum(bg)) + 0.05);
    const size = parseFloat(st.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
    checked++;
    if (ratio < (large ? 3 : 4.5)) failures.push(text.slice(0, 40) + ' ' + ratio.toFixed(2) + ':1 (' + st.color + ' on rgb(' + [bg.r, bg.g, bg.b].map(Math.round) + '))');
  }
  return { checked, failures };
})()`;

/** Geometry from the chart (SeriesChart.probe) and what its canvas shows at the band and the cutoff. */
export const kChartProbe = `(() => {
  const el = document.querySelector('[data-testid="series-chart"]');
  const chart = el.closest('figure');
  const probe = chart.__probe();
  const canvas = el.querySelector('canvas');
  const ctx = canvas.getContext('2d');
  const r = canvas.width / canvas.getBoundingClientRect().width;
  const px = (x, y) => Array.from(ctx.getImageData(Math.round((probe.plotLeft + x) * r), Math.round((probe.plotTop + y) * r), 1, 1).data);
  const bandPixel = probe.band ? px(probe.band.x, probe.band.y) : null;
  const aboveBandPixel = probe.band ? px(probe.band.x, 2) : null;
  const ink = (x) => { let n = 0; for (let y = 0; y < probe.plotHeight; y++) if (px(x, y)[3] > 200) n++; return n; };
  const cutoffInk = probe.cutoffX === null ? 0 : Math.max(ink(probe.cutoffX - 0.5), ink(probe.cutoffX), ink(probe.cutoffX + 0.5));
  // two columns left of the cutoff (history side): a vertical grid line at a round time can fall on one of
  // them, depending on the clock when the test runs — it cannot fall on both
  const besideCutoffInk = probe.cutoffX === null ? 0 : Math.min(ink(probe.cutoffX - 7), ink(probe.cutoffX - 11));
  return { ...probe, bandPixel, aboveBandPixel, cutoffInk, besideCutoffInk };
})()`;
