// Interop with pywinrm 0.3.0's winrm/encryption.py (the real client parser and writer on this
// machine kind), run under /usr/bin/python3 with the OpenSSL legacy config for MD4.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromHex, hex } from '../auth/bytes.ts';
import { NtlmSession } from '../auth/ntlm/session.ts';
import { decryptMessage, encryptMessage } from './index.ts';

const SCRIPT = fileURLToPath(new URL('./interop_pywinrm.py', import.meta.url));
const OPENSSL_CONF = fileURLToPath(new URL('../auth/openssl-legacy.cnf', import.meta.url));
const FLAGS = 0xe2898036;
const KEY = '000102030405060708090a0b0c0d0e0f';

function runPywinrm(clientTexts: string[], responses: Array<{ contentType: string; body: Uint8Array }>): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [SCRIPT, FLAGS.toString(16), KEY, ...clientTexts], {
      env: { PATH: '/usr/bin:/bin', OPENSSL_CONF },
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('pywinrm interop timed out'));
    }, 15_000);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    for (const r of responses) child.stdin.write(JSON.stringify({ contentType: r.contentType, body: Buffer.from(r.body).toString('base64') }) + '\n');
    child.stdin.end();
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out.trim().split('\n'));
      else reject(new Error(`python exited ${code}: ${err.slice(-400)}`));
    });
  });
}

describe('interop with pywinrm 0.3.0 winrm/encryption.py', () => {
  it('we decrypt what pywinrm encrypts, and pywinrm decrypts what we encrypt, in sequence', async () => {
    const server = new NtlmSession({ flags: FLAGS, exportedSessionKey: fromHex(KEY), role: 'server' });
    const r0 = encryptMessage(server, new TextEncoder().encode('<s:Envelope>reply 0</s:Envelope>'));
    const r1 = encryptMessage(server, new TextEncoder().encode('<s:Envelope>reply 1 ünïcode</s:Envelope>'));
    const lines = await runPywinrm(['<s:Envelope>req 0</s:Envelope>', '<s:Envelope>req 1</s:Envelope>'], [r0, r1]);
    const [b0, b1, d0, d1] = lines;
    const ct = 'multipart/encrypted;protocol="application/HTTP-SPNEGO-session-encrypted";boundary="Encrypted Boundary"';
    expect(new TextDecoder().decode(decryptMessage(server, ct, new Uint8Array(Buffer.from(b0, 'base64'))))).toBe('<s:Envelope>req 0</s:Envelope>');
    expect(new TextDecoder().decode(decryptMessage(server, ct, new Uint8Array(Buffer.from(b1, 'base64'))))).toBe('<s:Envelope>req 1</s:Envelope>');
    expect(d0).toBe('ok ' + Buffer.from('<s:Envelope>reply 0</s:Envelope>').toString('base64'));
    expect(d1).toBe('ok ' + Buffer.from('<s:Envelope>reply 1 ünïcode</s:Envelope>').toString('base64'));
  });

  it('pywinrm writes the same bytes as encryptMessage for the same session state', async () => {
    const [b0] = await runPywinrm(['<s:Envelope/>'], []);
    const ours = encryptMessage(new NtlmSession({ flags: FLAGS, exportedSessionKey: fromHex(KEY), role: 'client' }), new TextEncoder().encode('<s:Envelope/>'));
    expect(hex(new Uint8Array(Buffer.from(b0, 'base64')))).toBe(hex(ours.body));
  });

  it('pywinrm rejects our body when its Length= is wrong (its tamper check)', async () => {
    const server = new NtlmSession({ flags: FLAGS, exportedSessionKey: fromHex(KEY), role: 'server' });
    const r = encryptMessage(server, new TextEncoder().encode('<s:Envelope/>'));
    const bad = new Uint8Array(Buffer.from(Buffer.from(r.body).toString('latin1').replace('Length=13', 'Length=14'), 'latin1'));
    const [line] = await runPywinrm([], [{ contentType: r.contentType, body: bad }]);
    expect(line).toBe('error WinRMError');
  });
});
