#!/usr/bin/env python3
"""Makes the Jazzer seed directories of ktriage-ingest from the shared fixtures and corpora.

Each target gets a few small slices of real inputs (the head of a real dump holds its headers,
notes and VMCOREINFO; the head of a real log holds a report), kept small: the seeds are committed.
Usage: bench/fuzz-seeds.py [SHARED_DIR] [FIXTURES_DIR]
  SHARED_DIR   the shared material (default ../shared next to the repository)
  FIXTURES_DIR the makedumpfile variants made by make-compressed-fixtures.sh (default
               /tmp/ktriage-fixtures)
"""
import glob
import os
import re
import struct
import sys
import zlib

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared")
fixtures = sys.argv[2] if len(sys.argv) > 2 else "/tmp/ktriage-fixtures"
res = os.path.join(root, "ktriage-ingest/src/test/resources/org/ktriage/ingest")


def seeds(pkg, cls, items):
    d = os.path.join(res, pkg, cls + "Inputs", "fuzz")
    os.makedirs(d, exist_ok=True)
    for name, data in items:
        if data:
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)


def head(path, n):
    if not os.path.isfile(path):
        return b""
    with open(path, "rb") as f:
        return f.read(n)


lab = os.path.join(shared, "lab/fixtures")
kdump = os.path.join(lab, "timer-after-unload-kdump.vmcore")
qemu = os.path.join(lab, "timer-after-unload-qemu.vmcore")


def elf_head(path):
    """The ELF header, program headers and PT_NOTE segments (not the memory)."""
    h = head(path, 1 << 20)
    if h[:4] != b"\x7fELF":
        return b""
    phoff, = struct.unpack_from("<Q", h, 32)
    phentsize, phnum = struct.unpack_from("<HH", h, 54)
    end = phoff + phentsize * phnum
    for i in range(phnum):
        p_type, _, p_offset, _, _, p_filesz = struct.unpack_from("<IIQQQQ", h, phoff + i * phentsize)
        if p_type == 4:
            end = max(end, p_offset + p_filesz)
    return h[: min(end, 256 << 10)]


seeds("fuzz", "ElfCoreFuzzer", [("kdump-elf-head", elf_head(os.path.join(fixtures, "kdump.elf")))])
seeds("fuzz", "KdumpCompressedReaderFuzzer", [
    ("kdump-head", head(kdump, 96 << 10)),
    ("kdump-lzo-head", head(os.path.join(fixtures, "kdump-lzo.vmcore"), 96 << 10)),
])
seeds("fuzz", "FlattenedDumpSourceFuzzer", [
    ("flat-head", head(os.path.join(fixtures, "kdump-flat.vmcore"), 96 << 10)),
    ("qemu-flat-head", head(qemu, 96 << 10))])
parts = [head(os.path.join(fixtures, "kdump-split.%d" % i), 48 << 10) for i in (1, 2, 3)]
if all(parts):
    seeds("fuzz", "SplitKdumpMemoryFuzzer", [(
        "split-heads",
        bytes([2]) + struct.pack("<II", len(parts[0]), len(parts[1])) + b"".join(parts))])

page = bytearray(4096)
page[0:64] = b"Linux version 6.18.0 (build@lab) #1 SMP PREEMPT_DYNAMIC\n" + b"\0" * 7
seeds("fuzz", "PageCompressionFuzzer", [
    ("zlib-page", bytes([0]) + zlib.compress(bytes(page))),
    ("raw", bytes([1]) + bytes(page[:128])),
])

vmcoreinfo = b""
k = head(kdump, 1 << 20)
m = re.search(rb"OSRELEASE=[^\0]*", k)
if m:
    vmcoreinfo = m.group(0)
structured = re.sub(rb"SYMBOL\(prb\)=", b"SYMBOL(log_first_idx)=", vmcoreinfo)
structured += (b"\nSYMBOL(log_buf)=ffffffff82a00000\nSYMBOL(log_buf_len)=ffffffff82a00008"
               b"\nSYMBOL(log_next_idx)=ffffffff82a00010\nSIZE(printk_log)=16"
               b"\nOFFSET(printk_log.ts_nsec)=0\nOFFSET(printk_log.len)=8"
               b"\nOFFSET(printk_log.text_len)=10\n")
for cls in ("VmcoreInfoFuzzer", "PrintkReaderFuzzer", "KallsymsTableFuzzer"):
    seeds("fuzz", cls, [("kdump-vmcoreinfo", vmcoreinfo)] +
          ([("structured-ring", structured)] if cls == "PrintkReaderFuzzer" else []))

texts = []
for pattern in ("syzkaller/report/*", "satyr/kerneloopses/*", "abrt/examples/*oops*",
                "linux-docs/samples/*"):
    for p in sorted(glob.glob(os.path.join(shared, "corpus", pattern)))[:6]:
        if os.path.isfile(p):
            texts.append((re.sub(r"[^A-Za-z0-9.-]", "_", os.path.relpath(p, shared))[:80],
                          head(p, 12 << 10)))
texts.append(("kdump-dmesg", head(os.path.join(lab, "timer-after-unload-kdump.dmesg.txt"), 16 << 10)))
seeds("fuzz", "TextReaderFuzzer", texts)
crash = head(os.path.join(lab, "timer-after-unload-qemu.crash-log.txt"), 64 << 10)
seeds("fuzz", "CrashSessionParserFuzzer", [("qemu-crash-log", crash)])


def btf_blob():
    """A tiny valid BTF: int, struct list_head {next, prev} and a pointer to it."""
    strs = b"\0int\0list_head\0next\0prev\0"
    def off(s):
        return strs.index(s.encode() + b"\0")
    types = struct.pack("<IIII", off("int"), 1 << 24, 4, 32)                 # [1] INT
    types += struct.pack("<III", 0, 2 << 24, 3)                              # [2] PTR -> 3
    types += struct.pack("<III", off("list_head"), 4 << 24 | 2, 16)          # [3] STRUCT
    types += struct.pack("<III", off("next"), 2, 0)
    types += struct.pack("<III", off("prev"), 2, 64)
    hdr = struct.pack("<HBBIIIII", 0xEB9F, 1, 0, 24, 0, len(types), len(types), len(strs))
    return hdr + types + strs


seeds("btf", "BtfFuzzer", [("list-head", btf_blob())])
seeds("fuzz", "OrcTableFuzzer", [
    ("no-patch", b"\0"), ("ip-zero", bytes([0, 0, 0, 8]) + b"\0" * 8),
    ("entry-ff", bytes([1, 16, 0, 6]) + b"\xff" * 6)])
seeds("kernel", "KernelObjectsFuzzer", [
    ("no-patch", b"\0"), ("tasks-next", bytes([0, 0x58, 0x09, 8]) + b"\x41" * 8),
    ("modules-self", bytes([1, 0, 0, 16]) + b"\0" * 16)])
