# Runs pywinrm 0.3.0's own winrm/encryption.py (with ntlm-auth 1.4.0 session security) against
# bodies from interop.test.ts: prints a client→server body pywinrm builds, then reads our
# server→client body + Content-Type from stdin and prints what pywinrm decrypts from it.
import base64
import json
import sys

from ntlm_auth.session_security import SessionSecurity
from winrm.encryption import Encryption


class Obj(object):
    pass


flags = int(sys.argv[1], 16)
key = bytes.fromhex(sys.argv[2])
session = Obj()
session.auth = Obj()
session.auth.session_security = SessionSecurity(flags, key, source='client')
enc = Encryption(session, 'ntlm')

for text in sys.argv[3:]:
    body = enc._encrypt_message(text.encode('utf-8'), 'host') + enc.MIME_BOUNDARY + b'--\r\n'
    sys.stdout.write(base64.b64encode(body).decode('ascii') + '\n')
sys.stdout.flush()

for line in sys.stdin:
    req = json.loads(line)
    response = Obj()
    response.headers = {'Content-Type': req['contentType']}
    response.content = base64.b64decode(req['body'])
    response.request = Obj()
    response.request.url = 'http://host:5985/wsman'
    try:
        msg = enc.parse_encrypted_response(response)
        if isinstance(msg, str):
            msg = msg.encode('utf-8')
        sys.stdout.write('ok ' + base64.b64encode(msg).decode('ascii') + '\n')
    except Exception as e:  # report, do not crash: the test asserts on it
        sys.stdout.write('error ' + type(e).__name__ + '\n')
    sys.stdout.flush()
