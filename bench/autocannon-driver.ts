/** Runs autocannon programmatically (inside the driver child process) against one URL with a fixed body. */
import { benchConfig } from './bench-config.js';
import autocannon from 'autocannon';

export interface AutocannonJob {
  url: string;
  body: string;
  contentType: string;
  connections: number;
  pipelining: number;
  durationSec: number;
}

export interface HttpLoadResult {
  durationSec: number;
  requests: number;
  /** Responses with a 2xx status. */
  ok: number;
  non2xx: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export function runAutocannon(job: AutocannonJob): Promise<HttpLoadResult> {
  return new Promise((resolve, reject) => {
    autocannon({
      url: job.url,
      method: 'POST',
      headers: { 'content-type': job.contentType, authorization: `Bearer ${benchConfig.apiKey}` },
      body: job.body,
      connections: job.connections,
      pipelining: job.pipelining,
      duration: job.durationSec,
    }, (err, r) => {
      if (err) {
        reject(err);
        return;
      }
      resolve({
        durationSec: r.duration,
        requests: r.requests.total,
        ok: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors + r.timeouts,
        p50Ms: r.latency.p50,
        p99Ms: r.latency.p99,
      });
    });
  });
}
