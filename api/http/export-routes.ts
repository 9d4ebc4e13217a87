/**
 * Report exports (issue 7): POST /export/pdf answers a PDF of a report of any kind; POST
 * /export/email mails it through the configured SMTP server. The data is gathered in-process
 * (engine/reports/report-gather.ts), rendered on the piscina pool (or the main thread when
 * `export.renderInPool` is off), and at most `export.maxConcurrent` exports run at once.
 */
import { z } from 'zod';
import type { Piscina } from 'piscina';
import type { Engine } from '../../engine/index.js';
import type { InsightService } from '../../engine/insights/insight-service.js';
import { kReportKinds, type ReportDocument } from '../../engine/reports/report-document.js';
import { gatherReport, type BuildWeekly, type GatherDeps, type ReportRequest } from '../../engine/reports/report-gather.js';
import { renderPdf } from '../../engine/reports/pdf-render.js';
import { kRenderTaskFile } from '../../engine/reports/render-task.js';
import { MailError, type ReportMailer } from '../../engine/reports/mailer.js';
import { reportFilename } from '../../engine/reports/report-format.js';
import { ShardError } from '../../engine/shard/shard-host.js';
import type { HttpResponse } from '../uws.js';
import { problem } from '../errors.js';
import { type ResponseState, sendJson, sendProblem, sendText } from './reply.js';
import { withDecodedBody, type BodyContext } from './decoded-body.js';
import type { Router } from './router.js';
import { kBodyMedia, problemResponses } from './docs.js';
import { kReadOnly, parseBody } from './query.js';

export interface ExportContext extends BodyContext {
  engine: Engine;
  insights: InsightService;
  hooks: GatherDeps['hooks'];
  present: GatherDeps['present'];
  pool: Piscina;
  mailer: ReportMailer;
  now: () => number;
  /** The weekly report's builder; read at each request (weekly answers 404 report_not_found while unset). */
  buildWeekly?: BuildWeekly;
}

const kMaxSubject = 200;
const kMsPerSecond = 1000;

const reportFields = {
  kind: z.enum(kReportKinds).describe('anomaly, prediction, health, weekly or insights'),
  sellerId: z.string().min(1).max(64),
  type: z.string().optional().describe('event type (default: the first; for insights, that of the newest insight)'),
  resolution: z.string().optional().describe('auto (by activity tier) or a ring resolution name'),
  metric: z.enum(['count', 'sum']).optional(),
  horizon: z.number().int().min(1).optional().describe('prediction: buckets ahead'),
};
export const exportPdfSchema = z.object(reportFields).strict();

