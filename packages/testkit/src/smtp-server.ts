import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/** A reply the server gives instead of accepting, e.g. `{ code: 421, message: 'try later' }`. */
export interface SmtpReply {
  code: number;
  message: string;
}

/** Faults the server injects. Functions get the attempt number (1 for the first message). */
export interface SmtpFaults {
  /** Delay before the 220 greeting. */
  greetingDelayMs?: number;
  /** Reply to AUTH with this instead of checking credentials. */
  auth?: SmtpReply;
  /** Reply to MAIL FROM. */
  mailFrom?: (attempt: number) => SmtpReply | undefined;
  /** Reply to RCPT TO for a given address. */
  rcptTo?: (address: string) => SmtpReply | undefined;
  /** Reply after DATA (e.g. 421 the first time, 552 always). */
  data?: (attempt: number) => SmtpReply | undefined;
  /** Drop the connection in the middle of DATA on these attempts. */
  dropDuringData?: (attempt: number) => boolean;
}

export interface ReceivedMessage {
  from: string;
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface TestSmtpServer {
  host: string;
  port: number;
  /** `implicit` (TLS from the first byte, like 465), `starttls` (like 587) or `none`. */
  tls: 'implicit' | 'starttls' | 'none';
  /** PEM of the self-signed certificate (also its own CA), when TLS is on. */
  cert?: string;
  user?: string;
  pass?: string;
  messages: ReceivedMessage[];
  /** Number of DATA attempts so far, accepted or not. */
  dataAttempts(): number;
  /** Resolves when `count` messages have been accepted. */
  waitForMessages(count: number, timeoutMs?: number): Promise<ReceivedMessage[]>;
  faults: SmtpFaults;
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  tls?: 'implicit' | 'starttls' | 'none';
  /** Require AUTH with these credentials (PLAIN and LOGIN). */
  auth?: { user: string; pass: string };
  faults?: SmtpFaults;
  /** Largest message accepted, in bytes (SIZE extension). */
  size?: number;
  port?: number;
}

let cached: { key: string; cert: string } | undefined;

/** A self-signed certificate for 127.0.0.1/localhost, made once per process with openssl. */
export function selfSignedCert(): { key: string; cert: string } {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'n2k-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    cached = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    return cached;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function replyError(reply: SmtpReply): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

/** Starts a real SMTP server on loopback that records (and parses) what it accepts. */
export async function startSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const tls = options.tls ?? 'none';
  const faults: SmtpFaults = { ...options.faults };
  const messages: ReceivedMessage[] = [];
  const sockets = new Set<Socket>();
  const waiters: Array<() => void> = [];
  let attempts = 0;
  let mailFromAttempts = 0;
  const cert = tls === 'none' ? undefined : selfSignedCert();

  const config: SMTPServerOptions = {
    secure: tls === 'implicit',
    disabledCommands: [...(tls === 'none' ? ['STARTTLS'] : []), ...(options.auth ? [] : ['AUTH'])],
    authOptional: !options.auth,
    allowInsecureAuth: tls === 'none',
    authMethods: ['PLAIN', 'LOGIN'],
    size: options.size,
    logger: false,
    ...(cert ? { key: cert.key, cert: cert.cert } : {}),
    onConnect(_session, callback) {
      const delay = faults.greetingDelayMs ?? 0;
      if (delay > 0) setTimeout(() => callback(), delay);
      else callback();
    },
    onAuth(auth, _session, callback) {
      if (faults.auth) return callback(replyError(faults.auth));
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        return callback(null, { user: auth.username });
      }
      return callback(replyError({ code: 535, message: '5.7.8 Authentication credentials invalid' }));
    },
    onMailFrom(_address, _session, callback) {
      mailFromAttempts++;
      const reply = faults.mailFrom?.(mailFromAttempts);
      callback(reply ? replyError(reply) : undefined);
    },
    onRcptTo(address, _session, callback) {
      const reply = faults.rcptTo?.(address.address);
      callback(reply ? replyError(reply) : undefined);
    },
    onData(stream, session, callback) {
      attempts++;
      const attempt = attempts;
      const chunks: Buffer[] = [];
      let dropped = false;
      stream.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (!dropped && faults.dropDuringData?.(attempt)) {
          dropped = true;
          for (const socket of sockets) socket.destroy();
        }
      });
      stream.on('end', () => {
        if (dropped) return;
        const reply = faults.data?.(attempt);
        if (reply) return callback(replyError(reply));
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(replyError({ code: 552, message: '5.3.4 Message too big' }));
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw).then(
          (parsed) => {
            messages.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            callback();
            for (const wake of waiters.splice(0)) wake();
          },
          (error: Error) => callback(error),
        );
      });
    },
  };
  const server = new SMTPServer(config);
  const inner = (server as unknown as { server: import('node:net').Server }).server;
  inner.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  inner.on('secureConnection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('error', () => {
    // Dropped connections are part of the faults we inject; the server must not crash on them.
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = inner.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    tls,
    cert: cert?.cert,
    user: options.auth?.user,
    pass: options.auth?.pass,
    messages,
    faults,
    dataAttempts: () => attempts,
    waitForMessages(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} messages, got ${messages.length}`)),
          timeoutMs,
        );
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            resolve(messages);
          } else waiters.push(check);
        };
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) {
          // Destroying the raw socket under an implicit-TLS handshake still in progress (a client
          // speaking plain SMTP to a TLS port) segfaults Node 20; ending it closes it safely.
          if (tls === 'implicit' && !(socket instanceof TLSSocket)) socket.end();
          else socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
