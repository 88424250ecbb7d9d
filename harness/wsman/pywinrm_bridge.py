"""Drive pywinrm 0.3.0's own Protocol code against a server on the other end of a pipe.

Each SOAP request pywinrm builds is written to stdout as one JSON line {"request": xml}; the
answer is read from stdin as one JSON line {"status": 200|500, "xml": ...}. A 500 is raised as
WinRMTransportError, as winrm/transport.py does, so pywinrm's own fault handling runs (TimedOut
becomes WinRMOperationTimeoutError and is retried). The last line is {"result": ...}.
Usage: pywinrm_bridge.py COMMAND [ARG...]
"""
import base64
import json
import sys
import uuid

import winrm.protocol as protocol
from winrm.exceptions import WinRMTransportError

counter = [0]


def next_uuid():
    # Deterministic MessageIDs so runs replay.
    counter[0] += 1
    return uuid.UUID(int=counter[0])


protocol.uuid.uuid4 = next_uuid


def send(message):
    sys.stdout.write(json.dumps({"request": message}) + "\n")
    sys.stdout.flush()
    answer = json.loads(sys.stdin.readline())
    if answer["status"] != 200:
        raise WinRMTransportError("http", answer["status"], answer["xml"])
    return answer["xml"]


p = protocol.Protocol("http://windows-host:5985/wsman", username="u", password="p")
p.transport.send_message = send
shell_id = p.open_shell()
command_id = p.run_command(shell_id, sys.argv[1], sys.argv[2:])
stdout, stderr, code = p.get_command_output(shell_id, command_id)
p.cleanup_command(shell_id, command_id)
p.close_shell(shell_id)
sys.stdout.write(json.dumps({"result": {
    "shellId": shell_id,
    "commandId": command_id,
    "stdout": base64.b64encode(stdout).decode("ascii"),
    "stderr": base64.b64encode(stderr).decode("ascii"),
    "exitCode": code,
}}) + "\n")
