# A CredSSP client (MS-CSSP §3.1.5) built from independent parts installed on this machine:
# pyOpenSSL for TLS over memory BIOs (as requests-credssp 0.x/1.x did), ntlm-auth 1.4.0 for NTLM,
# pyasn1 for the TSRequest DER, and pywinrm 0.3.0's winrm/encryption.py for the message
# encryption. Driven by credssp-interop.test.ts over stdin/stdout, one line per message:
#   out: "token <b64>"  in: "token <b64>" | "done ok" | "done fail <reason>"
#   then out: "body <json>"  in: "body <json>"  out: "plain <b64>"
import base64
import hashlib
import json
import os
import sys

import requests
from OpenSSL import SSL
from cryptography.hazmat.primitives import serialization
from ntlm_auth.ntlm import Ntlm
from pyasn1.codec.der import decoder, encoder
from pyasn1.type import namedtype, tag, univ
from winrm.encryption import Encryption


def ctx(n):
    return tag.Tag(tag.tagClassContext, tag.tagFormatConstructed, n)


class NegoItem(univ.Sequence):
    componentType = namedtype.NamedTypes(namedtype.NamedType('negoToken', univ.OctetString().subtype(explicitTag=ctx(0))))


class NegoData(univ.SequenceOf):
    componentType = NegoItem()


class TSRequest(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType('version', univ.Integer().subtype(explicitTag=ctx(0))),
        namedtype.OptionalNamedType('negoTokens', NegoData().subtype(explicitTag=ctx(1))),
        namedtype.OptionalNamedType('authInfo', univ.OctetString().subtype(explicitTag=ctx(2))),
        namedtype.OptionalNamedType('pubKeyAuth', univ.OctetString().subtype(explicitTag=ctx(3))),
        namedtype.OptionalNamedType('errorCode', univ.Integer().subtype(explicitTag=ctx(4))),
        namedtype.OptionalNamedType('clientNonce', univ.OctetString().subtype(explicitTag=ctx(5))),
    )


class TSPasswordCreds(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType('domainName', univ.OctetString().subtype(explicitTag=ctx(0))),
        namedtype.NamedType('userName', univ.OctetString().subtype(explicitTag=ctx(1))),
        namedtype.NamedType('password', univ.OctetString().subtype(explicitTag=ctx(2))),
    )


class TSCredentials(univ.Sequence):
    componentType = namedtype.NamedTypes(
        namedtype.NamedType('credType', univ.Integer().subtype(explicitTag=ctx(0))),
        namedtype.NamedType('credentials', univ.OctetString().subtype(explicitTag=ctx(1))),
    )


user, password, domain, version, message_length = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
tls = SSL.Connection(SSL.Context(SSL.TLSv1_2_METHOD))
tls.set_connect_state()


def send(kind, payload):
    sys.stdout.write(kind + ' ' + payload + '\n')
    sys.stdout.flush()
    line = sys.stdin.readline().strip()
    if line.startswith('done fail'):
        raise SystemExit('server refused: ' + line)
    return line


def bio_out():
    out = b''
    while True:
        try:
            out += tls.bio_read(65536)
        except SSL.WantReadError:
            return out


def leg(token):
    line = send('token', base64.b64encode(token).decode())
    if line == 'done ok':
        return None
    assert line.startswith('token '), line
    return base64.b64decode(line[6:])


def wrap(data):
    tls.sendall(data)
    return bio_out()


def unwrap(data):
    tls.bio_write(data)
    out = b''
    while True:
        try:
            out += tls.recv(65536)
        except SSL.WantReadError:
            return out


def ts_request(version, **fields):
    r = TSRequest()
    r['version'] = version
    for k, v in fields.items():
        if k == 'negoTokens':
            nd = r.setComponentByName('negoTokens').getComponentByName('negoTokens')
            for i, t in enumerate(v):
                item = NegoItem()
                item['negoToken'] = t
                nd.setComponentByPosition(i, item)
        else:
            r[k] = v
    return encoder.encode(r)


