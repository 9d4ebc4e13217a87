#!/usr/bin/env node
/**
 * `npx sellerpulse replay <file.csv> [--resolution auto|<ms>] [--type T] [--out <file>]`
 * Reads timestamp,value rows and writes timestamp,value,anomaly_score — one score per input row,
 * in input order, each from the rows up to and including it, with the server's folding and
 * scoring code. The same input gives the same file, byte for byte.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, kMinBucketMs } from '../config/index.js';
import { readReplayCsv, autoBucketMs, ReplayInputError } from '../engine/replay/replay-input.js';
import { OnlineScorer, replayConfig } from '../engine/replay/online-scorer.js';
import { loadDsp } from '../dsp-wasm/host/index.js';

const kScoreDigits = 6;
const kUsage = 'usage: sellerpulse replay <file.csv> [--resolution auto|<ms>] [--type SALE] [--out <file>]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${kUsage}\n`);
  process.exit(2);
}

function replay(args: string[]): void {
  let parsed;
  try {
    parsed = parseArgs({
      args, allowPositionals: true,
      options: { resolution: { type: 'string', default: 'auto' }, type: { type: 'string', default: 'SALE' }, out: { type: 'string' } },
    });
  } catch (err) {
    fail((err as Error).message);
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file) fail('replay needs a CSV file');
  let rows;
  try {
    rows = readReplayCsv(readFileSync(file, 'utf8'));
  } catch (err) {
    if (err instanceof ReplayInputError) fail(`${file}: ${err.message}`);
    throw err;
  }
  const resolution = values.resolution === 'auto' ? autoBucketMs(rows, kMinBucketMs) : Number(values.resolution);
  if (!Number.isInteger(resolution) || resolution < kMinBucketMs) fail(`--resolution must be auto or whole milliseconds ≥ ${kMinBucketMs}`);
  const scorer = new OnlineScorer(replayConfig(loadConfig(), resolution), loadDsp(), values.type);
  const lines = ['timestamp,value,anomaly_score'];
  for (const row of rows) lines.push(`${row.rawTimestamp},${row.rawValue},${scorer.score(row).toFixed(kScoreDigits)}`);
  const text = lines.join('\n') + '\n';
  if (values.out) writeFileSync(values.out, text);
  else process.stdout.write(text);
  process.stderr.write(`replayed ${rows.length} rows at ${resolution} ms buckets\n`);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'replay') replay(rest);
else fail(command ? `unknown command ${command}` : 'a command is needed');
