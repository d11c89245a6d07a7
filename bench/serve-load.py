#!/usr/bin/env python3
"""Load test of `ktriage serve` over loopback (a benchmark, not a test: it gates nothing).

Starts the service on a fresh data directory (embedded H2 unless --db gives a JDBC URL), then
  1. ingest: N client threads post reports of the shared syzkaller corpus, each made a new report
     (new content hash) by a varied console line with a host name, an IPv4 and a MAC address, and
     sent with a varied host, release and seen time; every post is diagnosed by the server.
     Bounded by --reports and --seconds; prints the sustained rate (reports/s) and refusals.
  2. queries: p50/p95/max of the bucket list (several sorts and filters), the bucket page of the
     JSON API and the dashboard's bucket list and bucket pages, over --queries requests each,
     after one untimed request of each list (warm-up).

  3. with --retriage SECONDS: a re-triage of every stored report (POST /api/v1/retriage), timed
     until staged with its preview or for SECONDS at most (then its rate and the projected total
     are printed, and it is discarded).

Usage: bench/serve-load.py [--reports 20000] [--seconds 120] [--clients 8] [--queries 200] [--warmup 500]
                           [--db jdbc:postgresql://127.0.0.1:5432/ktriage] [--keep DIR]
                           [--no-ingest] [--retriage SECONDS] [--keep-staged]
A store of a million reports: bench/serve-1m.sh fills one (through the store, not HTTP) and runs
this on it.
Figures depend on the machine and its load: state both with them.
"""
import argparse
import gzip
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "syzkaller", "report")
RELEASES = ["6.1.0-56-amd64", "6.1.0-57-amd64", "6.6.0-rc3", "6.6.8", "6.9.0", "6.10.2"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_corpus():
    out = []
    for name in sorted(os.listdir(CORPUS)):
        with open(os.path.join(CORPUS, name), "rb") as f:
            out.append(f.read())
    return out


def varied(raw, n, rnd):
    """The report with a console line a real fleet would add: unique per n, so a new hash."""
    host = "node-%05d" % (n % 50000)
    ip = "10.%d.%d.%d" % (rnd.randrange(256), rnd.randrange(256), 1 + rnd.randrange(254))
    mac = ":".join("%02x" % rnd.randrange(256) for _ in range(6))
    line = "[    0.000000] %s: eth0 %s link up, address %s (seq %d)\n" % (host, ip, mac, n)
    return line.encode() + raw, host


def request(conn, method, path, body=None, headers=None):
    t = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    return r.status, data, time.perf_counter() - t


def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads) so far, from /proc."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return float("nan")


def tree_cpu_seconds(pid):
    """CPU time of a process and its children (a PostgreSQL postmaster and its backends)."""
    total = cpu_seconds(pid)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        total += cpu_seconds(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return total


def ingest(port, corpus, args, server_pid):
    lock = threading.Lock()
    counter = [args.warmup]
    statuses = {}
    latencies = []
    deadline = time.monotonic() + args.seconds
    start_time = 1_700_000_000

    def worker(wid):
        rnd = random.Random(wid)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while time.monotonic() < deadline:
            with lock:
                n = counter[0]
                if n >= args.warmup + args.reports:
                    return
                counter[0] += 1
            body, host = varied(corpus[n % len(corpus)], n, rnd)
            if n % 3 == 0:
                body = gzip.compress(body, 1)
            seen = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(start_time + n * 37))
            path = "/api/v1/reports?host=%s&release=%s&seen=%s&label=load" % (
                host, RELEASES[n % len(RELEASES)], seen)
            try:
                status, _, dt = request(conn, "POST", path, body,
                                        {"Content-Type": "application/octet-stream"})
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                status, dt = "io-error", 0.0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                latencies.append(dt)

    t0 = time.monotonic()
    cpu0, client0, load0 = cpu_seconds(server_pid), time.process_time(), os.getloadavg()[0]
    db0 = tree_cpu_seconds(args.db_pid) if args.db_pid else 0.0
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    server_cpu, client_cpu = cpu_seconds(server_pid) - cpu0, time.process_time() - client0
    db_cpu = tree_cpu_seconds(args.db_pid) - db0 if args.db_pid else float("nan")
    done = sum(statuses.values())
    print("ingest: %d posts in %.1f s = %.1f reports/s with diagnosis (%d clients); statuses %s;"
          " p95 post %.0f ms" % (done, elapsed, done / elapsed, args.clients,
                                 json.dumps({str(k): v for k, v in sorted(statuses.items(), key=str)}),
                                 1000 * pct(latencies, 95)))
    # what the figure would be on idle cores: the server's own CPU per report (diagnosis, HTTP,
    # JDBC; a PostgreSQL server's CPU is not in it) and the share of the machine it got
    print("ingest CPU: server %.1f ms/report (%.2f of %d cores used), database %.1f ms/report"
          " (--db-pid), client %.1f ms/report; load average %.1f -> %.1f" % (
              1000 * server_cpu / max(done, 1), server_cpu / elapsed, os.cpu_count(),
              1000 * db_cpu / max(done, 1), 1000 * client_cpu / max(done, 1), load0,
              os.getloadavg()[0]))


