// Benchmark: a whole `certify` against a local conformant proxy (the reference proxy on real
// sockets), both transports. Issue target: no more than twice the longest deliberate wait (the
// idle pauses of a session and the long poll) and under 30 s. Also the peak memory.

import { selectCases } from '../harness/conformance/catalogue.ts';
import { certify } from '../harness/conformance/runner.ts';
import { TcpNetwork } from '../harness/net/index.ts';
import { startProxy } from '../harness/proxy/index.ts';
import type { Section } from './table.ts';

export interface CertifyBench {
  wallMs: number;
  longestDeliberateWaitMs: number;
  ratio: number;
  peakRssMiB: number;
  verdict: string;
  cases: number;
}

export async function benchCertify(): Promise<CertifyBench> {
  const net = new TcpNetwork({ keepBytes: false });
  const proxy = await startProxy(net, { host: '127.0.0.1', port: 0 });
  const timing = { pauseMs: 2000, operationTimeoutS: 5, timeoutMs: 10_000 };
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const t0 = performance.now();
  try {
    const { report } = await certify({
      proxy: { kind: 'external', target: { host: '127.0.0.1', port: proxy.address.port } },
      proxyUrl: `http://127.0.0.1:${proxy.address.port}`,
      cases: selectCases(undefined),
      transport: 'tcp',
      seed: 1,
      timing,
    });
    const wallMs = performance.now() - t0;
    // http.6 and https.5 sleep 5 pauses each (Identify, Create, 3 commands, Signal): the longest wait.
    const longest = Math.max(5 * timing.pauseMs, timing.operationTimeoutS * 1000);
    return { wallMs, longestDeliberateWaitMs: longest, ratio: wallMs / longest, peakRssMiB: peak / 2 ** 20, verdict: report.verdict, cases: report.cases.length };
  } finally {
    clearInterval(sampler);
    await proxy.close();
    await net.shutdown();
  }
}

export async function certifySection(): Promise<Section> {
  const b = await benchCertify();
  return {
    title: 'certify against the local reference proxy (tcp, both transports)',
    rows: [
      ['measure', 'value'],
      ['cases', `${b.cases} (verdict ${b.verdict})`],
      ['wall time', `${(b.wallMs / 1000).toFixed(2)} s`],
      ['longest deliberate wait', `${(b.longestDeliberateWaitMs / 1000).toFixed(2)} s`],
      ['wall / longest wait', b.ratio.toFixed(2)],
      ['peak RSS', `${b.peakRssMiB.toFixed(0)} MiB`],
    ],
    notes: [`target: at most 2 × the longest deliberate wait and under 30 s: ${b.ratio <= 2 && b.wallMs < 30_000 ? 'met' : 'NOT met'}`],
  };
}
