// Sealed bodies that do not belong on this connection, at the server (issue 3, bad input): a
// body encrypted with another connection's session keys, and sealed messages sent out of order.
// Each is refused as a WinRM server does (401, security context dropped), audited with the
// reason, and the connection's later requests are challenged, never served.

import { describe, expect, it } from 'vitest';
import { encryptMessage } from '../encryption/index.ts';
import { identify } from '../wsman/index.ts';
import { USER, onSim } from './test-fixture.ts';
import { SOAP_CT, authenticate } from './test-winrm.ts';

const TO = 'http://127.0.0.1:5985/wsman';
const soap = (id: string) => new TextEncoder().encode(identify({ to: TO, messageId: id }));

describe('server: sealed bodies that do not belong on the connection', () => {
  it('refuses a body encrypted for another connection with 401, audited, and serves its owner', async () => {
    const r = await onSim(async (f) => {
      const a = await f.open();
      const b = await f.open();
      const sa = (await authenticate(a, { ...USER, random: f.random })).session;
      await authenticate(b, { ...USER, random: f.random });
      // Sealed with connection A's keys, sent on connection B (a proxy that re-routed it).
      const sealed = encryptMessage(sa, soap('uuid:1'));
      const onB = await b.post([['Content-Type', sealed.contentType]], sealed.body);
      const afterOnB = await b.post([['Content-Type', SOAP_CT]], soap('uuid:2'));
      // A itself never sent that message: its own next one (sequence 1 on A's handle) is served.
      const own = encryptMessage(sa, soap('uuid:3'));
      const onA = await a.post([['Content-Type', own.contentType]], own.body);
      return { onB, afterOnB, onA, audit: f.server.audit.entries };
    });
    expect(r.onB.status).toBe(401);
    const refused = r.audit.find((e) => e.kind === 'rejected' && e.encrypted);
    expect(refused).toMatchObject({ status: 401, encrypted: true });
    expect(refused!.reason).toMatch(/^bad-signature: .*sealed with other keys/);
    expect(r.afterOnB.status).toBe(401);
    // The message that went astray consumed A's sequence 0; A's server context still expects 0,
    // so A's sequence 1 is out of order there too: fail closed, never served.
    expect(r.onA.status).toBe(401);
    expect(r.audit.filter((e) => e.kind === 'wsman')).toHaveLength(0);
  });

  it('refuses sealed messages sent out of order (sequence 1 before 0) with 401, audited', async () => {
    const r = await onSim(async (f) => {
      const http = await f.open();
      const { session } = await authenticate(http, { ...USER, random: f.random });
      const first = encryptMessage(session, soap('uuid:1')); // sequence 0
      const second = encryptMessage(session, soap('uuid:2')); // sequence 1
      const early = await http.post([['Content-Type', second.contentType]], second.body);
      const late = await http.post([['Content-Type', first.contentType]], first.body);
      return { early, late, audit: f.server.audit.entries };
    });
    expect(r.early.status).toBe(401);
    expect(r.audit.at(-2)).toMatchObject({ kind: 'rejected', status: 401, encrypted: true });
    expect(r.audit.at(-2)!.reason).toMatch(/^bad-sequence: sequence number 1 where 0 was expected/);
    // The context was dropped with the first refusal: the in-order message comes too late.
    expect(r.late.status).toBe(401);
    expect(r.audit.filter((e) => e.kind === 'wsman')).toHaveLength(0);
  });
});
