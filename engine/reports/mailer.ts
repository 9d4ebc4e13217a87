/**
 * Mails a rendered report through the SMTP server of the config (`export.smtp`).
 *
 * Library: nodemailer (MIT, the maintained standard SMTP client for Node, no dependencies). One
 * connection per message and closed after it: reports are rare, and the settings may change with
 * any config version, so nothing is pooled or cached. STARTTLS is used whenever the server offers
 * it; `secure` asks for TLS from the first byte.
 */
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../../config/export-schema.js';

export interface ReportMail {
  to: string[];
  subject: string;
  text: string;
  pdf: Uint8Array;
  filename: string;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
}

/** A delivery the SMTP server refused or never took; `code` is nodemailer's (ECONNECTION, EENVELOPE, …). */
export class MailError extends Error {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.name = 'MailError';
    this.code = code;
  }
}

export class ReportMailer {
  readonly #smtp: () => Readonly<SmtpConfig>;

  /** `smtp` is read at each send (config versions apply to the next mail). */
  constructor(smtp: () => Readonly<SmtpConfig>) {
    this.#smtp = smtp;
  }

  async sendReport(mail: ReportMail): Promise<SentMail> {
    const s = this.#smtp();
    const transport = nodemailer.createTransport({
      host: s.host, port: s.port, secure: s.secure,
      ...(s.user === undefined ? {} : { auth: { user: s.user, pass: s.pass } }),
      connectionTimeout: s.timeoutMs, greetingTimeout: s.timeoutMs, socketTimeout: s.timeoutMs,
    });
    try {
      const info = await transport.sendMail({
        from: s.from, to: mail.to, subject: mail.subject, text: mail.text,
        attachments: [{ filename: mail.filename, content: Buffer.from(mail.pdf.buffer, mail.pdf.byteOffset, mail.pdf.byteLength), contentType: 'application/pdf' }],
      });
      return { messageId: String(info.messageId), accepted: (info.accepted as (string | { address: string })[]).map((a) => (typeof a === 'string' ? a : a.address)) };
    } catch (err) {
      const e = err as { message?: string; code?: string };
      throw new MailError(e.message ?? 'the message could not be sent', e.code ?? 'EUNKNOWN');
    } finally {
      transport.close();
    }
  }
}
