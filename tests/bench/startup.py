#!/usr/bin/env python3
"""Server start-to-ready time on an existing database, and memory at idle.

Usage: tests/bench/startup.py [--runs N] [--binary PATH] [--postgres URL]
Builds nothing: run `cargo build --release` first (the default binary is target/release/dagstaat).
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time
import urllib.request
from http.cookiejar import CookieJar

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "bench-password-123"


def start(binary, env):
    """Starts the server; returns (process, url, seconds until it printed 'ready', seconds until it answered)."""
    began = time.perf_counter()
    proc = subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = None
    for line in proc.stdout:
        if line.startswith("dagstaat ready at "):
            url = line.split()[3]
            break
    ready = time.perf_counter() - began
    if url is None:
        raise SystemExit("server did not start")
    urllib.request.urlopen(f"{url}/api/openapi.json").read()
    answered = time.perf_counter() - began
    return proc, url, ready, answered


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def exercise(url):
    """A login and the requests of a coach's home screen, so idle memory includes warmed pools."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    body = json.dumps({"email": "coach@demo.dagstaat.nl", "password": PASSWORD}).encode()
    request = urllib.request.Request(f"{url}/api/auth/login", body, {"content-type": "application/json"})
    me = json.load(opener.open(request))
    for _ in range(20):
        for location in me["locations"]:
            opener.open(f"{url}/api/locations/{location['id']}/expected").read()
        opener.open(f"{url}/api/clients?limit=50").read()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--binary", default=os.path.join(ROOT, "target/release/dagstaat"))
    parser.add_argument("--postgres", help="database URL of an empty PostgreSQL database")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        env = dict(os.environ, DAGSTAAT_DATA_DIR=data_dir, DAGSTAAT_BIND="127.0.0.1:0",
                   DAGSTAAT_DEMO_PASSWORD=PASSWORD, RUST_LOG="warn")
        if args.postgres:
            env["DAGSTAAT_DATABASE_URL"] = args.postgres
        proc, _, first_ready, _ = start(args.binary, env)  # creates the database and loads the demo
        proc.kill()
        proc.wait()
        readies, answers = [], []
        for _ in range(args.runs):
            proc, url, ready, answered = start(args.binary, env)
            readies.append(ready * 1000)
            answers.append(answered * 1000)
            proc.kill()
            proc.wait()
        proc, url, _, _ = start(args.binary, env)
        time.sleep(1)
        rss_started = rss_kib(proc.pid)
        exercise(url)
        time.sleep(2)
        rss_idle = rss_kib(proc.pid)
        proc.kill()
        proc.wait()

    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"engine: {engine}; first start (migrations + demo): {first_ready * 1000:.0f} ms")
    print(f"start to ready, existing database, {args.runs} runs: "
          f"median {statistics.median(readies):.0f} ms, max {max(readies):.0f} ms")
    print(f"start to first answered request: median {statistics.median(answers):.0f} ms, max {max(answers):.0f} ms")
    print(f"memory (RSS): after start {rss_started / 1024:.1f} MiB; idle after login + 60 requests {rss_idle / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
