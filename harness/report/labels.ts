// Short human labels shared by the rendered formats.
import type { Report } from './types.ts';

/** "squid 5.7 (ssl-bump)", or "" when the proxy did not announce itself. */
export function productLabel(report: Report): string {
  const p = report.proxy.product;
  if (!p) return '';
  return [p.name, p.version, p.variant ? `(${p.variant})` : undefined].filter(Boolean).join(' ');
}
