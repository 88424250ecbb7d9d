// http.8: Proxy-Authorization/Proxy-Authenticate never cross the proxy; Authorization and every
// WWW-Authenticate pass unchanged (seed Note; RFC 9110 §7.6.1, §11.6, §11.7).
// http.10 (INFO): the proxy demands authentication for plain-HTTP WinRM traffic.

import { randomBytes } from 'node:crypto';
import { basicHeader, NtlmClient } from '../../auth/index.ts';
import { request } from '../../wire/index.ts';
import type { CaseContext, CaseDefinition } from '../types.ts';
import { errorText, exchangesOf, header, type Exchange } from '../observe.ts';
import { RawConnection } from '../raw.ts';
import { error, fail, pass } from './outcome.ts';

const CHALLENGES = ['Kerberos', 'CredSSP', 'Basic realm="WSMAN"'];

export const http8: CaseDefinition = {
  id: 'http.8',
  async run(ctx) {
    const server = await ctx.startServer({ extraChallenges: CHALLENGES });
    const dest = server.http!;
    const authority = `${dest.host}:${dest.port}`;
    // A probe credential when the proxy asks for none: it must be consumed all the same.
    const proxyCred = ctx.proxy.credentials ?? { user: 'wpc-probe', password: probeSecret(ctx) };
    const raw = await RawConnection.open(ctx.net, ctx.proxy, 'prober', ctx.timing.timeoutMs);
    const type1 = new NtlmClient({ user: ctx.account.user, password: ctx.account.password, domain: ctx.account.domain, random: ctx.random }).negotiate();
    const sent: Array<{ tag: string; authorization?: string }> = [
      { tag: 'prober/1' },
      { tag: 'prober/2', authorization: `Negotiate ${Buffer.from(type1).toString('base64')}` },
    ];
    try {
      for (const s of sent) {
        const headers: Array<[string, string]> = [
          ['Host', authority],
          ['Content-Length', '0'],
          ['X-Wpc-Request', s.tag],
          ['Proxy-Authorization', basicHeader(proxyCred.user, proxyCred.password)],
        ];
        if (s.authorization) headers.push(['Authorization', s.authorization]);
        await raw.send(request({ method: 'POST', target: `http://${authority}/wsman`, headers }), ctx.timing.timeoutMs);
      }
    } catch (e) {
      return fail(ctx, 'the probe requests to be relayed', errorText(e), {});
    } finally {
      raw.close();
    }
    // And a whole handshake by the WinRM client: its Authorization legs, compared at both ends.
    const client = ctx.client(server);
    let clientError: string | undefined;
    try {
      await client.identify();
    } catch (e) {
      clientError = errorText(e);
    }

    const atServer = new Map(exchangesOf(ctx.net, 'server', 'server').filter((x) => x.tag).map((x) => [x.tag!, x]));
    const atClient = [...exchangesOf(ctx.net, 'prober', 'client'), ...exchangesOf(ctx.net, 'client#1', 'client')];
    const problems: string[] = [];
    for (const c of atClient) {
      const s = c.tag ? atServer.get(c.tag) : undefined;
      if (!s) {
        // The proxy's own 407 challenge answers a request that was never meant to go further.
        if (c.response?.startLine.includes(' 407 ')) continue;
        problems.push(`request ${c.tag ?? '?'} (client ${c.conn}) never reached the server${c.response ? `; the client got "${c.response.startLine}"` : ''}`);
        continue;
      }
      problems.push(...compareHop(c, s));
    }
    const evidence = {
      server401: [...atServer.values()].filter((x) => x.response?.startLine.includes(' 401 ')).slice(0, 1).map((x) => header(x.response!, 'www-authenticate')),
      client401: atClient.filter((x) => x.response?.startLine.includes(' 401 ')).slice(0, 1).map((x) => header(x.response!, 'www-authenticate')),
      clientError,
    };
    if (problems.length) {
      return fail(ctx, 'Authorization and every WWW-Authenticate header unchanged across the proxy, and no Proxy-Authorization at the server', problems.slice(0, 6).join('; '), evidence);
    }
    if (clientError) return fail(ctx, 'the Negotiate handshake to complete', clientError, evidence);
    return pass(`Authorization unchanged on ${atClient.length} requests; the 401s carried ${CHALLENGES.length + 1} WWW-Authenticate values unchanged; no Proxy-Authorization reached the server`, evidence);
  },
};

function compareHop(c: Exchange, s: Exchange): string[] {
  const out: string[] = [];
  const tag = c.tag ?? '?';
  if (header(s.request, 'proxy-authorization').length) {
    // Clients such as pywinrm send proxy credentials preemptively: forwarding them hands the
    // proxy credential to the destination (RFC 9110 §11.7.2 allows relaying only to a next proxy).
    out.push(`Proxy-Authorization reached the server on ${s.conn} [${tag}]`);
  }
  const ca = header(c.request, 'authorization').join(' | ');
  const sa = header(s.request, 'authorization').join(' | ');
  if (ca !== sa) out.push(`Authorization changed [${tag}]: sent "${short(ca)}", server got "${short(sa)}"`);
  if (s.response && c.response) {
    const sw = header(s.response, 'www-authenticate');
    const cw = header(c.response, 'www-authenticate');
    if (JSON.stringify(sw) !== JSON.stringify(cw)) {
      out.push(`WWW-Authenticate changed [${tag}]: server sent ${JSON.stringify(sw.map(short))}, client got ${JSON.stringify(cw.map(short))}`);
    }
    if (header(c.response, 'proxy-authenticate').length && !c.response.startLine.includes(' 407 ')) {
      out.push(`a Proxy-Authenticate header reached the client with "${c.response.startLine}" [${tag}]`);
    }
  }
  return out;
}

function short(v: string): string {
  return v.length > 60 ? `${v.slice(0, 57)}…` : v;
}

function probeSecret(ctx: CaseContext): string {
  return ctx.net.kind === 'sim' ? 'probe-' + Buffer.from(ctx.random.bytes(6)).toString('hex') : 'probe-' + randomBytes(6).toString('hex');
}

export const http10: CaseDefinition = {
  id: 'http.10',
  async run(ctx) {
    const server = await ctx.startServer();
    const dest = server.http!;
    const authority = `${dest.host}:${dest.port}`;
    const raw = await RawConnection.open(ctx.net, ctx.proxy, 'prober', ctx.timing.timeoutMs);
    try {
      const res = await raw.send(
        request({ method: 'POST', target: `http://${authority}/wsman`, headers: [['Host', authority], ['Content-Length', '0'], ['X-Wpc-Request', 'prober/1']] }),
        ctx.timing.timeoutMs,
      );
      // Nothing observed is nothing to report: INFO or not, a case that could not see says error.
      if (!res) return error(`cannot tell whether the proxy demands authentication for plain-HTTP WinRM traffic: ${raw.noResponse ?? 'no response'}`);
      const evidence = { status: `${res.status} ${res.reason}`, proxyAuthenticate: res.headers.filter((h) => h.name.toLowerCase() === 'proxy-authenticate').map((h) => h.value) };
      if (res?.status === 407) {
        return pass('the proxy demands authentication for plain-HTTP WinRM traffic (407): the seed says WinRM must then use HTTPS', { ...evidence, demandsAuth: true });
      }
      return pass(`the proxy does not demand authentication for plain HTTP (answered ${evidence.status})`, { ...evidence, demandsAuth: false });
    } finally {
      raw.close();
    }
  },
};
