import { describe, expect, it } from 'vitest';
import { fromHex, hex, utf8 } from '../../bytes.ts';
import { ctsDecrypt, ctsEncrypt } from './aes-cts.ts';
import { checksum, decrypt, encrypt, ETYPE_AES128, ETYPE_AES256, stringToKey } from './enctype.ts';
import { nfold } from './nfold.ts';

describe('n-fold (RFC 3961 appendix A.1 vectors)', () => {
  const vectors: Array<[number, string, string]> = [
    [64, '012345', 'be072631276b1955'],
    [56, 'password', '78a07b6caf85fa'],
    [64, 'Rough Consensus, and Running Code', 'bb6ed30870b7f0e0'],
    [168, 'password', '59e4a8ca7c0385c3c37b3f6d2000247cb6e6bd5b3e'],
    [192, 'MASSACHVSETTS INSTITVTE OF TECHNOLOGY', 'db3b0d8f0b061e603282b308a50841229ad798fab9540c1b'],
    [168, 'Q', '518a54a215a8452a518a54a215a8452a518a54a215'],
    [168, 'ba', 'fb25d531ae8974499f52fd92ea9857c4ba24cf297e'],
    [64, 'kerberos', '6b65726265726f73'],
    [128, 'kerberos', '6b65726265726f737b9b5b2b93132b93'],
    [168, 'kerberos', '8372c236344e5f1550cd0747e15d62ca7a5a3bcea4'],
    [256, 'kerberos', '6b65726265726f737b9b5b2b93132b935c9bdcdad95c9899c4cae4dee6d6cae4'],
  ];
  it.each(vectors)('%i-fold(%s)', (bits, input, expected) => {
    expect(hex(nfold(utf8(input), bits / 8))).toBe(expected);
  });
});

describe('string-to-key (RFC 3962 appendix B vectors)', () => {
  const vectors: Array<[number, string, string, string, string]> = [
    [1, '70617373776f7264', '415448454e412e4d49542e4544557261656275726e', '42263c6e89f4fc28b8df68ee09799f15', 'fe697b52bc0d3ce14432ba036a92e65bbb52280990a2fa27883998d72af30161'],
    [2, '70617373776f7264', '415448454e412e4d49542e4544557261656275726e', 'c651bf29e2300ac27fa469d693bdda13', 'a2e16d16b36069c135d5e9d2e25f896102685618b95914b467c67622225824ff'],
    [1200, '70617373776f7264', '415448454e412e4d49542e4544557261656275726e', '4c01cd46d632d01e6dbe230a01ed642a', '55a6ac740ad17b4846941051e1e8b0a7548d93b0ab30a8bc3ff16280382b8c2a'],
    [5, '70617373776f7264', '1234567878563412', 'e9b23d52273747dd5c35cb55be619d8e', '97a4e786be20d81a382d5ebc96d5909cabcdadc87ca48f574504159f16c36e31'],
    [1200, '58'.repeat(64), '706173732070687261736520657175616c7320626c6f636b2073697a65', '59d1bb789a828b1aa54ef9c2883f69ed', '89adee3608db8bc71f1bfbfe459486b05618b70cbae22092534e56c553ba4b34'],
    [1200, '58'.repeat(65), '7061737320706872617365206578636565647320626c6f636b2073697a65', 'cb8005dc5f90179a7f02104c0018751d', 'd78c5c9cb872a8c9dad4697f0bb5b2d21496c82beb2caeda2112fceea057401b'],
    [50, 'f09d849e', '4558414d504c452e434f4d7069616e697374', 'f149c1f2e154a73452d43e7fe62a56e5', '4b6d9839f84406df1f09cc166db4b83c571848b784a3d6bdc346589a3e393f9e'],
  ];
  it.each(vectors)('iterations %i, password %s', (iter, pw, salt, k128, k256) => {
    expect(hex(stringToKey(ETYPE_AES128, fromHex(pw), fromHex(salt), iter).value)).toBe(k128);
    expect(hex(stringToKey(ETYPE_AES256, fromHex(pw), fromHex(salt), iter).value)).toBe(k256);
  });
});

