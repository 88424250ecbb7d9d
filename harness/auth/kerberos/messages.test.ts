import { describe, expect, it } from 'vitest';
import { hex } from '../bytes.ts';
import { Fields, int, ktime, readInt, seq, field } from './asn1.ts';
import { decEncTicketPart, decKdcReq, decKrbError, encEncTicketPart, encKdcReq, encKrbError } from './messages.ts';
import { KerberosError } from './errors.ts';

describe('Kerberos DER (RFC 4120 §5.2)', () => {
  it('INTEGER is minimal two\'s complement for Int32 and UInt32 values', () => {
    const cases: Array<[number, string]> = [
      [0, '020100'],
      [5, '020105'],
      [127, '02017f'],
      [128, '02020080'],
      [-1, '0201ff'],
      [-129, '0202ff7f'],
      [0xffffffff, '020500ffffffff'],
      [0x7fffffff, '02047fffffff'],
    ];
    for (const [n, h] of cases) {
      expect(hex(int(n))).toBe(h);
      expect(readInt(int(n))).toBe(n);
    }
  });

  it('KerberosTime is GeneralizedTime without fraction, in UTC', () => {
    const t = Date.UTC(2026, 10, 24, 21, 30, 30, 999);
    expect(Buffer.from(ktime(t).subarray(2)).toString()).toBe('20261124213030Z');
    expect(new Fields(seq(field(0, ktime(t))), 't').time(0)).toBe(Date.UTC(2026, 10, 24, 21, 30, 30));
  });

  it('AS-REQ, EncTicketPart and KRB-ERROR round-trip', () => {
    const body = { kdcOptions: 0x40000010, cname: { nameType: 1, nameString: ['wpc-user'] }, realm: 'WPC.TEST', sname: { nameType: 2, nameString: ['krbtgt', 'WPC.TEST'] }, till: Date.UTC(2026, 0, 1), nonce: 0x7ffffff0, etypes: [18, 17] };
    const req = decKdcReq(encKdcReq({ msgType: 10, padata: [{ type: 2, value: new Uint8Array([1, 2]) }], body }));
    expect(req.body).toEqual(body);
    expect(req.padata).toEqual([{ type: 2, value: new Uint8Array([1, 2]) }]);
    const part = { flags: 0x50e00000, key: { etype: 18, value: new Uint8Array(32).fill(7) }, crealm: 'WPC.TEST', cname: { nameType: 1, nameString: ['u'] }, transited: { trType: 1, contents: new Uint8Array(0) }, authtime: Date.UTC(2026, 0, 1), starttime: undefined, endtime: Date.UTC(2026, 0, 2), renewTill: undefined };
    expect(decEncTicketPart(encEncTicketPart(part))).toEqual(part);
    const err = { errorCode: 25, stime: Date.UTC(2026, 0, 1), susec: 5, realm: 'WPC.TEST', sname: { nameType: 2, nameString: ['krbtgt', 'WPC.TEST'] }, crealm: undefined, cname: undefined, eText: 'NEEDED_PREAUTH', eData: new Uint8Array([0x30, 0]) };
    expect(decKrbError(encKrbError(err))).toEqual(err);
  });

  it('a truncated or mistagged message is a KerberosError "malformed"', () => {
    const b = encKrbError({ errorCode: 7, stime: 0, susec: 0, realm: 'R', sname: { nameType: 1, nameString: ['x'] } });
    for (const bad of [b.subarray(0, b.length - 2), new Uint8Array([0x7e, 0x00]), new Uint8Array([0x30, 0x00])]) {
      try {
        decKrbError(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(KerberosError);
        expect((e as KerberosError).code).toBe('malformed');
      }
    }
  });
});
