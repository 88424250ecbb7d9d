// http.1: HTTP/1.1 on both hops; neither hop made non-persistent (seed: "Support for HTTP/1.1").

import type { CaseDefinition } from '../types.ts';
import { exchangesOf, header } from '../observe.ts';
import { attempt, fail, pass } from './outcome.ts';

export const http1: CaseDefinition = {
  id: 'http.1',
  async run(ctx) {
    const server = await ctx.startServer();
    const client = ctx.client(server);
    const failure = await attempt(async () => {
      await client.identify();
      await client.runCommand('echo', ['http-1.1']);
    });
    const atServer = exchangesOf(ctx.net, 'server', 'server');
    const atClient = exchangesOf(ctx.net, 'client#1', 'client');
    const problems: string[] = [];
    for (const x of atServer) {
      const version = x.request.startLine.split(' ').pop();
      if (version !== 'HTTP/1.1') problems.push(`server ${x.conn} received "${x.request.startLine}"`);
      const conn = header(x.request, 'connection').join(', ');
      if (/\bclose\b/i.test(conn)) problems.push(`server ${x.conn} received "Connection: ${conn}" on "${x.request.startLine}" [${x.tag ?? '?'}]`);
    }
    for (const x of atClient) {
      const r = x.response;
      if (!r) continue;
      if (!r.startLine.startsWith('HTTP/1.1 ')) problems.push(`client ${x.conn} received "${r.startLine}"`);
      const conn = header(r, 'connection').join(', ');
      if (/\bclose\b/i.test(conn)) problems.push(`client ${x.conn} received "Connection: ${conn}" with "${r.startLine}" [${x.tag ?? '?'}]`);
    }
    const evidence = {
      serverRequestLines: atServer.map((x) => `${x.conn}: ${x.request.startLine}`),
      clientStatusLines: atClient.map((x) => `${x.conn}: ${x.response?.startLine ?? '(no response)'}`),
      clientError: failure,
    };
    if (problems.length) {
      return fail(ctx, 'HTTP/1.1 request lines at the server and status lines at the client, without an injected Connection: close', problems.slice(0, 6).join('; '), evidence);
    }
    if (atServer.length === 0) return fail(ctx, 'requests to reach the server', `none arrived${failure ? `; client: ${failure}` : ''}`, evidence);
    if (failure) return fail(ctx, 'the session to be served over HTTP/1.1', failure, evidence);
    return pass(`${atServer.length} requests arrived as HTTP/1.1 and ${atClient.length} responses came back as HTTP/1.1, none with Connection: close`, evidence);
  },
};
