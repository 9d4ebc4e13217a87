/**
 * Acceptance (issue 7, e-mail): POST /export/email hands the report to a real SMTP server process
 * (smtp-server, started here on 127.0.0.1, port 0): the message arrives with the PDF attached and
 * the PDF renders; with the SMTP server gone the answer is 502 email_failed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { startTestServer, postJson, kTestAdminKey, type TestServer } from '../helpers/server.js';
import { inspectPdf, requirePoppler } from './support/pdf-tools.js';
import { postExport, seedSeller } from './support/seed.js';

const kSeller = 'mail-shop-3';

interface Received {
  raw: Buffer;
  from: string;
  to: string[];
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('POST /export/email', () => {
  let server: TestServer;
  let smtp: SMTPServer;
  const inbox: Received[] = [];

  beforeAll(async () => {
    await requirePoppler();
    smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          inbox.push({ raw: Buffer.concat(chunks), from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address) });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const { port } = smtp.server.address() as AddressInfo;
    server = await startTestServer({ monitor: { enabled: false }, export: { smtp: { host: '127.0.0.1', port, from: 'SellerPulse Reports <reports@sellerpulse.test>', timeoutMs: 5000 } } });
    await seedSeller(server.base, kSeller, Date.now(), 600);
  });
  afterAll(async () => {
    await server?.close();
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
  });

  it('delivers the report to the SMTP server with the PDF attached', async () => {
    const r = await postExport(server.base, '/export/email', { kind: 'health', sellerId: kSeller, to: ['ops@shop.test', 'cfo@shop.test'] }, kTestAdminKey);
    expect(r.status, JSON.stringify(r.problem)).toBe(202);
    expect(r.problem.to).toEqual(['ops@shop.test', 'cfo@shop.test']);
    expect(r.problem.messageId).toMatch(/^<.+@.+>$/);
    expect(inbox).toHaveLength(1);
    const got = inbox[0];
    expect(got.from).toBe('reports@sellerpulse.test');
    expect(got.to).toEqual(['ops@shop.test', 'cfo@shop.test']);

    const mail = await simpleParser(got.raw);
    expect(mail.messageId).toBe(r.problem.messageId);
    expect(mail.subject).toBe(`Health report: ${kSeller}`);
    expect(mail.text).toMatch(/Health score: \d+\.\d \/ 100/);
    expect(mail.attachments).toHaveLength(1);
    const [pdf] = mail.attachments;
    expect(pdf.contentType).toBe('application/pdf');
    expect(pdf.filename).toMatch(new RegExp(`^sellerpulse-health-${kSeller}-\\d{8}-\\d{4}\\.pdf$`));
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    const facts = await inspectPdf(pdf.content);
    expect(facts.rendered).toBe(facts.pages);
    expect(facts.text).toContain(`Health report: ${kSeller}`);
    expect(facts.text).toContain(mail.text!.split('\n').find((l) => l.startsWith('Health score'))!.replace(':', ''));
    expect(facts.text).toContain('Configuration snapshot');
    // the SMTP settings are in the snapshot, never a password
    expect(facts.text).toContain('"host": "127.0.0.1"');
  });

  it('takes one address and a subject', async () => {
    const r = await postExport(server.base, '/export/email', { kind: 'anomaly', sellerId: kSeller, to: 'ops@shop.test', subject: 'Daily anomaly check' }, kTestAdminKey);
    expect(r.status).toBe(202);
    const mail = await simpleParser(inbox[inbox.length - 1].raw);
    expect(mail.subject).toBe('Daily anomaly check');
    expect(mail.attachments[0].filename).toMatch(/^sellerpulse-anomaly-/);
  });

  it('refuses bad recipients, and answers 502 email_failed when the SMTP server is gone', async () => {
    const bad = await postExport(server.base, '/export/email', { kind: 'health', sellerId: kSeller, to: 'not-an-address' }, kTestAdminKey);
    expect(bad.status).toBe(400);
    expect(bad.problem.errors[0].path).toMatch(/^\/to/);
    const tooMany = Array.from({ length: server.config.export.maxRecipients + 1 }, (_, i) => `r${i}@shop.test`);
    expect((await postExport(server.base, '/export/email', { kind: 'health', sellerId: kSeller, to: tooMany }, kTestAdminKey)).status).toBe(400);
    expect((await postExport(server.base, '/export/email', { kind: 'health', sellerId: 'never-seen', to: 'ops@shop.test' }, kTestAdminKey)).status).toBe(404);

    const moved = await postJson(server.base, '/config', { patch: { export: { smtp: { port: await closedPort() } } }, reason: 'SMTP relay moved' });
    expect(moved.status).toBe(201);
    const before = inbox.length;
    const down = await postExport(server.base, '/export/email', { kind: 'health', sellerId: kSeller, to: 'ops@shop.test' }, kTestAdminKey);
    expect(down.status).toBe(502);
    expect(down.headers.get('content-type')).toBe('application/problem+json');
    expect(down.problem).toMatchObject({ type: '/problems/email_failed', status: 502 });
    expect(down.problem.detail).toMatch(/\((ESOCKET|ECONNECTION)\)$/);
    expect(inbox.length).toBe(before);
  });
});
