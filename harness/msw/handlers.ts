// msw 2 request-level handlers that answer a WinRM client the way a WinRM 2.0 server with Basic
// enabled does: Identify (anonymous or authenticated) and the cmd-shell lifecycle (Create,
// Command, Receive, Signal, Delete) through harness/wsman's ShellHost. See README.md for what a
// request-level mock cannot model.

import { http, HttpResponse, type HttpHandler } from 'msw';
import { ShellHost, type HandleResult } from '../wsman/shell.ts';
import { parseRequest } from '../wsman/parse.ts';
import * as R from '../wsman/response.ts';
import { messageIdSequence, idSequence } from '../wsman/ids.ts';
import { WsmanParseError } from '../wsman/errors.ts';
import type { WsmanRequest } from '../wsman/types.ts';
import { BASIC_CHALLENGE, basicMatches } from './basic-auth.ts';

export interface CustomCommandOutput {
  stdout?: string | Uint8Array;
  stderr?: string | Uint8Array;
  exitCode?: number;
}

export interface WinrmHandlerOptions {
  /** The endpoint URL the client posts to, e.g. "http://winrm.test:5985/wsman". */
  url: string;
  user: string;
  password: string;
  /**
   * Commands of your own, by first word (case-insensitive), answered in one Receive with
   * End="true" and Done. Everything else runs with the harness's cmd semantics (whoami,
   * hostname, echo, exit N, gen N, sleep S, type-stderr …).
   */
  commands?: Record<string, CustomCommandOutput | ((args: string[]) => CustomCommandOutput)>;
  /** The machine name (`hostname`, fault Machine). Default "WINRM-MSW". */
  hostname?: string;
}

const SOAP = 'application/soap+xml;charset=UTF-8';

const bytes = (v: string | Uint8Array | undefined): Uint8Array =>
  v === undefined ? new Uint8Array(0) : typeof v === 'string' ? new TextEncoder().encode(v) : v;

function soap(status: number, xml: string): HttpResponse<string> {
  return new HttpResponse(xml, { status, headers: { 'Content-Type': SOAP } });
}

export function winrmHandlers(o: WinrmHandlerOptions): HttpHandler[] {
  // Virtual time: a held Receive (long poll) jumps the clock to when it can be answered, so the
  // mock never waits on a wall clock and answers the same way every run.
  let now = 0;
  const hostname = o.hostname ?? 'WINRM-MSW';
  const host = new ShellHost({ hostname, now: () => now, seed: 'msw' });
  const nextMessageId = messageIdSequence('msw/custom');
  const nextCommandId = idSequence('msw/custom-command');
  const custom = new Map<string, { shellId: string; out: CustomCommandOutput }>();

  const settle = (r: HandleResult): HandleResult => {
    let cur = r;
    for (let i = 0; cur.kind === 'hold' && i < 1000; i++) {
      now = Math.max(now, cur.untilMs);
      cur = cur.resume();
    }
    return cur;
  };

  const customAnswer = (req: WsmanRequest): string | undefined => {
    const hdr = { messageId: nextMessageId(), relatesTo: req.messageId };
    const shellId = req.selectors['ShellId'];
    const body = req.body;
    if (body.kind === 'command' && o.commands && shellId !== undefined && host.shellIds().includes(shellId)) {
      const verb = body.command.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
      const entry = Object.entries(o.commands).find(([k]) => k.toLowerCase() === verb)?.[1];
      if (!entry) return undefined;
      const args = [...body.command.trim().split(/\s+/).slice(1), ...body.arguments.flatMap((a) => a.split(/\s+/))].filter((a) => a);
      const id = nextCommandId();
      custom.set(id, { shellId, out: typeof entry === 'function' ? entry(args) : entry });
      return R.commandResponse(hdr, id);
    }
    if ((body.kind === 'receive' || body.kind === 'signal') && body.commandId && custom.has(body.commandId)) {
      const c = custom.get(body.commandId)!;
      if (body.kind === 'signal') {
        custom.delete(body.commandId);
        return R.signalResponse(hdr);
      }
      return R.receiveResponse(hdr, {
        commandId: body.commandId,
        streams: [
          { name: 'stdout', data: bytes(c.out.stdout), end: true },
          { name: 'stderr', data: bytes(c.out.stderr), end: true },
        ],
        state: 'Done',
        exitCode: c.out.exitCode ?? 0,
      });
    }
    return undefined;
  };

  return [
    http.post(o.url, async ({ request }) => {
      const xml = await request.text();
      // DSP0226 §11 / PROTOCOL.md: Identify without credentials only with this header.
      const anonymous = request.headers.get('wsmanidentify')?.toLowerCase() === 'unauthenticated';
      if (anonymous) {
        let isIdentify = false;
        try {
          isIdentify = parseRequest(xml).body.kind === 'identify';
        } catch {
          isIdentify = false;
        }
        if (isIdentify) {
          const r = settle(host.handleXml(xml, { user: '' }));
          if (r.kind === 'response') return soap(r.status, r.xml);
        }
      }
      if (!basicMatches(request.headers.get('authorization'), o.user, o.password)) {
        return new HttpResponse(null, { status: 401, headers: { 'WWW-Authenticate': BASIC_CHALLENGE, 'Content-Length': '0' } });
      }
      const ctx = { user: o.user };
      let req: WsmanRequest | undefined;
      try {
        req = parseRequest(xml);
      } catch (e) {
        if (!(e instanceof WsmanParseError)) throw e;
      }
      const own = req ? customAnswer(req) : undefined;
      if (own !== undefined) return soap(200, own);
      const r = settle(req ? host.handle(req, ctx) : host.handleXml(xml, ctx));
      if (r.kind !== 'response') return new HttpResponse(null, { status: 500 });
      return soap(r.status, r.xml);
    }),
  ];
}
