# Drives ntlm-auth 1.4.0 (pywinrm's NTLM, via requests-ntlm 1.1.0) exactly as requests-ntlm
# does, over a line protocol on stdin/stdout, so interop.test.ts can check our NtlmServer.
# Lines: -> "type1 <b64>", <- "<b64 type2>", -> "type3 <b64>", then
# -> "sealed <b64 sig+sealed>" (client→server), <- "<b64 sig+sealed>" (server→client),
# -> "plain <b64>" (what the client unsealed).
import base64
import sys

from ntlm_auth import ntlm

user, password, domain, plaintext = sys.argv[1:5]


def out(kind, data):
    sys.stdout.write('%s %s\n' % (kind, base64.b64encode(data).decode('ascii')))
    sys.stdout.flush()


def read():
    return base64.b64decode(sys.stdin.readline().strip())


context = ntlm.Ntlm()
out('type1', base64.b64decode(context.create_negotiate_message(domain)))
context.parse_challenge_message(base64.b64encode(read()))
out('type3', base64.b64decode(context.create_authenticate_message(user, password, domain)))
sealed, signature = context.session_security.wrap(plaintext.encode('utf-8'))
out('sealed', signature + sealed)
reply = read()
out('plain', context.session_security.unwrap(reply[16:], reply[:16]))
