// The client's proxy authentication beyond Basic (REQUIREMENTS §4): scheme choice, Digest,
// Negotiate/NTLM bound to one client connection, for absolute-form requests and for CONNECT.
import { describe, expect, it } from 'vitest';
import type { ProxyAuthScheme } from '../proxy/index.ts';
import { clientError, onSim, onTcp, text, type World } from './test-support.ts';

const PROXY = { user: 'pu', password: 'Proxy-Pw-4711' };

type Pin = 'auto' | 'negotiate' | 'ntlm' | 'digest' | 'basic';

/** Runs whoami through the proxy; what the proxy and the server saw. */
async function session(w: World, transport: 'http' | 'https', scheme: Pin, password = PROXY.password) {
  const c = w.client({
    endpoint: transport === 'http' ? w.httpUrl : w.httpsUrl,
    pinFingerprint256: w.server.fingerprint256,
    winhttp: { proxyServer: w.proxyServer },
    proxy: { accessType: 'ProxyWinHttpConfig', auth: { scheme, user: PROXY.user, password } },
  });
  const out = await c.runCommand('whoami');
  const msgs = w.net.trace.events.filter((e) => e.kind === 'message');
  const serverIn = msgs.filter((e) => e.kind === 'message' && e.actor === 'server' && e.dir === 'in');
  const clientOut = msgs.filter((e) => e.kind === 'message' && e.actor === 'client#1' && e.dir === 'out');
  const opens = w.net.trace.events.filter((e) => e.kind === 'open' && e.initiator === 'client#1');
  const proxyOpens = w.net.trace.events.filter((e) => e.kind === 'open' && e.initiator === 'proxy');
  return { out, c, serverIn, clientOut, opens, proxyOpens };
}

const proxyAuthOf = (m: { kind: string; headers?: Array<[string, string]> }) =>
  (m.kind === 'message' ? (m.headers ?? []) : []).filter(([n]) => n.toLowerCase() === 'proxy-authorization').map(([, v]) => v.split(' ')[0]);

const cases: Array<{ offered: ProxyAuthScheme[]; pin: Pin; uses: string }> = [
  { offered: ['negotiate', 'ntlm', 'digest', 'basic'], pin: 'auto', uses: 'Negotiate' },
  { offered: ['ntlm', 'digest', 'basic'], pin: 'auto', uses: 'NTLM' },
  { offered: ['digest', 'basic'], pin: 'auto', uses: 'Digest' },
  { offered: ['negotiate', 'digest', 'basic'], pin: 'digest', uses: 'Digest' },
  { offered: ['negotiate', 'ntlm', 'basic'], pin: 'ntlm', uses: 'NTLM' },
];

describe('client proxy authentication on sim (Negotiate, NTLM, Digest)', () => {
  for (const transport of ['http', 'https'] as const) {
    for (const k of cases) {
      it(`${transport}: offered ${k.offered.join(',')}, scheme ${k.pin} → ${k.uses}; one client connection; nothing reaches the server`, async () => {
        const r = await onSim((w) => session(w, transport, k.pin), { proxy: { proxyAuth: { ...PROXY, schemes: k.offered } } });
        expect(text(r.out.stdout).toLowerCase()).toContain('alice');
        const used = [...new Set(r.clientOut.flatMap(proxyAuthOf))];
        expect(used).toEqual([k.uses]);
        // Connection-bound schemes keep the handshake on one connection: the session needs one.
        expect(r.opens).toHaveLength(1);
        expect(r.proxyOpens).toHaveLength(1);
        for (const m of r.serverIn) expect(proxyAuthOf(m)).toEqual([]);
        const serverBytes = r.serverIn.map((m) => JSON.stringify(m)).join('');
        expect(serverBytes).not.toContain(PROXY.password);
        if (k.uses !== 'Digest') {
          // After the handshake the connection is authenticated: later requests carry nothing.
          const carrying = r.clientOut.filter((m) => proxyAuthOf(m).length > 0);
          expect(carrying.length).toBe(2);
        }
      });
    }

    it(`${transport}: a wrong proxy password fails with proxy-auth and no request reaches the server`, async () => {
      for (const offered of [['negotiate'], ['digest']] as ProxyAuthScheme[][]) {
        const r = await onSim(
          async (w) => ({ e: await clientError(session(w, transport, 'auto', 'Wrong-Pw-0000')), server: w.server.audit.entries, tunnels: w.net.trace.events.filter((e) => e.kind === 'open' && e.initiator === 'proxy') }),
          { proxy: { proxyAuth: { ...PROXY, schemes: offered } } },
        );
        expect(r.e.code).toBe('proxy-auth');
        expect(r.e.message).not.toContain('Wrong-Pw');
        expect(r.server).toHaveLength(0);
        expect(r.tunnels).toHaveLength(0);
      }
    });
  }
});

describe('client proxy authentication on tcp', () => {
  for (const transport of ['http', 'https'] as const) {
    it(`${transport}: Negotiate and Digest through the reference proxy on real sockets`, async () => {
      for (const offered of [['negotiate', 'basic'], ['digest']] as ProxyAuthScheme[][]) {
        const r = await onTcp((w) => session(w, transport, 'auto'), { proxy: { proxyAuth: { ...PROXY, schemes: offered } } });
        expect(text(r.out.stdout).toLowerCase()).toContain('alice');
        expect(r.c.exchanges.filter((e) => e.status === 407).length).toBeGreaterThan(0);
      }
    });
  }
});
