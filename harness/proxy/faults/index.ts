// The fault catalogue (REQUIREMENTS.md §3): name → Fault, and their composition.

import type { Fault } from '../types.ts';
import { closeAfter2xx } from './close-after-2xx.ts';
import { closeAfter401 } from './close-after-401.ts';
import { compose, type ComposedFaults } from './compose.ts';
import { connect443Only } from './connect-443-only.ts';
import { connectRefused } from './connect-refused.ts';
import { forwardProxyAuthorization } from './forward-proxy-authorization.ts';
import { headerCase } from './header-case.ts';
import { http10, http10Client, http10Upstream } from './http10.ts';
import { idleReconnect } from './idle-reconnect.ts';
import { latency } from './latency.ts';
import { mangleEncryptedBody } from './mangle-encrypted-body.ts';
import { newUpstreamPerRequest } from './new-upstream-per-request.ts';
import { poolAfterAuth } from './pool-after-auth.ts';
import { pooledUpstream } from './pooled-upstream.ts';
import { rechunk } from './rechunk.ts';
import { resetMidResponse } from './reset-mid-response.ts';
import { shortTimeout } from './short-timeout.ts';
import { slicer } from './slicer.ts';
import { sniff } from './sniff.ts';
import { stripWwwAuthenticate } from './strip-www-authenticate.ts';
import { tlsIntercept } from './tls-intercept.ts';

const all: Fault[] = [
  closeAfter2xx,
  closeAfter401,
  newUpstreamPerRequest,
  pooledUpstream,
  poolAfterAuth,
  idleReconnect,
  http10,
  http10Upstream,
  http10Client,
  stripWwwAuthenticate,
  forwardProxyAuthorization,
  mangleEncryptedBody,
  connectRefused,
  connect443Only,
  tlsIntercept,
  shortTimeout,
  resetMidResponse,
  sniff,
  slicer,
  rechunk,
  latency,
  headerCase,
];

export const faults: Record<string, Fault> = Object.fromEntries(all.map((f) => [f.name, f]));

/** Every fault, passive and control, in catalogue order. */
export function listFaults(): Fault[] {
  return [...all];
}

/** Composes faults by name; an unknown name is a one-line error naming the known ones. */
export function composeFaults(names: readonly string[]): ComposedFaults {
  const unknown = names.filter((n) => !Object.hasOwn(faults, n));
  if (unknown.length > 0) {
    throw new Error(`unknown fault '${unknown[0]}' (known: ${all.map((f) => f.name).join(', ')})`);
  }
  return compose(names.map((n) => faults[n]));
}
