// https.3's probes of an authenticating proxy: CONNECT legs on ONE raw connection, with
// Basic (RFC 7617), Digest (RFC 7616) or a connection-bound Negotiate/NTLM handshake
// (RFC 4559 §6, MS-NLMP), each answered from the previous leg's Proxy-Authenticate.

import { basicHeader } from '../../auth/basic.ts';
import { DigestClient } from '../../auth/digest-client.ts';
import { parseChallenges } from '../../auth/challenge.ts';
import { NtlmHttpInitiator } from '../../auth/ntlm-http-initiator.ts';
import { filetimeAt } from '../../server/negotiate-deps.ts';
import { request } from '../../wire/index.ts';
import type { HttpResponse } from '../../wire/types.ts';
import { RawConnection } from '../raw.ts';
import type { CaseContext } from '../types.ts';

export const proxyChallenges = (res: HttpResponse) => res.headers.filter((h) => h.name.toLowerCase() === 'proxy-authenticate').map((h) => h.value);

/**
 * CONNECT `authority` on ONE connection, once per entry of `legs`: each entry gives the
 * Proxy-Authorization for that leg from the previous answer (undefined: none). Stops at the
 * first answer that is not 407 or when the connection ends.
 */
export async function connectProbe(
  ctx: CaseContext,
  authority: string,
  actor: string,
  legs: Array<((prev: HttpResponse | undefined) => string | undefined) | undefined>,
): Promise<{ answers: Array<HttpResponse | undefined> }> {
  const raw = await RawConnection.open(ctx.net, ctx.proxy, actor, ctx.timing.timeoutMs);
  const answers: Array<HttpResponse | undefined> = [];
  try {
    for (const leg of legs) {
      const prev = answers[answers.length - 1];
      const value = leg?.(prev);
      const headers: Array<[string, string]> = [['Host', authority]];
      if (value !== undefined) headers.push(['Proxy-Authorization', value]);
      const res = await raw.send(request({ method: 'CONNECT', target: authority, headers }), ctx.timing.timeoutMs);
      answers.push(res);
      if (!res || res.status !== 407) break;
    }
  } finally {
    raw.close();
  }
  return { answers };
}

export interface Probe {
  scheme: string;
  /** Connection-bound (RFC 4559 §6): the whole handshake on one connection. */
  bound: boolean;
  run(ctx: CaseContext, authority: string, bare: HttpResponse): Promise<{ answers: Array<HttpResponse | undefined> }>;
}

export const PROBES: Probe[] = [
  ...(['Negotiate', 'NTLM'] as const).map(
    (scheme): Probe => ({
      scheme,
      bound: true,
      run(ctx, authority) {
        // Type 1 → 407 with Type 2 → Type 3 on the same connection → 2xx.
        const ini = new NtlmHttpInitiator(scheme, ctx.proxy.credentials!, ctx.random, () => filetimeAt(ctx.net.clock));
        return connectProbe(ctx, authority, `prober#${scheme.toLowerCase()}`, [() => ini.start(), (prev) => (prev ? ini.answer(proxyChallenges(prev)) : undefined)]);
      },
    }),
  ),
  {
    scheme: 'Digest',
    bound: false,
    run(ctx, authority) {
      // A fresh challenge on this connection, then the answer to it (RFC 7616 §3.4).
      const d = new DigestClient(ctx.proxy.credentials!, ctx.random);
      return connectProbe(ctx, authority, 'prober#digest', [undefined, (prev) => (prev && d.accept(parseChallenges(proxyChallenges(prev))) ? d.authorization('CONNECT', authority) : undefined)]);
    },
  },
  {
    scheme: 'Basic',
    bound: false,
    run(ctx, authority) {
      return connectProbe(ctx, authority, 'prober#2', [() => basicHeader(ctx.proxy.credentials!.user, ctx.proxy.credentials!.password)]);
    },
  },
];
