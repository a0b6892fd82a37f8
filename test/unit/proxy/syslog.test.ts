import { createSocket } from 'node:dgram';
import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { openSyslog, parseSyslogAddress, syslogMessage } from '../../../src/proxy/syslog.js';

const time = '2026-11-28T12:00:00.000Z';

describe('syslogMessage', () => {
  it('writes RFC 5424: priority, version, timestamp, host, app, pid, msgid, no structured data', () => {
    expect(
      syslogMessage('{"a":1}', { severity: 'info', time, host: 'ci', pid: 42, msgid: 'tools/call' }),
    ).toBe(`<14>1 ${time} ci mcp-lock 42 tools/call - {"a":1}`);
    expect(syslogMessage('x', { severity: 'warning', time, host: 'ci', pid: 1, msgid: '' })).toMatch(
      /^<12>1 .* 1 - - x$/,
    );
  });

  it('keeps header fields printable and bounded', () => {
    const line = syslogMessage('x', {
      severity: 'info',
      time,
      host: 'a b\u001b',
      pid: 1,
      msgid: 'm'.repeat(40),
    });
    expect(line).toBe(`<14>1 ${time} a_b_ mcp-lock 1 ${'m'.repeat(32)} - x`);
  });
});

describe('parseSyslogAddress', () => {
  it('reads udp:// and tcp:// addresses, 514 by default', () => {
    expect(parseSyslogAddress('udp://127.0.0.1:5140')).toEqual({
      protocol: 'udp',
      host: '127.0.0.1',
      port: 5140,
    });
    expect(parseSyslogAddress('tcp://[::1]')).toEqual({ protocol: 'tcp', host: '::1', port: 514 });
    expect(parseSyslogAddress('http://x:1')).toBeNull();
    expect(parseSyslogAddress('not a url')).toBeNull();
  });
});

describe('sending to a collector on loopback', () => {
  it('sends one datagram per line over UDP', async () => {
    const collector = createSocket('udp4');
    const received = new Promise<string>((done) => collector.once('message', (m) => done(m.toString())));
    await new Promise<void>((done) => collector.bind(0, '127.0.0.1', done));
    const port = (collector.address() as AddressInfo).port;
    const sink = openSyslog(`udp://127.0.0.1:${port}`, () => {});
    sink.send('{"method":"tools/call"}', 'info', 'tools/call', time);
    expect(await received).toMatch(/^<14>1 \S+ \S+ mcp-lock \d+ tools\/call - \{"method":"tools\/call"\}$/);
    await sink.close();
    collector.close();
  });

  it('frames lines with octet counting over TCP', async () => {
    let data = '';
    const got = new Promise<void>((done) => {
      const server = createServer((socket) => {
        socket.on('data', (d) => (data += d.toString()));
        socket.on('end', () => {
          server.close();
          done();
        });
      });
      server.listen(0, '127.0.0.1', () => {
        const port = (server.address() as AddressInfo).port;
        const sink = openSyslog(`tcp://127.0.0.1:${port}`, () => {});
        sink.send('one', 'info', 'a', time);
        sink.send('two', 'warning', 'b', time);
        void sink.close();
      });
    });
    await got;
    const frames: string[] = [];
    for (let rest = data; rest.length > 0;) {
      const space = rest.indexOf(' ');
      const length = Number(rest.slice(0, space));
      frames.push(rest.slice(space + 1, space + 1 + length));
      rest = rest.slice(space + 1 + length);
    }
    expect(frames).toHaveLength(2);
    expect(frames[0]).toMatch(/^<14>1 .* a - one$/);
    expect(frames[1]).toMatch(/^<12>1 .* b - two$/);
  });

  it('warns once, and does not throw, when the collector is not there', async () => {
    const warnings: string[] = [];
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((done) => server.close(() => done()));
    const sink = openSyslog(`tcp://127.0.0.1:${port}`, (w) => warnings.push(w));
    sink.send('one', 'info', 'a', time);
    await new Promise((r) => setTimeout(r, 200));
    sink.send('two', 'info', 'a', time);
    await sink.close();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`tcp://127.0.0.1:${port}`);
  });
});