export function registerExportRoutes(router: Router, ctx: ExportContext): void {
  const cfg = () => ctx.engine.config.export;
  const email = z.email();
  const exportEmailSchema = z.object({
    ...reportFields,
    to: z.union([email, z.array(email).min(1).max(cfg().maxRecipients)]).describe('one address or a list'),
    subject: z.string().min(1).max(kMaxSubject).optional(),
  }).strict();
  let running = 0;

  /** Takes an export slot, gathers and renders; answers every failure itself (null then). */
  async function produce(res: HttpResponse, state: ResponseState, tenantId: string, r: ReportRequest): Promise<{ doc: ReportDocument; pdf: Uint8Array } | null> {
    const deps: GatherDeps = { engine: ctx.engine, insights: ctx.insights, hooks: ctx.hooks, present: ctx.present, buildWeekly: ctx.buildWeekly, now: ctx.now };
    const got = await gatherReport(deps, tenantId, r);
    if (!got.ok) {
      sendProblem(res, state, problem(got.code, got.message, [{ path: got.path, message: got.message }]));
      return null;
    }
    const pdf = cfg().renderInPool ? ((await ctx.pool.run(got.doc, { filename: kRenderTaskFile })) as Uint8Array) : await renderPdf(got.doc);
    return { doc: got.doc, pdf };
  }

  /** Runs `work` in an export slot, or answers 503 export_busy; unexpected failures answer 500 / 503. */
  function slot(res: HttpResponse, state: ResponseState, work: () => Promise<void>): void {
    const c = cfg();
    if (running >= c.maxConcurrent) {
      sendProblem(res, state, problem('export_busy', `${c.maxConcurrent} exports are running; retry later`, [], { retryAfterMs: c.retryAfterMs }),
        { 'retry-after': String(Math.max(1, Math.ceil(c.retryAfterMs / kMsPerSecond))) });
      return;
    }
    running++;
    work().catch((err: unknown) => {
      ctx.engine.log.error({ err, trace_id: state.traceId }, 'report export failed');
      sendProblem(res, state, problem(err instanceof ShardError ? 'shard_unavailable' : 'internal', err instanceof Error ? err.message : 'export failed'));
    }).finally(() => running--);
  }

  router.route({
    method: 'post', path: '/export/pdf', tag: 'exports', access: kReadOnly, body: exportPdfSchema, bodyMedia: kBodyMedia,
    summary: 'A report (anomaly, prediction, health, weekly, insights) as a PDF with charts and the config snapshot',
    responses: {
      200: { description: 'The PDF (Content-Disposition: attachment)', media: 'application/pdf' },
      ...problemResponses(400, 401, 403, 404, 413, 415, 429, 503),
    },
  }, (res, req, state, principal) => {
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value, exportPdfSchema, res, state, 'invalid_request', 'send {kind, sellerId, type?, resolution?, metric?, horizon?}');
      if (body === null) return;
      slot(res, state, async () => {
        const made = await produce(res, state, principal.tenant.id, body);
        if (made === null) return;
        const filename = reportFilename(made.doc.kind, made.doc.sellerId, made.doc.generatedAt);
        sendText(res, state, 200, 'application/pdf', made.pdf, { 'content-disposition': `attachment; filename="${filename}"` });
      });
    });
  });

  router.route({
    method: 'post', path: '/export/email', tag: 'exports', access: kReadOnly, body: exportEmailSchema, bodyMedia: kBodyMedia,
    summary: 'Mail a report as a PDF attachment through the configured SMTP server (export.smtp)',
    responses: {
      202: { description: 'The SMTP server took the message', schema: z.object({ messageId: z.string(), to: z.array(z.string()) }) },
      ...problemResponses(400, 401, 403, 404, 413, 415, 429, 502, 503),
    },
  }, (res, req, state, principal) => {
    withDecodedBody(ctx, res, req, state, ctx.config().limits.maxBodyBytes, (value) => {
      const body = parseBody(value, exportEmailSchema, res, state, 'invalid_request', 'send {kind, sellerId, to, subject?, type?, resolution?, metric?, horizon?}');
      if (body === null) return;
      const { to, subject, ...request } = body;
      const recipients = typeof to === 'string' ? [to] : to;
      slot(res, state, async () => {
        const made = await produce(res, state, principal.tenant.id, request);
        if (made === null) return;
        const { doc, pdf } = made;
        const figures = doc.sections[0]?.keyValues?.map(([k, v]) => `${k}: ${v}`) ?? [];
        try {
          const sent = await ctx.mailer.sendReport({
            to: recipients, subject: subject ?? doc.title, pdf, filename: reportFilename(doc.kind, doc.sellerId, doc.generatedAt),
            text: [doc.title, doc.subtitle, '', ...figures, '', 'The full report is attached as a PDF.'].join('\n'),
          });
          sendJson(res, state, 202, { messageId: sent.messageId, to: recipients });
        } catch (err) {
          if (!(err instanceof MailError)) throw err;
          ctx.engine.log.warn({ err, trace_id: state.traceId }, 'report e-mail failed');
          sendProblem(res, state, problem('email_failed', `the SMTP server did not take the message (${err.code})`, [{ path: 'to', message: 'not delivered' }]));
        }
      });
    });
  });
}
