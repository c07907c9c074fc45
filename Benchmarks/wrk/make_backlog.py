#!/usr/bin/env python3
"""Writes an outbox of N readings (the spool's own segment format) into DATA_DIR/outbox, so the
forwarder's drain rate can be measured without waiting for the simulator to produce them."""
import os, sys
data_dir, count = sys.argv[1], int(sys.argv[2])
outbox = os.path.join(data_dir, "outbox")
os.makedirs(outbox, exist_ok=True)
segment = 50_000
start_ms = 1_744_286_520_000
for first in range(1, count + 1, segment):
    with open(os.path.join(outbox, "segment-%016d.csv" % first), "w") as f:
        for seq in range(first, min(first + segment, count + 1)):
            device = ("AC001", "WM002", "FR003")[seq % 3]
            f.write("%d,%s,%d,%.1f\n" % (seq, device, start_ms + seq * 10, 100 + seq % 1000))
