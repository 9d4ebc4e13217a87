/**
 * Acceptance (issue: analytics, replay): `sellerpulse replay` writes exactly one score per input
 * row, in input order, each computed online (a prefix of the input gives the same scores), and two
 * runs give identical files — on an export with irregular spacing, a long gap, repeated
 * timestamps, small jumps back in time and mixed ISO/epoch timestamps.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prng } from '../helpers/tally.js';

const kCli = fileURLToPath(new URL('../../dist/api/cli.js', import.meta.url));

function makeCsv(rows: number): string {
  const rand = prng(11);
  let t = Date.UTC(2026, 0, 1) / 1000;
  const lines = ['timestamp,value'];
  for (let i = 0; i < rows; i++) {
    t += [60, 60, 60, 61, 59, 120, 0][Math.floor(rand() * 7)];
    if (i === 450) t += 4 * 3600; // a long gap
    if (i % 97 === 5) t -= 30; // a small jump back
    const value = i === 620 ? 400 : 10 + 5 * Math.sin((2 * Math.PI * i) / 60) + rand();
    const ts = i % 3 === 0 ? new Date(t * 1000).toISOString() : String(t);
    lines.push(`${ts},${value.toFixed(2)}`);
  }
  return lines.join('\n') + '\n';
}

function run(file: string, out: string, extra: string[] = []): string[] {
  execFileSync(process.execPath, [kCli, 'replay', file, '--out', out, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  return readFileSync(out, 'utf8').trimEnd().split('\n');
}

describe('sellerpulse replay', () => {
  it('one online score per row, in order, reproducibly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sellerpulse-replay-'));
    try {
      const csv = makeCsv(700);
      const input = join(dir, 'in.csv');
      writeFileSync(input, csv);
      const a = run(input, join(dir, 'a.csv'));
      const b = run(input, join(dir, 'b.csv'));
      expect(b).toEqual(a);
      const inputRows = csv.trimEnd().split('\n');
      expect(a).toHaveLength(inputRows.length);
      expect(a[0]).toBe('timestamp,value,anomaly_score');
      for (let i = 1; i < a.length; i++) {
        const [ts, value, score] = a[i].split(',');
        expect(`${ts},${value}`).toBe(inputRows[i]);
        expect(Number(score)).toBeGreaterThanOrEqual(0);
        expect(Number(score)).toBeLessThanOrEqual(1);
      }
      // online: the first 500 rows alone score exactly as they did with the rest of the file present
      const prefix = join(dir, 'prefix.csv');
      writeFileSync(prefix, inputRows.slice(0, 501).join('\n') + '\n');
      expect(run(prefix, join(dir, 'p.csv'), ['--resolution', '60000'])).toEqual(run(input, join(dir, 'c.csv'), ['--resolution', '60000']).slice(0, 501));
      // the spike row scores far above a quiet row before it
      const score = (row: number) => Number(a[row + 1].split(',')[2]);
      expect(score(620)).toBeGreaterThan(0.9);
      expect(score(400)).toBeLessThan(0.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a bad row with its line number', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sellerpulse-replay-'));
    try {
      const input = join(dir, 'bad.csv');
      writeFileSync(input, 'timestamp,value\n1760000000,1\nnot-a-date,2\n');
      expect(() => execFileSync(process.execPath, [kCli, 'replay', input], { stdio: ['ignore', 'ignore', 'pipe'] })).toThrow(/line 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
