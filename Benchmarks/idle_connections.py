#!/usr/bin/env python3
"""Opens COUNT keep-alive connections to 127.0.0.1:PORT, sends one request on
each, reads the response, keeps them all open for HOLD seconds, and prints the
target process's VmRSS (KiB) while they are held. Loopback only; bounded."""
import argparse, socket, time

ap = argparse.ArgumentParser()
ap.add_argument("--port", type=int, required=True)
ap.add_argument("--count", type=int, default=10000)
ap.add_argument("--hold", type=float, default=3)
ap.add_argument("--pid", type=int, required=True)
a = ap.parse_args()

req = b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n"
socks = []
deadline = time.time() + 120
for i in range(a.count):
    if time.time() > deadline:
        break
    s = socket.create_connection(("127.0.0.1", a.port), timeout=10)
    s.sendall(req)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    while len(rest) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        rest += chunk
    socks.append(s)
time.sleep(a.hold)
with open(f"/proc/{a.pid}/status") as f:
    for line in f:
        if line.startswith("VmRSS"):
            print(line.split()[1])
for s in socks:
    s.close()
