"""Runs one command through pywinrm (0.3.0, /usr/bin/python3) and prints the result as JSON.

usage: pywinrm_run.py URL TRANSPORT MESSAGE_ENCRYPTION COMMAND [ARG...]
The user and password come from WPC_USER / WPC_PASSWORD (not on the command line).
Output: one JSON line {"std_out": b64, "std_err": b64, "status_code": int}, or
{"error": type, "message": str} with exit status 1.
"""
import base64
import json
import os
import sys

import winrm


def main():
    url, transport, encryption, cmd = sys.argv[1:5]
    args = sys.argv[5:]
    try:
        session = winrm.Session(
            url,
            auth=(os.environ['WPC_USER'], os.environ['WPC_PASSWORD']),
            transport=transport,
            server_cert_validation='ignore',
            message_encryption=encryption,
        )
        r = session.run_cmd(cmd, args)
    except Exception as e:  # report, never hang: the caller asserts on it
        print(json.dumps({'error': type(e).__name__, 'message': str(e)[:500]}))
        return 1
    print(json.dumps({
        'std_out': base64.b64encode(r.std_out).decode(),
        'std_err': base64.b64encode(r.std_err).decode(),
        'status_code': r.status_code,
    }))
    return 0


if __name__ == '__main__':
    sys.exit(main())
