// http.4: connection-based authentication with CredSSP over plain HTTP (seed: "HTTP-Based
// Proxy Connections"; MS-CSSP §3.1.5 over HTTP, PROTOCOL.md: five round trips or more, one
// connection). On sim the CredSSP TLS layer is the deterministic stand-in; on tcp it is node's
// TLS, so tcp runs are not byte-identical from one run to the next (the verdict is).
//
// Two variants, both must pass: NTLM inside CredSSP (requests-credssp with a local account),
// then Kerberos inside CredSSP (a domain client; MS-CSSP §3.1.5 SPNEGO with krb5), whose legs
// differ in content but not in number, so a proxy must treat them the same. The Kerberos
// variant's KDC is the in-process simulated one on both transports, as in http.3.

import type { WinrmClient } from '../../client/types.ts';
import type { WinrmServer } from '../../server/types.ts';
import type { CaseContext, CaseDefinition, CaseOutcome } from '../types.ts';
import { describeLegs, legsOf, type Leg } from '../observe.ts';
import { attempt, fail, pass } from './outcome.ts';
import { caseKdc, REALM, SERVICE } from './case-kdc.ts';

/** TLS 1.2 handshake (2) + NTLM NEGOTIATE, AUTHENTICATE with pubKeyAuth, credentials (3). */
export const MIN_CREDSSP_LEGS = 5;


/** The first handshake: legs from the first 'credssp-1' up to the first that was not a 401. */
function firstHandshake(legs: Leg[]): Leg[] {
  const out: Leg[] = [];
  for (const l of legs) {
    if (out.length > 0 && l.step === 'credssp-1') break; // the client started over
    out.push(l);
    if (l.clientStatus !== 401) break;
  }
  return out;
}

type Checked = { ok: true; reason: string; evidence: Record<string, unknown> } | { ok: false; outcome: CaseOutcome };

/** Runs a session with `client` and checks its first CredSSP handshake; `what` names the variant in messages. */
async function check(ctx: CaseContext, client: WinrmClient, server: WinrmServer, what: string): Promise<Checked> {
  const failure = await attempt(async () => {
    await client.identify();
    await client.runCommand('whoami');
  });
  const all = legsOf(client, server);
  const legs = all.filter((l) => l.step.startsWith('credssp'));
  const first = firstHandshake(legs);
  const evidence = { legs: all, handshakes: client.handshakes, clientError: failure };
  const clientConns = new Set(first.map((l) => l.clientConn));
  const serverConns = new Set(first.map((l) => l.serverConn));
  const last = first.at(-1);
  const observed = `${what}${describeLegs(first)}${failure ? `; client: ${failure}` : ''}`;
  if (first.length < MIN_CREDSSP_LEGS || !last || last.clientStatus === 401) {
    const expected = `a CredSSP handshake of at least ${MIN_CREDSSP_LEGS} legs, answered 401 with a CredSSP token until the 200`;
    return { ok: false, outcome: fail(ctx, expected, `${what}the handshake stopped after ${first.length} leg(s): ${describeLegs(first)}${failure ? `; client: ${failure}` : ''}`, evidence) };
  }
  if (clientConns.size !== 1 || first.some((l) => !l.serverConn) || serverConns.size !== 1) {
    return { ok: false, outcome: fail(ctx, `all ${first.length} CredSSP legs sent on one client connection to arrive on one server connection`, observed, evidence) };
  }
  if (failure || last.clientStatus !== 200 || last.serverKind !== 'auth-complete') {
    const expected = 'the session to end authenticated (200 to the last CredSSP leg, then served)';
    return { ok: false, outcome: fail(ctx, expected, `${what}${describeLegs(all)}${failure ? `; client: ${failure}` : ''}`, evidence) };
  }
  return { ok: true, reason: `${first.length} CredSSP legs on server connection ${last.serverConn}; authenticated`, evidence };
}

/** http.4: every leg of one CredSSP handshake arrives on one server connection. */
export const http4: CaseDefinition = {
  id: 'http.4',
  async run(ctx) {
    // One server for both inner mechanisms: it picks NTLM or Kerberos from the client's first
    // token. (A second server on another port would meet products that route per declared target
    // differently: apache2's pooled variant sends undeclared ports to its non-reusing worker.)
    const { kdc, now } = caseKdc(ctx);
    const server = await ctx.startServer({ auth: ['negotiate', 'credssp'], kerberos: { keytab: kdc.keytab(), services: [SERVICE], now } });
    const ntlm = await check(ctx, ctx.client(server, { auth: 'credssp' }), server, '');
    if (!ntlm.ok) return ntlm.outcome;

    const krbClient = ctx.client(server, {
      name: 'client#credssp-krb',
      auth: 'credssp',
      credsspMechanism: 'kerberos',
      kerberos: { realm: REALM, kdc: kdc.send, service: SERVICE, now },
    });
    const krb = await check(ctx, krbClient, server, 'with Kerberos inside CredSSP: ');
    if (!krb.ok) return krb.outcome;
    return pass(`${ntlm.reason}; with Kerberos inside: ${krb.reason}`, { ...ntlm.evidence, kerberos: krb.evidence });
  },
};
