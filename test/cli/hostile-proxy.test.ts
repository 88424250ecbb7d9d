// A broken or hostile proxy yields a verdict with reasons, never a hang (REQUIREMENTS.md §5):
// one that accepts and never answers, one that answers garbage, one that resets, one that closes.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wpc } from './run-wpc.ts';

const behaviours: Record<string, (s: Socket) => void> = {
  'accepts and never answers': () => undefined,
  'answers garbage': (s) => s.once('data', () => s.write('\x00\xffNOT HTTP AT ALL\r\n\r\n')),
  'resets the connection': (s) => s.once('data', () => s.resetAndDestroy()),
  'closes at once': (s) => s.once('data', () => s.end()),
};

async function hostile(kind: string): Promise<{ server: Server; port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
    behaviours[kind](s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { server, port: typeof addr === 'object' && addr ? addr.port : 0, sockets };
}

describe('certify against a hostile proxy', () => {
  it.each(Object.keys(behaviours))('gives a non-conformant verdict with a reason per case for a proxy that %s', async (kind) => {
    const h = await hostile(kind);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'wpc-hostile-'));
      const r = await wpc(['certify', '--proxy', `http://127.0.0.1:${h.port}`, '--timeout-ms', '1500', '--operation-timeout', '1', '--report-dir', dir, '--format', 'json'], 60_000);
      expect(r.code, r.stderr).toBe(1);
      const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
      expect(report.verdict).toBe('non-conformant');
      for (const c of report.cases) {
        // Nothing was observed through such a proxy, so nothing can pass.
        expect(['fail', 'error', 'skip'], `${c.id}: ${c.reason}`).toContain(c.status);
        expect(c.reason.length, c.id).toBeGreaterThan(10);
      }
      expect(report.cases.find((c: { id: string }) => c.id === 'http.2').status).toBe('fail');
    } finally {
      for (const s of h.sockets) s.destroy();
      h.server.close();
    }
  });
});