describe('AES-CTS (RFC 3962 appendix B vectors, key "chicken teriyaki")', () => {
  const key = utf8('chicken teriyaki');
  const vectors: Array<[string, string]> = [
    ['4920776f756c64206c696b652074686520', 'c6353568f2bf8cb4d8a580362da7ff7f97'],
    ['4920776f756c64206c696b65207468652047656e6572616c20476175277320', 'fc00783e0efdb2c1d445d4c8eff7ed2297687268d6ecccc0c07b25e25ecfe5'],
    ['4920776f756c64206c696b65207468652047656e6572616c2047617527732043', '39312523a78662d5be7fcbcc98ebf5a897687268d6ecccc0c07b25e25ecfe584'],
    [
      '4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c',
      '97687268d6ecccc0c07b25e25ecfe584b3fffd940c16a18c1b5549d2f838029e39312523a78662d5be7fcbcc98ebf5',
    ],
    [
      '4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c20',
      '97687268d6ecccc0c07b25e25ecfe5849dad8bbb96c4cdc03bc103e1a194bbd839312523a78662d5be7fcbcc98ebf5a8',
    ],
    [
      '4920776f756c64206c696b65207468652047656e6572616c20476175277320436869636b656e2c20706c656173652c20616e6420776f6e746f6e20736f75702e',
      '97687268d6ecccc0c07b25e25ecfe58439312523a78662d5be7fcbcc98ebf5a84807efe836ee89a526730dbc2f7bc8409dad8bbb96c4cdc03bc103e1a194bbd8',
    ],
  ];
  it.each(vectors)('%s', (plain, cipher) => {
    expect(hex(ctsEncrypt(key, fromHex(plain)))).toBe(cipher);
    expect(hex(ctsDecrypt(key, fromHex(cipher)))).toBe(plain);
  });

  it('refuses less than one block', () => {
    expect(() => ctsEncrypt(key, new Uint8Array(15))).toThrow(RangeError);
  });
});

describe('encrypt/decrypt/checksum with key usage (RFC 3961 §5.3)', () => {
  let counter = 0;
  const random = { bytes: (n: number) => new Uint8Array(n).map(() => (counter = (counter * 31 + 7) & 0xff)) };
  const key = stringToKey(ETYPE_AES256, 'password', 'ATHENA.MIT.EDUraeburn', 1);

  it('round-trips every length from 0 to 40 bytes, adding a 16-byte confounder and a 12-byte MAC', () => {
    for (let n = 0; n <= 40; n++) {
      const plain = new Uint8Array(n).map((_, i) => i);
      const sealed = encrypt(key, 11, plain, random);
      expect(sealed.length).toBe(n + 28);
      expect(decrypt(key, 11, sealed)).toEqual(plain);
    }
  });

  it('fails the integrity check under another key usage, another key, or a flipped bit', () => {
    const sealed = encrypt(key, 7, utf8('authenticator'), random);
    expect(() => decrypt(key, 11, sealed)).toThrow(/integrity check failed/);
    expect(() => decrypt(stringToKey(ETYPE_AES256, 'other', 'salt', 1), 7, sealed)).toThrow(/integrity/);
    const flipped = sealed.slice();
    flipped[3] ^= 1;
    expect(() => decrypt(key, 7, flipped)).toThrow(/integrity/);
    expect(() => decrypt(key, 7, sealed.subarray(0, 20))).toThrow(/too short/);
  });

  it('checksums are 12 bytes and depend on the key usage', () => {
    const a = checksum(key, 22, utf8('data'));
    expect(a.length).toBe(12);
    expect(hex(a)).not.toBe(hex(checksum(key, 23, utf8('data'))));
  });
});
