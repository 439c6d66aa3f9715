"""Printing, measured as what the citizen waits for, against a fair baseline in the same run.

    .venv/bin/python bench/printing.py [--receipts 10] [--a4 8]

Receipt: from the tap (a Receipt handed to the driver: render, encode, status before, send, status
after) to the cut arriving at a virtual ESC/POS printer that takes bytes no faster than a 115200 8N1
serial line (pty) or a 100 kB/s network printer (TCP). Baseline: the wire time of the same bytes at
that rate (10 bits a byte on serial). Ratio target ≤ 1.3.

A4: from the tap (PrintService-like path: spool the certificate PDF 0600, print_file, follow the job
with the driver's backing-off poll, devices/printer/base.py POLL) to the job completed on a cups-pdf queue of the bench's own; baseline: the same PDF sent
with pycups and polled every 10 ms (the scheduler's own time). Figures are p50/p90 of single timings.
Needs cupsd running (./dev.sh starts it) and root (cups-pdf writes to /root/PDF, removed afterwards).
"""
from __future__ import annotations

import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from devices.receipt.driver import EscposReceiptPrinter  # noqa: E402
from devices.receipt.layout import Receipt  # noqa: E402
from devices.receipt.transport import NetworkTransport, SerialTransport  # noqa: E402
from devices.receipt.virtual_printer import VirtualEscposPrinter  # noqa: E402

RECEIPT = Receipt("办事凭条", "菏泽市政务服务中心 自助终端 1 号",
                  [("事项", "城乡居民基本养老保险参保登记"), ("本机编号", "HZ0001-20261130-0042"),
                   ("办件编号", "371700-2026-000123"), ("时间", "2026-11-30 15:00")],
                  "工作人员会在 3 个工作日内审核，结果会发短信告诉您。", "371700-2026-000123",
                  "扫码或在「办件查询」输入编号，查办理进度", "本凭条不含个人信息，可放心保管")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def receipts(kind: str, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "serial":
            rate = 115200 / 10
            virtual = VirtualEscposPrinter(bytes_per_s=rate).serve_pty(Path(tmp) / "p.tty")
            driver = EscposReceiptPrinter(SerialTransport(str(Path(tmp) / "p.tty"), 115200))
        else:
            rate = 100_000
            virtual = VirtualEscposPrinter(bytes_per_s=rate).serve_tcp()
            driver = EscposReceiptPrinter(NetworkTransport(*virtual.address))
        size = len(driver.encode(RECEIPT))
        taps = []
        try:
            for i in range(runs):
                start = time.monotonic()
                driver.print_receipt(RECEIPT)
                cut = virtual.wait_receipts(i + 1)[-1].cut_at
                taps.append(cut - start)
        finally:
            virtual.stop()
    wire = size / rate
    print(f"receipt {kind:<7} {size} bytes, wire {wire * 1000:.0f} ms | tap→cut p50 {pct(taps, .5) * 1000:.0f} ms "
          f"p90 {pct(taps, .9) * 1000:.0f} ms | ratio p50 {pct(taps, .5) / wire:.2f}× p90 {pct(taps, .9) / wire:.2f}×")


def a4(runs: int) -> None:
    import cups

    from devices.printer.cups_printer import CupsPrinter
    from platform_server.document_pdf import certificate_pdf
    from platform_server.documents import certificate_pages
    queue = f"kiosk-bench-{os.getpid()}"
    subprocess.run(["lpadmin", "-p", queue, "-E", "-v", "cups-pdf:/", "-m", "lsb/usr/cups-pdf/CUPS-PDF_opt.ppd"],
                   check=True, capture_output=True)
    pages = certificate_pages("social_insurance", {"id_number": "371702199001011234", "name": "张三"}, "2026-11-30")
    pdf = certificate_pdf("社保参保证明", "菏泽市社会保险事业中心", "HZBENCH0001", "ABCD1234", pages, "https://x")
    ours, base, jobs = [], [], []
    try:
        printer = CupsPrinter(queue)
        conn = cups.Connection()
        with tempfile.TemporaryDirectory() as tmp:
            shared = Path(tmp) / "base.pdf"
            shared.write_bytes(pdf)
            for _ in range(runs):
                start = time.monotonic()                       # baseline: pycups, tight poll
                job = conn.printFile(queue, str(shared), "HZBENCH-base", {})
                while conn.getJobAttributes(job, requested_attributes=["job-state"])["job-state"] < 7:
                    time.sleep(0.01)
                base.append(time.monotonic() - start)
                jobs.append(job)
                start = time.monotonic()                       # ours: spool 0600, print, follow
                path = Path(tmp) / f"{uuid.uuid4().hex}.pdf"
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(pdf)
                job = printer.print_file(str(path), "HZBENCH-ours")
                printer.follow(job, timeout=60)
                path.unlink()
                ours.append(time.monotonic() - start)
                jobs.append(job)
    finally:
        subprocess.run(["lpadmin", "-x", queue], capture_output=True)
        for job in jobs:
            for f in glob.glob(f"/root/PDF/*job_{job}.pdf"):
                os.unlink(f)
    print(f"A4 cups-pdf, 2-page certificate ({len(pdf)} bytes) | ours p50 {pct(ours, .5) * 1000:.0f} ms "
          f"p90 {pct(ours, .9) * 1000:.0f} ms | pycups tight poll p50 {pct(base, .5) * 1000:.0f} ms "
          f"p90 {pct(base, .9) * 1000:.0f} ms | ratio p50 {statistics.median(ours) / statistics.median(base):.2f}×")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--receipts", type=int, default=10)
    parser.add_argument("--a4", type=int, default=8)
    args = parser.parse_args()
    if args.receipts:
        receipts("serial", args.receipts)
        receipts("network", args.receipts)
    if args.a4:
        a4(args.a4)
    return 0


if __name__ == "__main__":
    sys.exit(main())
