// `wpc certify` (REQUIREMENTS.md §5): certifies a proxy — a URL, an installed product started
// on loopback, a container image, or the simulated proxies — and writes the reports.
// Exit codes: 0 conformant (non-strict counts unless --strict), 1 non-conformant, 2 usage or
// infrastructure error with a one-line reason.

import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { selectCases, type CaseInfo } from '../conformance/catalogue.ts';
import { runMatrix, type MatrixRow } from '../conformance/matrix.ts';
import { certify, type CertifyOptions } from '../conformance/runner.ts';
import type { CaseTiming, ProxyTarget } from '../conformance/types.ts';
import { externalProxy } from '../drivers/external.ts';
import { getProduct } from '../drivers/registry.ts';
import type { ProxyUnderTest } from '../drivers/types.ts';
import { composeFaults, parseProxyAuthSchemes, type ProxyAuthScheme } from '../proxy/index.ts';
import { exitCodeFor, redactReport, writeReports, type CaseResult, type Report, type ReportFormat } from '../report/index.ts';
import { probeProxy } from './probe.ts';
import { UsageError } from './usage.ts';
import { writeFile, mkdir } from 'node:fs/promises';

/** REQUIREMENTS.md §1 (https.5, http.6): sessions with idle pauses of at least 2 s. */
const MIN_PAUSE_MS = 2000;

export const CERTIFY_HELP = `usage:
  wpc certify --proxy URL [--proxy-user U --proxy-password P] [options]
  wpc certify --product NAME [--variant V] [options]    an installed proxy product, on loopback
  wpc certify --image IMAGE [options]                   a proxy in a container (testcontainers)
  wpc certify --sim [--fault NAME,…] [options]          simulated proxy; --sim alone: the matrix
      [--proxy-user U --proxy-password P [--proxy-auth negotiate,ntlm,digest,basic]]
                                                        …demanding proxy authentication (Basic by default)
options:
  --transport http|https|both   which cases (default both)
  --cases ID,…                  only these cases (wpc list cases)
  --strict                      non-strict outcomes fail the run
  --report-dir DIR              where reports go (default reports)
  --format json,junit,html,md   which reports (json always)
  --server-host HOST            the harness's WinRM listeners bind here (default 127.0.0.1)
  --server-ports HTTP,HTTPS     fixed listener ports (cases then run one at a time)
  --timeout-ms N                bound on each exchange (default 10000)
  --pause-ms N                  idle pause inside sessions (default and least 2000: http.6/https.5 need ≥ 2 s)
  --operation-timeout S         OperationTimeout of the long-poll case http.11 (default 5, up to 60)
  --seed N                      seed (default 1)`;

interface Parsed {
  values: Record<string, string | boolean | undefined>;
}