def warm_up(port, corpus, args):
    """Posts the first --warmup reports, untimed: a fresh JVM compiles its hot code meanwhile."""
    if args.warmup <= 0:
        return
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    rnd = random.Random(-1)
    t0 = time.monotonic()
    for n in range(args.warmup):
        body, host = varied(corpus[n % len(corpus)], n, rnd)
        request(conn, "POST", "/api/v1/reports?host=%s&label=warm-up" % host, body,
                {"Content-Type": "application/octet-stream"})
    print("warm-up: %d posts in %.1f s (not counted)" % (args.warmup, time.monotonic() - t0))


def pct(values, p):
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def queries(port, args, server_pid):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    status, body, _ = request(conn, "GET", "/health")
    print("stored:", body.decode().strip())
    status, body, _ = request(conn, "GET", "/api/v1/buckets?limit=1000")
    ids = [b["id"] for b in json.loads(body)["buckets"]]
    if not ids:
        print("no bucket stored")
        return
    rnd = random.Random(1)
    lists = ["/api/v1/buckets", "/api/v1/buckets?sort=lastSeen", "/api/v1/buckets?sort=title&order=asc",
             "/api/v1/buckets?release=6.6.8", "/api/v1/buckets?host=node-00042",
             "/api/v1/buckets?q=use-after-free", "/api/v1/buckets?class=use-after-free&sort=firstSeen"]
    cases = {
        "api bucket list": lambda: lists[rnd.randrange(len(lists))],
        "api bucket page": lambda: "/api/v1/buckets/%d" % rnd.choice(ids),
        "dashboard bucket list": lambda: lists[rnd.randrange(len(lists))].replace("/api/v1", ""),
        "dashboard bucket page": lambda: "/buckets/%d" % rnd.choice(ids),
    }
    # warm-up, not timed: each list once and 20 bucket pages through the API and the dashboard
    # (the JIT and the database's cache start cold after a restart; the figures are for a service
    # that runs)
    for path in lists:
        request(conn, "GET", path)
        request(conn, "GET", path.replace("/api/v1", ""))
    for bucket in ids[:20]:
        request(conn, "GET", "/api/v1/buckets/%d" % bucket)
        request(conn, "GET", "/buckets/%d" % bucket)
    for name, path in cases.items():
        times = []
        cpu0 = cpu_seconds(server_pid)
        db0 = tree_cpu_seconds(args.db_pid) if args.db_pid else float("nan")
        for _ in range(args.queries):
            status, _, dt = request(conn, "GET", path())
            if status != 200:
                print("  %s: HTTP %d" % (name, status))
            times.append(dt)
        # CPU per request (server process; database with --db-pid): what the figure costs
        # whatever share of the machine the load leaves it
        cpu = 1000 * (cpu_seconds(server_pid) - cpu0) / len(times)
        db = 1000 * (tree_cpu_seconds(args.db_pid) - db0) / len(times) if args.db_pid else float("nan")
        print("%-22s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d requests, %d buckets);"
              " CPU server %.1f + database %.1f ms/request; load %.1f" % (
                  name, 1000 * statistics.median(times), 1000 * pct(times, 95), 1000 * max(times),
                  len(times), len(ids), cpu, db, os.getloadavg()[0]))


