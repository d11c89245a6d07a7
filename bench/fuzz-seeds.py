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


# --- input registry: a real log and the real kdump's head in every container, and nested ---
import shutil
import subprocess


def compressed(tool, data, *args):
    if not shutil.which(tool):
        return b""
    return subprocess.run([tool, *args], input=data, stdout=subprocess.PIPE, check=True).stdout


log = head(os.path.join(lab, "timer-after-unload-kdump.dmesg.txt"), 6 << 10)
dump_head = head(kdump, 24 << 10)
seeds("fuzz", "InputFormatsFuzzer", [
    ("log", log),
    ("log.gz", compressed("gzip", log, "-9c")),
    ("log.xz", compressed("xz", log, "-9c", "--check=crc32")),
    ("log.zst", compressed("zstd", log, "-19c", "-q")),
    ("log.bz2", compressed("bzip2", log, "-9c")),
    ("log.lz4", compressed("lz4", log, "-9c", "-q")),
    ("log.lzo", compressed("lzop", log, "-9c")),
    ("log.gz.xz", compressed("xz", compressed("gzip", log, "-9c"), "-9c", "--check=crc32")),
    ("kdump-head.zst", compressed("zstd", dump_head, "-19c", "-q")),
    # past the target's 128 KiB inflation cap and its margin (InflationCap): the cap must be said
    ("log-past-cap.bz2", compressed("bzip2", log + b"\n" * (3 << 20), "-9c")),
    ("log-past-cap.zst.gz", compressed("gzip", compressed("zstd", log * 700, "-19c", "-q"), "-9c")),
    ("kdump-past-cap.zst", compressed("zstd", dump_head + bytes((3 << 20) - len(dump_head)),
                                      "-19c", "-q")),
])

# --- instruction decoders: real Code: bytes of x86-64 and arm64 reports ---
code_seeds = []
for p in sorted(glob.glob(os.path.join(shared, "corpus", "*", "*", "*"))):
    if len(code_seeds) >= 12 or not os.path.isfile(p):
        continue
    with open(p, "rb") as f:
        text = f.read(1 << 20).decode("latin-1")
    m = re.search(r"Code: ((?:<?[0-9a-f]{2}>? ){16,}<?[0-9a-f]{2}>?)", text)
    w = re.search(r"Code: ((?:\(?[0-9a-f]{8}\)? ){3,}\(?[0-9a-f]{8}\)?)", text)
    if m and sum(1 for s in code_seeds if s[0].startswith("x86")) < 8:
        toks = m.group(1).split()
        at = next((i for i, t in enumerate(toks) if t.startswith("<")), 0)
        code = bytes(int(t.strip("<>"), 16) for t in toks)
        fault = re.search(r"(?:address|CR2): ?([0-9a-f]{8,16})", text)
        fa = int(fault.group(1), 16) if fault else 0
        code_seeds.append(("x86-" + os.path.basename(p), bytes([(at << 1) & 0xfe]) +
                           struct.pack("<Q", fa) + code))
    elif w and sum(1 for s in code_seeds if s[0].startswith("arm64")) < 4:
        toks = w.group(1).split()
        at = next((i for i, t in enumerate(toks) if t.startswith("(")), 0)
        code = b"".join(struct.pack("<I", int(t.strip("()"), 16)) for t in toks)
        fault = re.search(r"at virtual address ([0-9a-f]{8,16})", text)
        fa = int(fault.group(1), 16) if fault else 0
        code_seeds.append(("arm64-" + os.path.basename(p), bytes([((at << 1) | 1) & 0xff]) +
                           struct.pack("<Q", fa) + code))
seeds("fuzz", "InstructionDecodersFuzzer", code_seeds)

# --- arm64 frame records (arch/arm64/kernel/stacktrace.c): chains as the kernel lays them ---
STACK = 0xffff800080000000


def stack_seed(fp, sp, pac, records, size=16 << 10):
    mem = bytearray(size)
    for at, nxt, ret in records:
        struct.pack_into("<QQ", mem, at - STACK, nxt, ret)
    return struct.pack("<QQQ", fp, sp, pac) + bytes(mem)


task = STACK + 0x4000  # the second 16 KiB stack; the first is the IRQ stack
seeds("fuzz", "Arm64FrameRecordsFuzzer", [
    ("task-chain", stack_seed(task + 0x3d00, task + 0x3cf0, 0, [
        (task + 0x3d00, task + 0x3d40, 0xffffa1b2c0010010),
        (task + 0x3d40, task + 0x3ea0, 0xffffa1b2c0020020),
        (task + 0x3ea0, 0, 0)], 32 << 10)[:24 + (32 << 10)]),
    ("irq-to-task-pac", stack_seed(STACK + 0x3f00, STACK + 0x3ef0, 0xff80000000000000, [
        (STACK + 0x3f00, task + 0x3c00, 0x0012a1b2c0030030 | (1 << 55)),
        (task + 0x3c00, task + 0x3e00, 0xffffa1b2c0040040),
        (task + 0x3e00, 0, 0)], 32 << 10)),
])


# --- kallsyms scanner: tables in the layout of scripts/kallsyms.c (write_src) ---
def kallsyms_image(new_order, nsyms=300):
    tokens = [bytes([i]) if 0x21 <= i < 0x7f else b"_" for i in range(256)]
    names = ["T_stext"] + ["t%s_%03d" % ("fn" if i % 7 else "x" * 140, i) for i in range(1, nsyms)]
    if not new_order:
        names = [n[:100] for n in names]  # two-byte lengths arrived in v6.1
    enc = bytearray()
    off256 = 0
    for i, n in enumerate(names):
        if i == 256:
            off256 = len(enc)
        b = n.encode()
        if len(b) > 127:
            enc += bytes([(len(b) & 0x7f) | 0x80, len(b) >> 7])
        else:
            enc.append(len(b))
        enc += b
    out = bytearray(0x100)  # the image's first bytes
    def align8():
        while len(out) % 8:
            out.append(0)
    base = 0xffffffff81000000
    if not new_order:
        for i in range(nsyms):
            out += struct.pack("<Q", base + 16 * i)  # kallsyms_addresses
    out += struct.pack("<II", nsyms, 0)  # kallsyms_num_syms
    out += enc
    align8()
    if new_order:
        out += struct.pack("<II", 0, off256)  # u32 markers
    else:
        out += struct.pack("<QQ", 0, off256)  # unsigned long markers
    align8()
    offsets = []
    at = 0
    for t in tokens:  # kallsyms_token_table
        offsets.append(at)
        out += t + b"\0"
        at += len(t) + 1
    align8()
    out += struct.pack("<256H", *offsets)  # kallsyms_token_index
    align8()
    if new_order:
        out += struct.pack("<%di" % nsyms, *(16 * i for i in range(nsyms)))  # kallsyms_offsets
        align8()
        out += struct.pack("<Q", base)  # kallsyms_relative_base
    return bytes(out)


seeds("fuzz", "KallsymsScannerFuzzer", [
    ("v6.4-order", kallsyms_image(True)), ("v4.19-order", kallsyms_image(False))])