export async function run(argv: string[]): Promise<number> {
  let values: Parsed['values'];
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        proxy: { type: 'string' },
        'proxy-user': { type: 'string' },
        'proxy-password': { type: 'string' },
        'proxy-auth': { type: 'string' },
        product: { type: 'string' },
        variant: { type: 'string' },
        image: { type: 'string' },
        'image-port': { type: 'string' },
        sim: { type: 'boolean' },
        fault: { type: 'string' },
        transport: { type: 'string', default: 'both' },
        cases: { type: 'string' },
        strict: { type: 'boolean', default: false },
        'report-dir': { type: 'string', default: 'reports' },
        format: { type: 'string', default: 'json,junit,html,md' },
        'server-host': { type: 'string', default: '127.0.0.1' },
        'server-ports': { type: 'string' },
        'timeout-ms': { type: 'string', default: '10000' },
        'pause-ms': { type: 'string', default: '2000' },
        'operation-timeout': { type: 'string', default: '5' },
        seed: { type: 'string', default: '1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split('\n')[0]} (see wpc certify --help)`);
  }
  if (values.help) {
    process.stdout.write(CERTIFY_HELP + '\n');
    return 0;
  }
  const modes = ['proxy', 'product', 'image', 'sim'].filter((m) => values[m] !== undefined && values[m] !== false);
  if (modes.length !== 1) throw new UsageError('give exactly one of --proxy URL, --product NAME, --image IMAGE, --sim (see wpc certify --help)');
  const mode = modes[0];
  if (values.fault !== undefined && mode !== 'sim') throw new UsageError('--fault goes with --sim (for a real proxy, run wpc proxy --fault and certify its URL)');
  if (values.variant !== undefined && mode !== 'product') throw new UsageError('--variant goes with --product');
  if ((values['proxy-user'] === undefined) !== (values['proxy-password'] === undefined)) throw new UsageError('--proxy-user and --proxy-password go together');
  // The simulated network has its own addresses: listener options would be silently ignored.
  if (mode === 'sim' && (values['server-ports'] !== undefined || values['server-host'] !== '127.0.0.1')) {
    throw new UsageError('--server-host and --server-ports apply to real proxies (--proxy, --product, --image), not to --sim');
  }
  if (values['image-port'] !== undefined && mode !== 'image') throw new UsageError('--image-port goes with --image');
  let schemes: ProxyAuthScheme[] | undefined;
  if (values['proxy-auth'] !== undefined) {
    if (mode !== 'sim' || values['proxy-user'] === undefined) throw new UsageError('--proxy-auth goes with --sim and --proxy-user/--proxy-password (the simulated proxy\'s schemes)');
    try {
      schemes = parseProxyAuthSchemes(String(values['proxy-auth']));
    } catch (e) {
      throw new UsageError(`--proxy-auth: ${(e as Error).message}`);
    }
  }

  const transport = String(values.transport);
  if (!['http', 'https', 'both'].includes(transport)) throw new UsageError(`--transport: expected http, https or both, got '${transport}'`);
  let cases: CaseInfo[];
  try {
    cases = selectCases(values.cases as string | undefined);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (transport !== 'both') cases = cases.filter((c) => c.transport === transport);
  if (cases.length === 0) throw new UsageError('no case selected (check --cases and --transport)');
  const formats = String(values.format).split(',').map((f) => f.trim()).filter(Boolean);
  for (const f of formats) if (!['json', 'junit', 'html', 'md'].includes(f)) throw new UsageError(`--format: unknown format '${f}' (json, junit, html, md)`);
  const timing: CaseTiming = {
    timeoutMs: intOption(values, 'timeout-ms', 100, 600_000),
    pauseMs: intOption(values, 'pause-ms', MIN_PAUSE_MS, 600_000),
    operationTimeoutS: intOption(values, 'operation-timeout', 1, 60),
  };
  const seed = intOption(values, 'seed', 0, 2 ** 32 - 1);
  const serverPorts = values['server-ports'] === undefined ? undefined : parsePorts(String(values['server-ports']));
  const reportDir = String(values['report-dir']);
  const strict = values.strict === true;
  const creds = values['proxy-user'] !== undefined ? { user: String(values['proxy-user']), password: String(values['proxy-password']), ...(schemes ? { schemes } : {}) } : undefined;

  if (mode === 'sim') {
    const faultText = values.fault as string | undefined;
    if (faultText === undefined) return simMatrix(cases, seed, timing, reportDir, formats as ReportFormat[], strict, creds);
    const faults = faultText.split(',').map((f) => f.trim()).filter(Boolean);
    try {
      composeFaults(faults);
    } catch (e) {
      throw new UsageError(`--fault: ${(e as Error).message}`);
    }
    return finish(
      await certify({ proxy: { kind: 'sim', faults, ...(creds ? { proxyAuth: creds } : {}) }, proxyUrl: 'http://127.0.0.1:3128', product: { name: 'wpc', variant: faults.join('+') || 'reference' }, cases, transport: 'sim', seed, timing, onCase: progress }),
      reportDir,
      formats as ReportFormat[],
      strict,
    );
  }

  // Real proxies: a URL, a product started here, or a container.
  let put: ProxyUnderTest;
  if (mode === 'proxy') {
    try {
      put = externalProxy(String(values.proxy), creds);
    } catch (e) {
      throw new UsageError(`--proxy: ${(e as Error).message}`);
    }
  } else if (mode === 'product') {
    let driver;
    try {
      driver = getProduct(String(values.product));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (!(await driver.installed())) throw new Error(`${driver.name} is not installed on this machine (apt-get install it)`);
    const { serverPortPair } = await import('../drivers/free-port.ts');
    // Products that pool per declared target (apache2 pooled) must know the listeners up front;
    // they are bound case after case, so they come from outside the ephemeral range.
    const ports = serverPorts ?? (await serverPortPair());
    const host = String(values['server-host']);
    put = await driver.start({
      ...(values.variant ? { variant: String(values.variant) } : {}),
      ...(creds ? { proxyAuth: creds } : {}),
      targets: [`http://${host}:${ports.http}`, `http://${host}:${ports.https}`],
    });
    if (!serverPorts && values.variant === 'pooled') values['server-ports'] = `${ports.http},${ports.https}`;
  } else {
    const { startContainerProxy } = await import('../drivers/container.ts');
    put = await startContainerProxy(String(values.image), { port: intOption(values, 'image-port', 1, 65535, 3128) });
  }
  const stopOnSignal = () => void put.stop().finally(() => process.exit(2));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const url = new URL(put.url);
    // A container's proxy may want credentials too: the driver's own, else the ones given.
    const credentials = put.credentials ?? creds;
    const target: ProxyTarget = {
      host: url.hostname,
      port: Number(url.port || 80),
      ...(credentials ? { credentials } : {}),
      ...(put.product ? { product: put.product.name } : {}),
    };
    await probeProxy(target, timing.timeoutMs); // unreachable → infrastructure error, exit 2
    const ports = values['server-ports'] === undefined ? undefined : parsePorts(String(values['server-ports']));
    const opts: CertifyOptions = {
      proxy: { kind: 'external', target },
      proxyUrl: put.url,
      ...(put.product ? { product: put.product } : {}),
      cases,
      transport: 'tcp',
      seed,
      timing,
      serverHost: String(values['server-host']),
      ...(ports ? { serverPorts: ports } : {}),
      onCase: progress,
    };
    return await finish(await certify(opts), reportDir, formats as ReportFormat[], strict);
  } finally {
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
    await put.stop();
  }
}

async function finish(result: Awaited<ReturnType<typeof certify>>, dir: string, formats: ReportFormat[], strict: boolean): Promise<number> {
  const { report, secrets } = result;
  const paths = await writeReports(report, dir, formats, { secrets });
  process.stdout.write(summaryTable(report) + `\nreports: ${paths.join(', ')}\n`);
  const code = exitCodeFor(report.verdict, { strict });
  if (code === 2) {
    // Exit 2 always comes with a one-line reason on stderr (REQUIREMENTS.md §5); the report is redacted.
    const errors = redactReport(report, secrets).cases.filter((c) => c.status === 'error');
    process.stderr.write(`wpc certify: the harness could not run ${errors.length} case(s): ${errors[0] ? `${errors[0].id}: ${firstLine(errors[0].reason, 200)}` : 'no case ran'}\n`);
  }
  return code;
}

async function simMatrix(cases: CaseInfo[], seed: number, timing: CaseTiming, dir: string, formats: ReportFormat[], strict: boolean, creds?: { user: string; password: string; schemes?: ProxyAuthScheme[] }): Promise<number> {
  process.stdout.write(`certifying the simulated reference proxy and every fault and control (${cases.length} cases each)\n`);
  const result = await runMatrix({
    cases,
    seed,
    timing,
    strict,
    ...(creds ? { proxyAuth: creds } : {}),
    onRow: (r) => process.stdout.write(matrixLine(r) + '\n'),
  });
  for (const [name, { report, secrets }] of result.reports) await writeReports(report, join(dir, name), formats, { secrets });
  await mkdir(dir, { recursive: true });
  const rows = result.rows.map(({ proxy, kind, verdict, failed, expected }) => ({ proxy, kind, verdict, failed, expected }));
  await writeFile(join(dir, 'matrix.json'), JSON.stringify({ rows }, null, 2) + '\n');
  process.stdout.write('\n' + matrixTable(result, cases) + `\nmatrix: ${join(dir, 'matrix.json')}; reports: ${join(dir, '<proxy>/')}\n`);
  const bad = result.rows.filter((r) => !r.ok).map((r) => r.proxy);
  process.stdout.write(bad.length ? `matrix: NOT as expected for ${bad.join(', ')}\n` : 'matrix: as expected (reference and controls conformant, every fault caught)\n');
  return result.ok ? 0 : 1;
}

const MARK: Record<CaseResult['status'], string> = { pass: 'PASS', fail: 'FAIL', 'non-strict': 'NSTR', skip: 'skip', error: 'ERR ' };

function progress(c: CaseResult): void {
  process.stdout.write(`${MARK[c.status]} ${c.id.padEnd(8)} ${String(c.durationMs).padStart(6)} ms  ${firstLine(c.reason, 110)}\n`);
}

function summaryTable(r: Report): string {
  const lines = ['', `verdict: ${r.verdict}  (http: ${r.transports.http ?? '-'}, https: ${r.transports.https ?? '-'})  proxy ${r.proxy.url}${r.proxy.product ? ` [${r.proxy.product.name}${r.proxy.product.variant ? ' ' + r.proxy.product.variant : ''}]` : ''}`];
  lines.push('case      level   status  title');
  for (const c of r.cases) lines.push(`${c.id.padEnd(9)} ${c.level.padEnd(7)} ${MARK[c.status]}    ${firstLine(c.title, 80)}`);
  for (const c of r.cases.filter((x) => x.status === 'fail' && x.hint)) lines.push(`hint ${c.id}: ${c.hint}`);
  return lines.join('\n');
}

function matrixLine(r: MatrixRow): string {
  return `${r.ok ? 'ok  ' : 'BAD '} ${r.proxy.padEnd(28)} ${r.verdict.padEnd(22)} failed: ${r.failed.join(', ') || '-'}${r.kind === 'fault' ? `  (expected one of: ${r.expected.join(', ')})` : ''}`;
}

/** One cell: CAUGHT (an expected case failed), FAIL, ERR, skip, or '.' (pass or non-strict). */
function matrixCell(r: MatrixRow, status: CaseResult['status'] | undefined, id: string): string {
  if (r.failed.includes(id)) return r.expected.includes(id) ? 'CAUGHT' : 'FAIL';
  if (status === 'error') return 'ERR';
  if (status === 'skip') return 'skip';
  return '.';
}

function matrixTable(result: { rows: MatrixRow[]; reports: Map<string, { report: Report }> }, cases: CaseInfo[]): string {
  const ids = cases.map((c) => c.id);
  const head = 'proxy'.padEnd(28) + ids.map((i) => i.padStart(8)).join('');
  const body = result.rows.map((r) => {
    const statuses = new Map(result.reports.get(r.proxy)?.report.cases.map((c) => [c.id, c.status]));
    return r.proxy.padEnd(28) + ids.map((i) => matrixCell(r, statuses.get(i), i).padStart(8)).join('');
  });
  return [head, '(. pass or non-strict · skip: does not apply · ERR: could not run, see the report)', ...body].join('\n');
}

function firstLine(s: string, max: number): string {
  const l = s.split('\n')[0];
  return l.length > max ? l.slice(0, max - 1) + '…' : l;
}

function intOption(values: Parsed['values'], name: string, min: number, max: number, dflt?: number): number {
  const raw = values[name];
  if (raw === undefined && dflt !== undefined) return dflt;
  const n = Number(raw);
  if (!/^\d+$/.test(String(raw)) || n < min || n > max) throw new UsageError(`--${name}: expected an integer from ${min} to ${max}, got '${raw}'`);
  return n;
}

function parsePorts(text: string): { http: number; https: number } {
  const m = /^(\d{1,5}),(\d{1,5})$/.exec(text);
  if (!m || Number(m[1]) > 65535 || Number(m[2]) > 65535) throw new UsageError(`--server-ports: expected HTTP,HTTPS port numbers, got '${text}'`);
  return { http: Number(m[1]), https: Number(m[2]) };
}

