// RC4, the stream cipher of NTLM key exchange and sealing (MS-NLMP §3.4.3, §3.1.5.1.2).
// A local implementation because Node's OpenSSL 3 keeps RC4 in the legacy provider, and a
// harness must not ask its users for --openssl-legacy-provider.
// Stateful: the keystream continues across update() calls, as an NTLM sealing handle must.

/** Passed by clone(): the state is copied in right after, so no key schedule is run. */
const NO_KEY = new Uint8Array([0]);

export class Rc4 {
  #s = new Uint8Array(256);
  #i = 0;
  #j = 0;

  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 256) throw new RangeError('RC4 key must be 1..256 bytes');
    if (key === NO_KEY) return;
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      j = (j + s[i] + key[i % key.length]) & 0xff;
      const t = s[i];
      s[i] = s[j];
      s[j] = t;
    }
  }

  /** Encrypts (or decrypts: RC4 is symmetric) and advances the keystream. */
  update(data: Uint8Array): Uint8Array {
    const s = this.#s;
    let i = this.#i;
    let j = this.#j;
    const out = new Uint8Array(data.length);
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]) & 0xff;
      const t = s[i];
      s[i] = s[j];
      s[j] = t;
      out[n] = data[n] ^ s[(s[i] + s[j]) & 0xff];
    }
    this.#i = i;
    this.#j = j;
    return out;
  }

  /** An independent copy at the same keystream position (lets a caller commit only on success). */
  clone(): Rc4 {
    const c = new Rc4(NO_KEY);
    c.#s.set(this.#s);
    c.#i = this.#i;
    c.#j = this.#j;
    return c;
  }

  /** Adopts another handle's state (the commit half of clone()). */
  assign(other: Rc4): void {
    this.#s.set(other.#s);
    this.#i = other.#i;
    this.#j = other.#j;
  }
}