def parse(data):
    r, rest = decoder.decode(data, asn1Spec=TSRequest())
    assert rest == b''
    if r['errorCode'].isValue:
        raise SystemExit('server error 0x%08x' % (int(r['errorCode']) & 0xffffffff))
    return r


# Step 1: TLS handshake through the tokens.
while True:
    try:
        tls.do_handshake()
        break
    except SSL.WantReadError:
        tls.bio_write(leg(bio_out()))

cert = tls.get_peer_certificate().to_cryptography()
pub_key = cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.PKCS1)

# Step 2: NTLM in negoTokens, raw (as requests-credssp 0.x/1.x sends it).
ntlm = Ntlm()
type1 = base64.b64decode(ntlm.create_negotiate_message(domain))
answer = parse(unwrap(leg(wrap(ts_request(version, negoTokens=[type1])))))
ntlm.parse_challenge_message(base64.b64encode(bytes(answer['negoTokens'][0]['negoToken'])))
type3 = base64.b64decode(ntlm.create_authenticate_message(user, password, domain))

# Step 3: pubKeyAuth (version 5+: the binding hash with a nonce; before: the key itself).
nonce = os.urandom(32)
if version >= 5:
    client_value = hashlib.sha256(b'CredSSP Client-To-Server Binding Hash\x00' + nonce + pub_key).digest()
    server_value = hashlib.sha256(b'CredSSP Server-To-Client Binding Hash\x00' + nonce + pub_key).digest()
else:
    client_value = pub_key
    server_value = bytes([(pub_key[0] + 1) & 0xff]) + pub_key[1:]
sealed, sig = ntlm.session_security.wrap(client_value)
extra = {'clientNonce': nonce} if version >= 5 else {}
answer = parse(unwrap(leg(wrap(ts_request(version, negoTokens=[type3], pubKeyAuth=sig + sealed, **extra)))))
pka = bytes(answer['pubKeyAuth'])
if ntlm.session_security.unwrap(pka[16:], pka[:16]) != server_value:
    raise SystemExit('server pubKeyAuth does not match the TLS key')

# Step 5: delegate the password.
creds = TSPasswordCreds()
creds['domainName'] = domain.encode('utf-16-le')
creds['userName'] = user.encode('utf-16-le')
creds['password'] = password.encode('utf-16-le')
tsc = TSCredentials()
tsc['credType'] = 1
tsc['credentials'] = encoder.encode(creds)
sealed, sig = ntlm.session_security.wrap(encoder.encode(tsc))
assert leg(wrap(ts_request(version, authInfo=sig + sealed))) is None

# Message encryption with pywinrm 0.3.0 over this TLS session.
class Obj(object):
    pass


session = Obj()
session.auth = Obj()
session.auth.wrap = wrap
session.auth.unwrap = unwrap
session.auth.cipher_negotiated = tls.get_cipher_name()
enc = Encryption(session, 'credssp')
message = (b'<s:Envelope>' + b'x' * message_length)[:message_length]
req = enc.prepare_encrypted_request(requests.Session(), 'http://127.0.0.1:5985/wsman', message)
line = send('body', json.dumps({'contentType': req.headers['Content-Type'], 'body': base64.b64encode(req.body).decode(), 'cipher': session.auth.cipher_negotiated}))
reply = json.loads(line[5:])
response = Obj()
response.headers = {'Content-Type': reply['contentType']}
response.content = base64.b64decode(reply['body'])
response.request = Obj()
response.request.url = 'http://127.0.0.1:5985/wsman'
plain = enc.parse_encrypted_response(response)
if isinstance(plain, str):
    plain = plain.encode('utf-8')
sys.stdout.write('plain ' + base64.b64encode(plain).decode() + '\n')
sys.stdout.flush()
