#!/usr/bin/python3
"""Tiny QMP client for lab-arm64 (stdlib only).

usage: qmp.py SOCKET OP [ARG...] [-- OP [ARG...]]...
  stop                 pause the guest
  dump FILE FORMAT     dump-guest-memory, FORMAT elf | kdump-zlib | kdump-lzo | kdump-snappy
  quit                 end QEMU
"""
import json
import socket
import sys


def main(argv):
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.settimeout(600)
    conn.connect(argv[1])
    stream = conn.makefile("rwb")

    def reply():
        while True:
            line = stream.readline()
            if not line:
                raise EOFError("QMP closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def send(cmd, **arguments):
        stream.write((json.dumps({"execute": cmd, "arguments": arguments}) + "\n").encode())
        stream.flush()
        msg = reply()
        if "error" in msg:
            raise SystemExit("%s: %s" % (cmd, msg["error"]))
        return msg.get("return")

    reply()  # greeting
    send("qmp_capabilities")
    ops, cur = [], []
    for a in argv[2:]:
        if a == "--":
            ops.append(cur)
            cur = []
        else:
            cur.append(a)
    ops.append(cur)
    for op in ops:
        if op[0] == "stop":
            send("stop")
        elif op[0] == "dump":
            send("dump-guest-memory", paging=False, protocol="file:" + op[1], format=op[2])
            print("dumped", op[1], op[2])
        elif op[0] == "quit":
            try:
                send("quit")
            except (EOFError, OSError):
                pass
        else:
            raise SystemExit("unknown op " + op[0])


if __name__ == "__main__":
    main(sys.argv)
