// http.9: multipart/encrypted requests and responses pass byte for byte, Content-Type
// parameters intact, a 1 MiB+ message and chunked responses included (seed: "Encryption and
// WinRM 2.0").

import type { CaseDefinition } from '../types.ts';
import { errorText, exchangesOf, header, serverActor, type Exchange } from '../observe.ts';
import { error, fail, pass } from './outcome.ts';

/** A response over 1 MiB: `gen` output of this many bytes comes back in Receives of ≤ 1 MiB. */
const BIG_OUTPUT = 1_300_000;

export const http9: CaseDefinition = {
  id: 'http.9',
  async run(ctx) {
    // Small responses go with Content-Length, the large ones chunked in 64 KiB chunks.
    const server = await ctx.startServer({ chunkedResponses: 65_536 });
    const errors: string[] = [];
    const runs: Array<{ name: string; bytes: number }> = [];
    for (const name of ['client#1']) {
      const client = ctx.client(server, { name });
      try {
        // A request body of 64 KiB (a long argument) and a response stream over 1 MiB.
        const shell = await client.createShell();
        const cmd = await client.command(shell, 'echo', ['x'.repeat(65_536)]);
        await client.receive(shell, cmd);
        const big = await client.command(shell, 'gen', [String(BIG_OUTPUT)]);
        let got = 0;
        for (let i = 0; i < 10 && got < BIG_OUTPUT; i++) {
          const r = await client.receive(shell, big);
          got += r.stdout.length;
          if (r.done) break;
        }
        runs.push({ name, bytes: got });
        if (got !== BIG_OUTPUT) errors.push(`${name}: ${got} of ${BIG_OUTPUT} output bytes arrived`);
        await client.deleteShell(shell);
      } catch (e) {
        errors.push(`${name}: ${errorText(e)}`);
      }
    }
    const problems: string[] = [];
    let encrypted = 0;
    let largest = 0;
    let chunkedSeen = 0;
    for (const name of ['client#1']) {
      const actor = serverActor(server);
      const atServer = new Map(exchangesOf(ctx.net, actor, 'server').filter((x) => x.tag).map((x) => [x.tag!, x]));
      for (const c of exchangesOf(ctx.net, name, 'client')) {
        const s = c.tag ? atServer.get(c.tag) : undefined;
        if (!s) continue;
        const r = compareBodies(c, s);
        problems.push(...r.problems);
        encrypted += r.encrypted;
        largest = Math.max(largest, c.response?.bodyLength ?? 0, c.request.bodyLength);
        if (s.response && header(s.response, 'transfer-encoding').some((v) => /chunked/i.test(v))) chunkedSeen++;
      }
    }
    const evidence = { encryptedMessagesCompared: encrypted, largestMessageBytes: largest, chunkedResponses: chunkedSeen, outputs: runs.map((r) => ({ client: r.name, bytes: r.bytes })), errors };
    if (problems.length) {
      return fail(ctx, 'every multipart/encrypted body and its Content-Type parameters (protocol, boundary) byte for byte on both hops', problems.slice(0, 6).join('; '), evidence);
    }
    if (errors.length) return fail(ctx, 'the encrypted exchanges to complete', errors.join('; '), evidence);
    if (largest < 1_048_576) return fail(ctx, 'a message of 1 MiB or more to cross', `the largest was ${largest} bytes`, evidence);
    // The harness's own server chunks its large answers; without one, chunking went unchecked.
    if (chunkedSeen === 0) return error('the server sent no chunked response, so chunked bodies were not checked', evidence);
    return pass(`${encrypted} encrypted messages identical on both hops (largest ${largest} bytes; ${chunkedSeen} chunked responses)`, evidence);
  },
};

function compareBodies(c: Exchange, s: Exchange): { problems: string[]; encrypted: number } {
  const problems: string[] = [];
  let encrypted = 0;
  const tag = c.tag ?? '?';
  const pairs: Array<[string, typeof c.request | undefined, typeof c.request | undefined]> = [
    ['request', c.request, s.request],
    ['response', s.response, c.response], // sent by the server, received by the client
  ];
  for (const [what, sent, got] of pairs) {
    if (!sent || !got) continue;
    const ctSent = header(sent, 'content-type').join(', ');
    if (!/multipart\/encrypted/i.test(ctSent)) continue;
    encrypted++;
    const ctGot = header(got, 'content-type').join(', ');
    if (ctSent !== ctGot) problems.push(`${what} ${tag}: Content-Type sent "${ctSent}", received "${ctGot}"`);
    if (sent.bodySha256 !== got.bodySha256) {
      problems.push(`${what} ${tag}: body changed (${sent.bodyLength} bytes sha256 ${sent.bodySha256?.slice(0, 12)}… sent on ${sent.conn}, ${got.bodyLength} bytes sha256 ${got.bodySha256?.slice(0, 12)}… received on ${got.conn})`);
    }
  }
  return { problems, encrypted };
}

