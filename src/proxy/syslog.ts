import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { hostname } from 'node:os';
import { connect, type Socket } from 'node:net';

/** Syslog severities used here (RFC 5424 §6.2.1). */
export type Severity = 'warning' | 'info';
const SEVERITY: Record<Severity, number> = { warning: 4, info: 6 };
/** Facility 1, user-level messages. */
const FACILITY = 1;

/** PRINTUSASCII without spaces, at most `max` characters, `-` when empty (the RFC's NILVALUE). */
function field(text: string, max: number): string {
  const clean = text.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** One RFC 5424 message: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID - MSG`, the JSON log line as MSG. */
export function syslogMessage(
  message: string,
  options: { severity: Severity; time: string; host: string; pid: number; msgid: string },
): string {
  const pri = FACILITY * 8 + SEVERITY[options.severity];
  return `<${pri}>1 ${options.time} ${field(options.host, 255)} mcp-lock ${options.pid} ${field(options.msgid, 32)} - ${message}`;
}

export interface SyslogSink {
  send(message: string, severity: Severity, msgid: string, time: string): void;
  close(): Promise<void>;
}

/** A syslog address: `udp://host:port` or `tcp://host:port` (RFC 6587 octet counting on TCP). */
export function parseSyslogAddress(
  address: string,
): { protocol: 'udp' | 'tcp'; host: string; port: number } | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  const protocol = url.protocol === 'udp:' ? 'udp' : url.protocol === 'tcp:' ? 'tcp' : null;
  const port = Number(url.port || 514);
  if (!protocol || !url.hostname || !Number.isInteger(port)) return null;
  return { protocol, host: url.hostname.replace(/^\[|\]$/g, ''), port };
}

/**
 * Sends log lines to a syslog collector. Logging must never stop the session it describes: a collector that is
 * down costs a warning on stderr, once, and the lines it missed.
 */
export function openSyslog(address: string, warn: (text: string) => void): SyslogSink {
  const target = parseSyslogAddress(address)!;
  const host = hostname();
  let warned = false;
  const failed = (error: Error) => {
    if (!warned) warn(`syslog ${address}: ${error.message}; log lines are not sent there`);
    warned = true;
  };
  if (target.protocol === 'udp') {
    const socket: UdpSocket = createSocket(target.host.includes(':') ? 'udp6' : 'udp4');
    socket.on('error', failed);
    socket.unref();
    return {
      send(message, severity, msgid, time) {
        const line = Buffer.from(syslogMessage(message, { severity, time, host, pid: process.pid, msgid }));
        socket.send(line, target.port, target.host, (error) => error && failed(error));
      },
      close: () => new Promise((done) => socket.close(() => done())),
    };
  }
  const socket: Socket = connect({ host: target.host, port: target.port });
  socket.on('error', failed);
  socket.unref();
  return {
    send(message, severity, msgid, time) {
      if (socket.destroyed) return;
      const line = Buffer.from(syslogMessage(message, { severity, time, host, pid: process.pid, msgid }));
      socket.write(`${line.length} `);
      socket.write(line);
    },
    close: () =>
      new Promise((done) => {
        if (socket.destroyed) return done();
        socket.end(() => done());
      }),
  };
}
