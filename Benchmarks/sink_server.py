#!/usr/bin/env python3
"""A minimal HTTP/1.1 upstream that reads and discards request bodies
(Content-Length or chunked) and answers 200 with the byte count. Used by the
streaming-memory benchmark. Loopback only; runs until killed."""
import socket, sys, threading

def read_line(f):
    line = f.readline(65537)
    if not line.endswith(b"\n"):
        raise EOFError
    return line

def handle(conn):
    f = conn.makefile("rb", buffering=1 << 20)
    try:
        while True:
            line = f.readline(65537)
            if not line:
                return
            headers = {}
            while True:
                h = read_line(f)
                if h in (b"\r\n", b"\n"):
                    break
                k, _, v = h.partition(b":")
                headers[k.strip().lower()] = v.strip()
            total = 0
            if headers.get(b"transfer-encoding", b"").lower() == b"chunked":
                while True:
                    size = int(read_line(f).split(b";")[0], 16)
                    if size == 0:
                        while read_line(f) not in (b"\r\n", b"\n"):
                            pass
                        break
                    left = size
                    while left:
                        got = f.read(min(left, 1 << 20))
                        if not got:
                            return
                        left -= len(got)
                    total += size
                    read_line(f)
            else:
                left = int(headers.get(b"content-length", b"0"))
                while left:
                    got = f.read(min(left, 1 << 20))
                    if not got:
                        return
                    left -= len(got)
                    total += len(got)
            body = str(total).encode()
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    except (EOFError, ConnectionError, ValueError):
        return
    finally:
        conn.close()

def main():
    port = int(sys.argv[1])
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(128)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()

main()
