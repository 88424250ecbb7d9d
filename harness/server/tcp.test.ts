// The same server code on real TCP: a session gives the same sequence of audit entries
// (kinds, statuses, actions) as on sim.

import { describe, expect, it } from 'vitest';
import { SeededRandom, TcpNetwork } from '../net/index.ts';
import { command, createShell, deleteShell, receive } from '../wsman/index.ts';
import { startWinrmServer } from './server.ts';
import { HOST, USER, fixtureOn, onSim, type Fixture } from './test-fixture.ts';
import { SOAP_CT, authenticate, call } from './test-winrm.ts';
import type { AuditEntry } from './types.ts';

const TO = 'http://127.0.0.1:5985/wsman';

async function scenario(f: Fixture): Promise<AuditEntry[]> {
  const http = await f.open();
  await http.post([]); // challenge
  const { session } = await authenticate(http, { ...USER, random: f.random });
  let n = 0;
  const o = () => ({ to: TO, messageId: `uuid:00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` });
  const shellId = (await call(http, createShell(o()), { session })).parsed!.shellId!;
  const commandId = (await call(http, command(shellId, 'echo', ['hi'], o()), { session })).parsed!.commandId!;
  await call(http, receive(shellId, commandId, o()), { session });
  await call(http, deleteShell(shellId, o()), { session });
  await http.post([['Content-Type', SOAP_CT]], '<x/>'); // clear body: 500 + close
  return [...f.server.audit.entries];
}

const shape = (entries: AuditEntry[]) => entries.map((e) => [e.kind, e.status, e.action ?? '', e.encrypted ?? '']);

describe('server on tcp', () => {
  it('gives the same sequence of audit entries as on sim', async () => {
    const onSimEntries = await onSim(scenario);
    const net = new TcpNetwork();
    const server = await startWinrmServer(net, { host: HOST, httpPort: 0, users: [USER], random: new SeededRandom(5) });
    try {
      const onTcp = await scenario(fixtureOn(net, server, new SeededRandom(6)));
      expect(shape(onTcp)).toEqual(shape(onSimEntries));
      expect(shape(onTcp).map((s) => s[0])).toEqual(['challenge', 'auth-leg', 'auth-complete', 'wsman', 'wsman', 'wsman', 'wsman', 'rejected']);
      expect(onTcp.every((e) => e.conn === onTcp[0].conn)).toBe(true);
    } finally {
      await server.close();
      await net.shutdown();
    }
  });
});
