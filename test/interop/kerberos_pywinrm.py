"""pywinrm 0.3.0 with transport='kerberos' (requests-kerberos 0.12 over pykerberos / MIT GSS-API)
runs one command against URL, with the ccache from kinit (KRB5CCNAME, KRB5_CONFIG from the test).

usage: kerberos_pywinrm.py URL PRINCIPAL HOSTNAME_OVERRIDE MESSAGE_ENCRYPTION COMMAND [ARG...]
Output: one JSON line {"std_out": b64, "status_code": int, "encrypted": bool} or {"error", "message"}.
"""
import base64
import json
import sys

import winrm


def main():
    url, principal, host, encryption, cmd = sys.argv[1:6]
    try:
        s = winrm.Session(url, auth=(principal, ''), transport='kerberos',
                          kerberos_hostname_override=host, message_encryption=encryption)
        r = s.run_cmd(cmd, sys.argv[6:])
    except Exception as e:  # reported, asserted on by the test
        print(json.dumps({'error': type(e).__name__, 'message': str(e)[:500]}))
        return 1
    print(json.dumps({'std_out': base64.b64encode(r.std_out).decode(), 'status_code': r.status_code,
                      'encrypted': s.protocol.transport.encryption is not None}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
