/**
 * Reference FIR filters (direct-form convolution, definitions `fir_causal`
 * and `fir_same` of test/fixtures/dsp_public.json) and the scipy.signal.firwin
 * low-pass design. Non-finite samples propagate by plain IEEE arithmetic: a NaN
 * at x[p] reaches exactly the outputs that sum over it.
 */

/** Hamming window coefficients (Hamming 1977; scipy.signal.windows.hamming, sym=True). */
const HAMMING_ALPHA = 0.54;
const HAMMING_BETA = 0.46;

function checkTaps(taps: Float64Array): void {
  if (taps.length < 1) throw new RangeError('FIR needs at least one tap');
}

/** y[n] = sum_j taps[j] x[n - shift - j] over 0 <= n - shift - j < N, for n < N. */
function convolve(x: Float64Array, taps: Float64Array, shift: number): Float64Array {
  const n = x.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let j = 0; j < taps.length; j++) {
      const src = i + shift - j;
      if (src >= 0 && src < n) acc += taps[j] * x[src];
    }
    y[i] = acc;
  }
  return y;
}

export function firCausal(x: Float64Array, taps: Float64Array): Float64Array {
  checkTaps(taps);
  return convolve(x, taps, 0);
}

export function firSame(x: Float64Array, taps: Float64Array): Float64Array {
  checkTaps(taps);
  return convolve(x, taps, Math.floor((taps.length - 1) / 2));
}

/** sin(pi t) / (pi t), 1 at t = 0 (numpy.sinc). */
function sinc(t: number): number {
  if (t === 0) return 1;
  const a = Math.PI * t;
  return Math.sin(a) / a;
}

/**
 * scipy.signal.firwin(numtaps, cutoff) low-pass: windowed sinc of bandwidth
 * `cutoff` (fraction of Nyquist, 0 < cutoff < 1), Hamming window, scaled to
 * unit DC gain.
 */
export function firwinLowpass(numtaps: number, cutoff: number): Float64Array {
  if (!Number.isInteger(numtaps) || numtaps < 1) throw new RangeError(`numtaps must be a positive integer, got ${numtaps}`);
  if (!(cutoff > 0 && cutoff < 1)) throw new RangeError(`cutoff must lie in (0, 1), got ${cutoff}`);
  const h = new Float64Array(numtaps);
  const centre = (numtaps - 1) / 2;
  let sum = 0;
  for (let i = 0; i < numtaps; i++) {
    const window = numtaps === 1 ? 1 : HAMMING_ALPHA - HAMMING_BETA * Math.cos((2 * Math.PI * i) / (numtaps - 1));
    h[i] = cutoff * sinc(cutoff * (i - centre)) * window;
    sum += h[i];
  }
  for (let i = 0; i < numtaps; i++) h[i] /= sum;
  return h;
}
