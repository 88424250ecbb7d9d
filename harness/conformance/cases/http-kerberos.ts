// http.3: connection-based authentication with Kerberos over plain HTTP (seed: "HTTP-Based
// Proxy Connections"; PROTOCOL.md "Kerberos (pywinrm)"). Kerberos is ONE leg — the AP-REQ in
// `Authorization: Negotiate` on the first request, the AP-REP (mutual authentication) in
// `WWW-Authenticate: Negotiate` on its 200 — so a proxy that breaks the client↔server pairing
// shows only on the requests AFTER the handshake: they must reach the connection that the leg
// authenticated. The KDC is the in-process simulated one on both transports: the case tests the
// proxy, not a KDC, and needs nothing installed.

import { describeLegs, exchangesOf, header, legsOf, serverActor } from '../observe.ts';
import type { CaseDefinition } from '../types.ts';
import { attempt, fail, pass } from './outcome.ts';
import { caseKdc, REALM, SERVICE } from './case-kdc.ts';

/** Encrypted requests sent after the handshake (the first rides with the leg's connection). */
const AFTER = 2;

export const http3: CaseDefinition = {
  id: 'http.3',
  async run(ctx) {
    const { kdc, now } = caseKdc(ctx);
    const server = await ctx.startServer({ auth: ['negotiate', 'kerberos'], kerberos: { keytab: kdc.keytab(), services: [SERVICE], now } });
    const actor = 'client#krb';
    const client = ctx.client(server, { name: actor, auth: 'kerberos', kerberos: { realm: REALM, kdc: kdc.send, service: SERVICE, now } });
    const failure = await attempt(async () => {
      for (let i = 0; i < AFTER; i++) await client.identify();
    });
    const legs = legsOf(client, server);
    const evidence = { legs, handshakes: client.handshakes, clientError: failure };
    const first = legs.findIndex((l) => l.step === 'kerberos-1');
    const leg = legs[first];
    if (!leg?.serverConn || leg.clientStatus !== 200 || leg.serverKind !== 'auth-complete') {
      return fail(
        ctx,
        'the Kerberos leg (Negotiate with the AP-REQ) to reach the server and be answered 200 with the mutual-auth token',
        `${leg ? describeLegs([leg]) : 'no Kerberos leg was sent'}${failure ? `; client: ${failure}` : ''}`,
        evidence,
      );
    }

    // The mutual-auth token: what the server put on the 200 is what the client received.
    const sent = tokenOf(exchangesOf(ctx.net, serverActor(server), 'server').find((x) => x.tag === leg.tag)?.response);
    const got = tokenOf(exchangesOf(ctx.net, actor, 'client').find((x) => x.tag === leg.tag)?.response);
    const tokens = { serverSent: sent, clientReceived: got };
    if (!sent || sent !== got) {
      return fail(
        ctx,
        'the WWW-Authenticate mutual-auth token on the 200 to reach the client unchanged (RFC 9110 §11.6.1: end to end)',
        `server sent ${sent ? short(sent) : 'none'}; client received ${got ? short(got) : 'none'}`,
        { ...evidence, tokens },
      );
    }

    const after = legs.slice(first + 1);
    const misplaced = after.filter((l) => l.serverConn !== leg.serverConn || l.step.startsWith('kerberos'));
    if (after.length < AFTER || misplaced.length > 0 || client.handshakes !== 1) {
      return fail(
        ctx,
        `the requests after the Kerberos leg, sent on client connection ${leg.clientConn}, to arrive on the server connection ${leg.serverConn} it authenticated, without a new handshake`,
        `${describeLegs([leg, ...after])}; ${client.handshakes} handshake(s)${failure ? `; client: ${failure}` : ''}`,
        evidence,
      );
    }
    const clientConns = new Set([leg, ...after].map((l) => l.clientConn));
    if (clientConns.size !== 1 || failure || after.some((l) => l.clientStatus !== 200)) {
      return fail(ctx, 'the session to end authenticated on one connection', `${describeLegs([leg, ...after])}${failure ? `; client: ${failure}` : ''}`, evidence);
    }
    return pass(`Kerberos leg and ${after.length} encrypted requests on server connection ${leg.serverConn}; mutual-auth token unchanged`, { ...evidence, tokens });
  },
};

/** The Negotiate/Kerberos token of a response's WWW-Authenticate, as sent (base64). */
function tokenOf(res: Parameters<typeof header>[0] | undefined): string | undefined {
  if (!res) return undefined;
  return header(res, 'www-authenticate')
    .map((v) => /^(?:Negotiate|Kerberos)\s+(\S+)/i.exec(v.trim())?.[1])
    .find((t) => t !== undefined);
}

function short(b64: string): string {
  return b64.length > 24 ? `${b64.slice(0, 12)}…${b64.slice(-8)} (${b64.length} chars)` : b64;
}
