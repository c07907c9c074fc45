"""300 requests of one home, each declaring a 4 MiB body and sending all of it but the last byte,
then holding still; prints the collector's peak resident memory (VmHWM) after it.
   slow-bodies.py PORT PID TOKEN"""
import socket, sys, time

port, pid, token = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
size = 4 << 20
head = ("POST /energy HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n" % (token, size)).encode()
sockets = []
for _ in range(300):
    s = socket.create_connection(("127.0.0.1", port))
    s.setblocking(False)
    s.send(head)
    sockets.append(s)
sent = [0] * len(sockets)
chunk = b" " * (256 << 10)
start = last = time.time()
while time.time() - last < 3 and time.time() - start < 40 and any(x < size - 1 for x in sent):
    moved = False
    for i, s in enumerate(sockets):
        if sent[i] >= size - 1:
            continue
        try:
            n = s.send(chunk[: min(len(chunk), size - 1 - sent[i])])
        except OSError:
            continue
        if n > 0:
            sent[i] += n
            moved = True
    if moved:
        last = time.time()
    else:
        time.sleep(0.02)
peak = next(l for l in open("/proc/%d/status" % pid) if l.startswith("VmHWM")).split()[1]
print("%d MiB of bodies sent; collector peak RSS %d MiB" % (sum(sent) >> 20, int(peak) // 1024))
