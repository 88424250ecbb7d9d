// CONNECT tunnels (RFC 9110 §9.3.6): bytes relayed unchanged both ways; a half-close (FIN)
// or a reset on one side is passed to the other.

import type { Connection } from '../net/types.ts';
import type { OrderedWriter } from './writer.ts';
import type { RelayContext } from './types.ts';

/** Relays everything `from` receives into `to`, with its FIN and its close or reset. */
export function pipeOneWay(
  from: Connection,
  to: OrderedWriter,
  ctx: RelayContext,
  onActivity: () => void,
): void {
  from.onData((d) => {
    onActivity();
    void to.write(d, ctx);
  });
  from.onEnd(() => void to.end());
  from.onClose((info) => void (info.reset ? to.reset() : to.close()));
}
