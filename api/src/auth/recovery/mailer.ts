/**
 * Outgoing email (SMTP_URL, SMTP_FROM) through nodemailer. Absent when SMTP_URL is unset: the
 * features that need mail (recovery email, "Forgot password?") say so instead.
 */
import nodemailer from 'nodemailer';
import type { Logger } from '../../app/logger.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export function createSmtpMailer(smtp: { url: string; from: string }, log: Logger): Mailer {
  const transport = nodemailer.createTransport(smtp.url);
  return {
    async send(message) {
      await transport.sendMail({ from: smtp.from, to: message.to, subject: message.subject, text: message.text });
      // The address is personal data and the subject says enough for operators.
      log.info({ subject: message.subject }, 'mail sent');
    },
    close() {
      transport.close();
    },
  };
}
