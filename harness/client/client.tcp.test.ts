import { describe, expect, it } from 'vitest';
import { onSim, onTcp, text, type World } from './test-support.ts';
import { WinrmClientError, type WinrmClient } from './types.ts';

/** The same session on either transport: Identify, then a whole runCommand. */
async function session(w: World, c: WinrmClient) {
  const id = await c.identify();
  const who = await c.runCommand('whoami');
  const big = await c.runCommand('gen', ['2000000']);
  const exit = await c.runCommand('exit', ['3']);
  return {
    id,
    who: text(who.stdout),
    bigLength: big.stdout.length,
    exit: exit.exitCode,
    steps: c.exchanges.map((e) => e.step),
    statuses: c.exchanges.map((e) => e.status),
    conns: new Set(c.exchanges.map((e) => e.conn)).size,
    handshakes: c.handshakes,
  };
}

describe('client ↔ server on tcp matches sim', () => {
  it('direct HTTP: same results and the same sequence of exchange steps', async () => {
    const onBoth = await Promise.all([onSim((w) => session(w, w.client())), onTcp((w) => session(w, w.client()))]);
    const [sim, tcp] = onBoth;
    expect(tcp.who.toLowerCase()).toContain('alice');
    expect(tcp.bigLength).toBe(2_000_000);
    expect(tcp.exit).toBe(3);
    expect(tcp.conns).toBe(1);
    expect(tcp.handshakes).toBe(1);
    expect(tcp).toEqual(sim);
  }, 20_000);

  for (const scheme of ['http', 'https'] as const) {
    it(`through the reference proxy over ${scheme}: same exchange steps as on sim`, async () => {
      const run = (w: World) =>
        session(
          w,
          w.client({
            endpoint: scheme === 'http' ? w.httpUrl : w.httpsUrl,
            pinFingerprint256: w.server.fingerprint256,
            winhttp: { proxyServer: w.proxyServer },
          }),
        );
      const sim = await onSim(run, { proxy: {} });
      const tcp = await onTcp(run, { proxy: {} });
      expect(tcp.who.toLowerCase()).toContain('alice');
      expect(tcp.bigLength).toBe(2_000_000);
      expect(tcp.steps[0]).toBe(scheme === 'https' ? 'CONNECT' : 'negotiate-1');
      expect(tcp).toEqual(sim);
    }, 20_000);
  }

  it('pin mismatch through the proxy fails with tls on tcp too', async () => {
    const e = await onTcp(
      async (w) => {
        try {
          await w.client({ endpoint: w.httpsUrl, pinFingerprint256: '00'.repeat(32), winhttp: { proxyServer: w.proxyServer } }).identify();
        } catch (err) {
          return err;
        }
        return undefined;
      },
      { proxy: {} },
    );
    expect(e).toBeInstanceOf(WinrmClientError);
    expect((e as WinrmClientError).code).toBe('tls');
  }, 20_000);

  it('a wrong password is access-denied on tcp too', async () => {
    const e = await onTcp(async (w) => w.client({ password: 'bad' }).identify().catch((err: unknown) => err));
    expect((e as WinrmClientError).code).toBe('access-denied');
  }, 20_000);
});
