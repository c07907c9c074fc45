#!/usr/bin/env python3
"""Writes an asciinema v2 cast of a tmux pane: one frame per change, captured with its colours
(`capture-pane -e`) every 0.25 s until the stop file appears. Usage: cast.py SOCKET OUT STOPFILE"""
import json, os, subprocess, sys, time

socket, out, stop = sys.argv[1:4]
width, height = (int(v) for v in subprocess.run(
    ["tmux", "-S", socket, "display-message", "-p", "#{pane_width} #{pane_height}"],
    capture_output=True, text=True, check=True).stdout.split())
started = time.monotonic()
last = None
with open(out, "w", encoding="utf-8") as cast:
    cast.write(json.dumps({"version": 2, "width": width, "height": height, "timestamp": int(time.time()),
                           "env": {"TERM": "xterm-256color", "SHELL": "/bin/sh"},
                           "title": "energymon demo"}) + "\n")
    while not os.path.exists(stop):
        result = subprocess.run(["tmux", "-S", socket, "capture-pane", "-p", "-e"], capture_output=True, text=True)
        if result.returncode != 0:
            break
        lines = result.stdout.rstrip("\n").split("\n")
        frame = "\x1b[H\x1b[2J" + "\r\n".join(line + "\x1b[0m" for line in lines)
        if frame != last:
            cast.write(json.dumps([round(time.monotonic() - started, 3), "o", frame], ensure_ascii=False) + "\n")
            last = frame
        time.sleep(0.25)
