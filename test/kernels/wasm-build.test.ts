/**
 * The WASM build is reproducible: compiling asconfig.json's targets again into
 * a temporary directory gives the same bytes as dsp-wasm/build/ (which also
 * proves the committed build step is up to date with the sources).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ASC = join(ROOT, 'node_modules/assemblyscript/bin/asc.js');
/** Two asc runs take ~3 s here; generous for a loaded 2-core machine. */
const BUILD_TIMEOUT_MS = 60_000;

const run = promisify(execFile);
const outDir = mkdtempSync(join(tmpdir(), 'dsp-wasm-build-'));

afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('WASM build', () => {
  it(
    'is byte-for-byte reproducible for both targets',
    async () => {
      const targets = ['release', 'debug'];
      await Promise.all(
        targets.map((target) =>
          run(process.execPath, [ASC, '--config', 'asconfig.json', '--target', target, '--outFile', join(outDir, `${target}.wasm`)], {
            cwd: ROOT,
          }),
        ),
      );
      for (const target of targets) {
        const rebuilt = readFileSync(join(outDir, `${target}.wasm`));
        const shipped = readFileSync(join(ROOT, 'dsp-wasm/build', `${target}.wasm`));
        expect(rebuilt.length, target).toBeGreaterThan(0);
        expect(rebuilt.equals(shipped), `${target}.wasm differs from a fresh build`).toBe(true);
      }
    },
    BUILD_TIMEOUT_MS,
  );
});
