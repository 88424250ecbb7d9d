// Composition of faults into one set of hooks the reference proxy calls (see ../types.ts).

import type { Endpoint } from '../../net/types.ts';
import type { HttpRequest, HttpResponse } from '../../wire/types.ts';
import type { Fault, FaultContext, RelayContext, RelayStep, UpstreamPolicy } from '../types.ts';

export interface ComposedFaults {
  names: string[];
  upstreamPolicy: UpstreamPolicy;
  reconnectIdleMs?: number;
  responseTimeoutMs?: number;
  keepProxyAuthorization: boolean;
  interceptTls: boolean;
  /** Some fault has a relay hook (else relay() always returns the bytes as one step). */
  relays: boolean;
  onRequest(req: HttpRequest, ctx: FaultContext): HttpRequest;
  onResponse(res: HttpResponse, req: HttpRequest, ctx: FaultContext): HttpResponse;
  /** True when some fault wants both connections closed after this response. */
  closeAfter(res: HttpResponse, req: HttpRequest, ctx: FaultContext): boolean;
  onConnect(target: Endpoint, req: HttpRequest, ctx: FaultContext): HttpResponse | undefined;
  relay(bytes: Uint8Array, ctx: RelayContext): RelayStep[];
}

function lastSet<K extends keyof Fault>(faults: readonly Fault[], key: K): Fault[K] | undefined {
  let v: Fault[K] | undefined;
  for (const f of faults) if (f[key] !== undefined) v = f[key];
  return v;
}

export function compose(faults: readonly Fault[]): ComposedFaults {
  return {
    names: faults.map((f) => f.name),
    upstreamPolicy: lastSet(faults, 'upstreamPolicy') ?? 'per-client',
    reconnectIdleMs: lastSet(faults, 'reconnectIdleMs'),
    responseTimeoutMs: lastSet(faults, 'responseTimeoutMs'),
    keepProxyAuthorization: lastSet(faults, 'keepProxyAuthorization') ?? false,
    interceptTls: lastSet(faults, 'interceptTls') ?? false,
    relays: faults.some((f) => f.relay !== undefined),
    // Loops rather than reduce/map: these run for every message, and without faults they
    // should cost nothing (no callback closure, no array).
    onRequest(req, ctx) {
      let r = req;
      for (const f of faults) if (f.onRequest) r = f.onRequest(r, ctx);
      return r;
    },
    onResponse(res, req, ctx) {
      let r = res;
      for (const f of faults) if (f.onResponse) r = f.onResponse(r, req, ctx);
      return r;
    },
    closeAfter(res, req, ctx) {
      // Every hook runs (each may keep state), then any 'close' wins.
      let close = false;
      for (const f of faults) if (f.afterResponse?.(res, req, ctx) === 'close') close = true;
      return close;
    },
    onConnect(target, req, ctx) {
      for (const f of faults) {
        const refusal = f.onConnect?.(target, req, ctx);
        if (refusal) return refusal;
      }
      return undefined;
    },
    relay(bytes, ctx) {
      let steps: RelayStep[] = [{ bytes }];
      for (const f of faults) {
        if (!f.relay) continue;
        const relay = f.relay.bind(f);
        steps = steps.flatMap((s) => ('bytes' in s ? relay(s.bytes, ctx) : [s]));
      }
      return steps;
    },
  };
}