def retriage(port, args, server_pid):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    cpu0, load0 = cpu_seconds(server_pid), os.getloadavg()[0]
    db0 = tree_cpu_seconds(args.db_pid) if args.db_pid else 0.0
    status, body, _ = request(conn, "POST", "/api/v1/retriage")
    if status != 202:
        print("retriage: HTTP %d %s" % (status, body.decode().strip()))
        return
    t0 = time.monotonic()
    state = json.loads(body)
    done0 = state["reportsDone"]
    while time.monotonic() - t0 < args.retriage:
        time.sleep(2)
        status, body, _ = request(conn, "GET", "/api/v1/retriage")
        state = json.loads(body)
        if state["staged"] is None or state["staged"]["state"] == "staged" or state["lastError"]:
            break
    elapsed = time.monotonic() - t0
    done, todo = state["reportsDone"], state["reportsToDo"]
    staged = state["staged"]
    # CPU per report re-diagnosed in this run (a resumed run starts at done0): load-independent,
    # and what the whole store costs on idle cores (the diagnoses run on every core)
    server_cpu = cpu_seconds(server_pid) - cpu0
    db_cpu = tree_cpu_seconds(args.db_pid) - db0 if args.db_pid else float("nan")
    per = max(done - done0, 1)
    print("retriage CPU: server %.2f ms/report, database %.2f ms/report (--db-pid), %.2f of %d"
          " cores used, load average %.1f -> %.1f; the whole store (%d reports) on %d idle cores:"
          " %.0f s" % (1000 * server_cpu / per, 1000 * db_cpu / per, server_cpu / elapsed,
                       os.cpu_count(), load0, os.getloadavg()[0], todo, os.cpu_count(),
                       todo * (server_cpu + (0 if db_cpu != db_cpu else db_cpu)) / per
                       / os.cpu_count()))
    if staged is not None and staged["state"] == "staged":
        t1 = time.monotonic()
        status, body, _ = request(conn, "GET", "/api/v1/retriage/preview")
        p = json.loads(body)
        print("retriage: %d reports in %.0f s = %.0f reports/s; preview in %.1f s: %d moved,"
              " merged %d, split %d, new %d, gone %d" % (
                  todo, elapsed, todo / elapsed, time.monotonic() - t1, p["reportsMoved"],
                  p["counts"]["merged"], p["counts"]["split"], p["counts"]["new"], p["counts"]["gone"]))
    else:
        rate = (done - done0) / elapsed if elapsed else float("nan")
        print("retriage: %d of %d reports (%d in this run) in %.0f s = %.0f reports/s (bounded);"
              " the rest would take %.0f s at this rate; last error %s" % (
                  done, todo, done - done0, elapsed, rate,
                  (todo - done) / rate if rate else float("nan"), state["lastError"]))
        if staged is not None:
            # the preview of what is done so far: the same grouped join, over the reports done
            t1 = time.monotonic()
            status, body, _ = request(conn, "GET", "/api/v1/retriage/preview")
            if status == 200:
                p = json.loads(body)
                print("retriage: partial preview in %.1f s: %d compared, %d moved, merged %d,"
                      " split %d, new %d, gone %d" % (
                          time.monotonic() - t1, p["reportsCompared"], p["reportsMoved"],
                          p["counts"]["merged"], p["counts"]["split"], p["counts"]["new"],
                          p["counts"]["gone"]))
    if staged is not None and not args.keep_staged:
        request(conn, "POST", "/api/v1/retriage/%d/discard" % staged["generation"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reports", type=int, default=20000)
    ap.add_argument("--seconds", type=float, default=120)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=500,
                    help="reports posted first, one at a time and untimed (JIT warm-up)")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--db", help="JDBC URL (default: embedded H2 in a temp dir)")
    ap.add_argument("--db-pid", type=int,
                    help="the database server's main pid (PostgreSQL's postmaster): its CPU and its"
                         " children's is reported per report")
    ap.add_argument("--keep", help="data directory to use and keep (reuse it to query a big store)")
    ap.add_argument("--no-ingest", action="store_true", help="only the queries, on --keep's store")
    ap.add_argument("--retriage", type=float, default=0,
                    help="then time a re-triage of the whole store for at most this many seconds")
    ap.add_argument("--keep-staged", action="store_true",
                    help="leave the re-triage staged (to resume or apply it), not discarded")
    args = ap.parse_args()

    data = args.keep or tempfile.mkdtemp(prefix="ktriage-load-")
    port = free_port()
    cmd = [os.path.join(ROOT, "ktriage"), "serve", "--port", str(port), "--data", data]
    if args.db:
        cmd += ["--db", args.db]
    log = open(os.path.join(data if args.keep else tempfile.gettempdir(), "serve-load.log"), "w")
    env = dict(os.environ)
    # a long-running server wants the full JIT (./ktriage's default options favour short runs)
    env.setdefault("KTRIAGE_JAVA_OPTS", "-Xmx2g -Xss4m -XX:+UseParallelGC")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    try:
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                if request(c, "GET", "/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        else:
            sys.exit("serve-load: the server did not start; see " + log.name)
        print("machine: %d cores, load %s" % (os.cpu_count(), " ".join("%.1f" % x for x in os.getloadavg())))
        if not args.no_ingest:
            corpus = load_corpus()
            warm_up(port, corpus, args)
            ingest(port, corpus, args, server.pid)
        queries(port, args, server.pid)
        if args.retriage > 0:
            retriage(port, args, server.pid)
    finally:
        server.terminate()
        server.wait(30)
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
