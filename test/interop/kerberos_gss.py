"""MIT GSS-API (through pykerberos, the module requests-kerberos 0.12 and so pywinrm use) as the
peer of the harness's Kerberos code. One JSON command per stdin line, one JSON answer per line.

  client: {"op": "init", "spn": "HTTP@localhost"} -> {"token": b64}     (AP-REQ, mutual)
          {"op": "step", "token": b64}             -> {"complete": bool} (verifies the AP-REP)
          {"op": "wrap", "data": b64}              -> {"token": b64}     (gss_wrap, confidentiality)
          {"op": "unwrap", "token": b64}           -> {"data": b64}
  server: {"op": "accept", "spn": "HTTP@localhost", "token": b64} -> {"token": b64, "user": str}
Errors answer {"error": str}. Environment: KRB5_CONFIG, KRB5CCNAME, KRB5_KTNAME from the test.
"""
import json
import sys

import kerberos

ctx = None


def handle(cmd):
    global ctx
    op = cmd["op"]
    if op == "init":
        flags = kerberos.GSS_C_MUTUAL_FLAG | kerberos.GSS_C_SEQUENCE_FLAG | kerberos.GSS_C_CONF_FLAG | kerberos.GSS_C_INTEG_FLAG
        _, ctx = kerberos.authGSSClientInit(cmd["spn"], gssflags=flags)
        kerberos.authGSSClientStep(ctx, "")
        return {"token": kerberos.authGSSClientResponse(ctx)}
    if op == "step":
        r = kerberos.authGSSClientStep(ctx, cmd["token"])
        return {"complete": r == kerberos.AUTH_GSS_COMPLETE}
    if op == "wrap":
        kerberos.authGSSClientWrap(ctx, cmd["data"], None, True)
        return {"token": kerberos.authGSSClientResponse(ctx)}
    if op == "unwrap":
        kerberos.authGSSClientUnwrap(ctx, cmd["token"])
        return {"data": kerberos.authGSSClientResponse(ctx) or ""}
    if op == "accept":
        _, sctx = kerberos.authGSSServerInit(cmd["spn"])
        kerberos.authGSSServerStep(sctx, cmd["token"])
        return {"token": kerberos.authGSSServerResponse(sctx), "user": kerberos.authGSSServerUserName(sctx)}
    return {"error": "unknown op " + op}


for line in sys.stdin:
    line = line.strip()
    if not line:
        continue
    try:
        out = handle(json.loads(line))
    except Exception as e:  # the test asserts on the message
        out = {"error": "%s: %s" % (type(e).__name__, e)}
    sys.stdout.write(json.dumps(out) + "\n")
    sys.stdout.flush()
