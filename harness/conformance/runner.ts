// Plays the case catalogue against a proxy under test and builds the report (REQUIREMENTS.md
// §1, §6). Each case runs in its own world (network, servers, clients) so cases run
// concurrently without interfering, and each case's trace holds only its own connections.

import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { generateIdentity, simIdentity, type TlsIdentity } from '../net/index.ts';
import { redactUrl, redactValue, toReportTrace, transportVerdicts, verdictOf, type CaseResult, type Report, type Secret } from '../report/index.ts';
import type { CaseInfo } from './catalogue.ts';
import { CASE_RUNNERS } from './cases/index.ts';
import { guessProduct, hintFor } from './hints.ts';
import { header, messages } from './observe.ts';
import type { CaseOutcome, CaseTiming } from './types.ts';
import { createWorld, type ProxySpec } from './world.ts';

export interface CertifyOptions {
  proxy: ProxySpec;
  /** For the report: the proxy's URL without credentials, and the product when known. */
  proxyUrl: string;
  product?: { name: string; version?: string; variant?: string };
  cases: CaseInfo[];
  transport: 'sim' | 'tcp';
  seed: number;
  timing: CaseTiming;
  serverHost?: string;
  serverPorts?: { http: number; https: number };
  /** Cases at once; 1 when server ports are fixed. */
  concurrency?: number;
  /** Called as each case ends (terminal progress), with secrets already redacted. */
  onCase?: (c: CaseResult) => void;
}

export interface CertifyResult {
  report: Report;
  /** Everything a report must not show in clear (writeReports redacts them). */
  secrets: Secret[];
}

const require = createRequire(import.meta.url);
const VERSION: string = (require('../../package.json') as { version: string }).version;

export async function certify(opts: CertifyOptions): Promise<CertifyResult> {
  const started = Date.now();
  const sim = opts.transport === 'sim';
  // On sim everything derives from the seed (INV-8); on tcp the password is fresh per run.
  const password = sim ? `Sim-${opts.seed.toString(16)}-Pw!` : `Wpc-${randomBytes(9).toString('base64url')}!`;
  const account = { user: 'wpc-user', password, domain: 'WPC' };
  const identity: TlsIdentity = sim ? simIdentity('localhost') : await generateIdentity('localhost');
  const proxyCreds = opts.proxy.kind === 'sim' ? opts.proxy.proxyAuth : opts.proxy.target.credentials;
  const secrets: Secret[] = [account.password, { user: account.user, password: account.password }];
  if (proxyCreds) secrets.push(proxyCreds.password, proxyCreds);

  const results = new Map<string, CaseResult>();
  const queue = [...opts.cases];
  const concurrency = opts.serverPorts ? 1 : (opts.concurrency ?? (sim ? 4 : 6));
  let requiresAuth = false;
  let announced: string[] = [];

  const runOne = async (info: CaseInfo): Promise<CaseResult> => {
    const t0 = Date.now();
    const runner = CASE_RUNNERS[info.id];
    let outcome: CaseOutcome;
    let trace: CaseResult['trace'] = [];
    let world;
    try {
      world = await createWorld(info, {
        transport: opts.transport,
        proxy: opts.proxy,
        seed: opts.seed,
        timing: opts.timing,
        account,
        serverHost: opts.serverHost ?? '127.0.0.1',
        ...(opts.serverPorts ? { serverPorts: opts.serverPorts } : {}),
        identity,
      });
      if (!runner) {
        outcome = { status: 'error', reason: `no implementation for ${info.id}`, evidence: {} };
      } else {
        const w = world;
        outcome = await w.drive(runner.run(w.ctx), caseBound(info, opts.timing)).catch(
          (e): CaseOutcome => ({ status: 'error', reason: `the case could not complete: ${(e as Error).message}`, evidence: {} }),
        );
      }
      // What the proxy announced about itself (Via, Server), for hints and the report.
      for (const m of [...messages(world.net, 'server', 'in'), ...clientResponses(world.net)]) {
        announced.push(...header(m, 'via'), ...(m.actor === 'server' ? [] : header(m, 'server').filter((s) => !/HTTPAPI/i.test(s))));
        if (m.startLine.includes(' 407 ')) requiresAuth = true;
      }
      trace = toReportTrace(world.net.trace.events, { secrets });
    } catch (e) {
      outcome = { status: 'error', reason: `the harness could not set up the case: ${(e as Error).message}`, evidence: {} };
    } finally {
      await world?.close();
    }
    const product = opts.product?.name ?? guessProduct(announced)?.name;
    const hint = outcome.status === 'fail' ? hintFor(product, info.id) : undefined;
    return {
      id: info.id,
      title: info.title,
      section: info.section,
      level: info.level,
      transport: info.transport,
      status: outcome.status,
      durationMs: Date.now() - t0,
      reason: outcome.reason,
      ...(hint ? { hint } : {}),
      evidence: outcome.evidence,
      trace,
    };
  };

  const workers = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let info = queue.shift(); info; info = queue.shift()) {
      const r = await runOne(info);
      results.set(info.id, r);
      // Progress goes to a terminal, not through writeReports: redact it here.
      const { trace, ...rest } = r;
      opts.onCase?.({ ...redactValue(rest, secrets), trace });
    }
  });
  await Promise.all(workers);

  const cases = opts.cases.map((c) => results.get(c.id)!).filter(Boolean);
  const guessed = opts.product ?? guessProduct(announced);
  const report: Report = {
    tool: 'wpc',
    version: VERSION,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    seed: opts.seed,
    proxy: {
      url: redactUrl(opts.proxyUrl),
      requiresAuth: requiresAuth || !!proxyCreds,
      ...(guessed ? { product: guessed } : {}),
    },
    verdict: verdictOf(cases),
    transports: transportVerdicts(cases),
    cases,
  };
  return { report, secrets };
}

function clientResponses(net: import('../net/types.ts').Network) {
  return net.trace.events.filter(
    (e): e is Extract<typeof e, { kind: 'message' }> => e.kind === 'message' && e.dir === 'in' && e.actor !== 'server' && !e.actor.startsWith('server#'),
  );
}

/** The bound on a whole case: its deliberate waits plus room for every exchange to time out once. */
export function caseBound(info: CaseInfo, t: CaseTiming): number {
  const pauses = info.id === 'http.6' || info.id === 'https.5' ? 6 * t.pauseMs : t.pauseMs;
  const longPoll = info.id === 'http.11' ? 2 * t.operationTimeoutS * 1000 : 0;
  return pauses + longPoll + 4 * t.timeoutMs;
}
