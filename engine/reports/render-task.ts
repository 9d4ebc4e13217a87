/**
 * renderPdf as a piscina task (the pool of api/server.ts): a report's layout and compression take
 * tens of milliseconds of CPU, which the main thread — the one serving uWS — should not spend.
 * The document arrives by structured clone (it is plain data); the bytes go back the same way.
 */
import { fileURLToPath } from 'node:url';
import type { ReportDocument } from './report-document.js';
import { renderPdf } from './pdf-render.js';
import { lowerPoolThreadPriority } from '../pool-thread-priority.js';

lowerPoolThreadPriority();

export const kRenderTaskFile = fileURLToPath(new URL('./render-task.js', import.meta.url));

export default async function render(doc: ReportDocument): Promise<Uint8Array> {
  return renderPdf(doc);
}
