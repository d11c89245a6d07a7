#!/usr/bin/env python3
"""Records netconsole datagrams and forwards them, one forwarding socket per listening port.

    netconsole-tap.py OUT LISTEN_PORT:FORWARD_PORT [LISTEN_PORT:FORWARD_PORT ...]

Listens on 127.0.0.1:LISTEN_PORT (QEMU user networking delivers the guest's datagrams to
10.0.2.2:PORT there), appends each datagram to OUT as one line "<listen port> <base64>" and sends it
on to 127.0.0.1:FORWARD_PORT (a running `ktriage serve --netconsole-port`) from a socket of its own
per listening port, so the receiver sees one sender per netconsole target. Stops on SIGTERM.
Standard library only.
"""
import base64
import selectors
import signal
import socket
import sys


def main():
    out_path, pairs = sys.argv[1], sys.argv[2:]
    if not pairs:
        sys.exit("usage: netconsole-tap.py OUT LISTEN:FORWARD ...")
    sel = selectors.DefaultSelector()
    for pair in pairs:
        listen, forward = (int(p) for p in pair.split(":"))
        rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        rx.bind(("127.0.0.1", listen))
        tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sel.register(rx, selectors.EVENT_READ, (listen, tx, forward))
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    with open(out_path, "a", encoding="ascii") as out:
        while not stop:
            for key, _ in sel.select(timeout=0.5):
                listen, tx, forward = key.data
                data = key.fileobj.recv(65535)
                out.write("%d %s\n" % (listen, base64.b64encode(data).decode("ascii")))
                out.flush()
                tx.sendto(data, ("127.0.0.1", forward))


if __name__ == "__main__":
    main()
