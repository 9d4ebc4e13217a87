/**
 * Poppler's command-line tools (Debian's poppler-utils: pdftoppm, pdfinfo, pdftotext) run on a
 * PDF: the acceptance of issue 7 is that a real renderer takes what we write.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Low resolution: the test needs the pages rendered, not sharp. */
const kDpi = '36';

/** Throws with the install hint when poppler-utils is missing. */
export async function requirePoppler(): Promise<void> {
  for (const tool of ['pdftoppm', 'pdfinfo', 'pdftotext']) {
    try {
      await run(tool, ['-v']);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${tool} is missing: apt-get install -y poppler-utils`, { cause: err });
    }
  }
}

async function withFile<T>(pdf: Uint8Array, f: (path: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'sellerpulse-pdf-'));
  try {
    const path = join(dir, 'report.pdf');
    writeFileSync(path, pdf);
    return await f(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PdfFacts {
  /** pdfinfo's page count. */
  pages: number;
  /** PNG pages pdftoppm rendered (it fails on a broken PDF). */
  rendered: number;
  /** pdftotext's text, whitespace runs folded to one space. */
  text: string;
  info: string;
}

export function inspectPdf(pdf: Uint8Array): Promise<PdfFacts> {
  return withFile(pdf, async (path, dir) => {
    const info = (await run('pdfinfo', [path])).stdout;
    await run('pdftoppm', ['-r', kDpi, '-png', path, join(dir, 'page')]);
    const rendered = readdirSync(dir).filter((f) => f.startsWith('page') && f.endsWith('.png')).length;
    const text = (await run('pdftotext', ['-layout', '-enc', 'UTF-8', path, '-'], { maxBuffer: 1 << 26 })).stdout.replace(/\s+/g, ' ');
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
    return { pages, rendered, text, info };
  });
}
