import { describe, expect, it } from 'vitest';
import { getProduct, installedProducts, products } from './registry.ts';

describe('product registry', () => {
  it('knows the six Debian proxy products, each with a default variant', () => {
    expect(products.map((p) => p.name)).toEqual(['squid', 'tinyproxy', 'apache2', 'haproxy', 'privoxy', 'mitmproxy']);
    for (const p of products) expect(p.variants.map((v) => v.name)).toContain('default');
  });

  it('finds a product by name, case-insensitively', () => {
    expect(getProduct('Squid').name).toBe('squid');
  });

  it('throws an error listing the known names for an unknown product', () => {
    expect(() => getProduct('nginx')).toThrow(/unknown proxy product 'nginx' \(known: squid, tinyproxy, apache2, haproxy, privoxy, mitmproxy\)/);
  });

  it('installedProducts() is the subset whose installed() is true', async () => {
    const installed = await installedProducts();
    const flags = await Promise.all(products.map((p) => p.installed()));
    expect(installed).toEqual(products.filter((_, i) => flags[i]));
  });

  it('rejects an unknown variant with the known ones', async () => {
    await expect(getProduct('privoxy').start({ variant: 'nope' })).rejects.toThrow(/unknown variant 'nope' \(known: default, sharing\)/);
  });

  it('refuses to listen anywhere but loopback', async () => {
    await expect(getProduct('tinyproxy').start({ host: '0.0.0.0' })).rejects.toThrow(/not an IPv4 loopback address/);
  });

  it('rejects proxyAuth for a variant without proxy authentication', async () => {
    await expect(getProduct('haproxy').start({ proxyAuth: { user: 'u', password: 'p' } })).rejects.toThrow(
      /no proxy authentication/,
    );
  });
});
