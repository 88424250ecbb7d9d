import { apache2 } from './apache2.ts';
import { haproxy } from './haproxy.ts';
import { mitmproxy } from './mitmproxy.ts';
import { privoxy } from './privoxy.ts';
import { squid } from './squid.ts';
import { tinyproxy } from './tinyproxy.ts';
import type { ProductDriver } from './types.ts';

/** Every real proxy product the harness knows how to start on loopback. */
export const products: ProductDriver[] = [squid, tinyproxy, apache2, haproxy, privoxy, mitmproxy];

export function getProduct(name: string): ProductDriver {
  const found = products.find((p) => p.name === name.toLowerCase());
  if (!found) {
    throw new Error(`unknown proxy product '${name}' (known: ${products.map((p) => p.name).join(', ')})`);
  }
  return found;
}

/** The products whose binary is present on this machine. */
export async function installedProducts(): Promise<ProductDriver[]> {
  const present = await Promise.all(products.map((p) => p.installed()));
  return products.filter((_, i) => present[i]);
}
