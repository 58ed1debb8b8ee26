"""Drives verify.html in headless Chromium on draw folders and compares each verdict with the
command line's `verify --json` on the same files.

    python3 web/test/drive.py PAGE CLI OUT CASE...

CASE is NAME=FOLDER (NAME=FOLDER#YYYY-MM-DD: judged on that day, the page's clock set to it and
the command line given `--today`): the folder's files (organizer.pub among them, taken as the
reader's key), and the files beside the folder (its office: `office.log`, `holidays-*.toml`),
are given to the page as dropped files, named as a dropped office folder names them
(NAME=FOLDER@ZIP: the zip archive ZIP instead, holding the same files); the command line runs `CLI verify FOLDER --public-key FOLDER/organizer.pub --json`, which finds
the log and the calendars beside the folder too. The verdicts are compared on every field but
the log's path, outcome records included; the page's verdict is written to OUT/NAME.json. A
screenshot of each verdict is written to OUT/NAME.png and must not be blank. Prints one line a
case and exits non-zero if any differs. Standard library only.
"""
import base64, datetime, html, json, os, re, subprocess, sys, tempfile, time

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
COMPARED = ["result", "draw_id", "depth", "key_from_folder", "withheld", "amendments",
            "checked", "findings", "views", "trust", "outcomes"]


def chromium(profile, *args):
    return subprocess.run(["chromium", *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=300).stdout


def main():
    page, cli, out = sys.argv[1:4]
    os.makedirs(out, exist_ok=True)
    template = open(page, encoding="utf-8").read()
    failures = 0
    # The page with no verdict: a verdict's screenshot must be larger (it adds the verdict, the
    # summary and the lists to the same page).
    blank = os.path.join(out, "no-verdict.png")
    chromium(tempfile.mkdtemp(), "--window-size=1000,1400", f"--screenshot={blank}",
             f"file://{os.path.abspath(page)}")
    blank_size = os.path.getsize(blank)
    # The time Chromium takes on the page with no files: the baseline a verdict's time is
    # compared with (the page's own clock is virtual under --virtual-time-budget).
    started = time.monotonic()
    chromium(tempfile.mkdtemp(), "--virtual-time-budget=60000", "--dump-dom",
             f"file://{os.path.abspath(page)}")
    blank_wall = time.monotonic() - started
    for case in sys.argv[4:]:
        name, folder = case.split("=", 1)
        folder, _, today = folder.partition("#")
        folder, _, archive = folder.partition("@")
        if archive:
            fixture = [[os.path.basename(archive),
                        base64.b64encode(open(archive, "rb").read()).decode()]]
        else:
            # As a dropped office folder names them: `office.log`, `D1/sheet.json`.
            office = os.path.dirname(os.path.abspath(folder))
            draw = os.path.basename(os.path.abspath(folder))
            named = [(f, os.path.join(office, f)) for f in sorted(os.listdir(office))]
            named += [(f"{draw}/{f}", os.path.join(folder, f)) for f in sorted(os.listdir(folder))]
            fixture = [[n, base64.b64encode(open(p, "rb").read()).decode()]
                       for n, p in named if os.path.isfile(p)]
        test_page = os.path.join(out, f"{name}.html")
        with open(test_page, "w", encoding="utf-8") as h:
            now = ""
            if today:
                # Noon in Beijing on that day, as the page's clock.
                y, mo, d = map(int, today.split("-"))
                noon = datetime.datetime(y, mo, d, 4, tzinfo=datetime.timezone.utc)
                now = f"window.FIXTURE_NOW = {int(noon.timestamp())};"
            # The script removes itself from the document: `--dump-dom` would otherwise write
            # the whole fixture back (26 MB for 100,000 entities, seconds of the time measured).
            h.write(template.replace("<body>", "<body>\n<script>document.currentScript.remove();"
                                     + "window.FIXTURE = " + json.dumps(fixture) + ";" + now
                                     + "</script>", 1))
        profile = tempfile.mkdtemp()
        # Chromium may dump the page before the module's asynchronous start has finished (its
        # virtual clock does not always wait for the decompression stream): try up to 3 times;
        # the time is that of the try that gave the verdict.
        for tries in range(1, 4):
            started = time.monotonic()
            dom = chromium(profile, "--virtual-time-budget=60000", "--dump-dom",
                           f"file://{test_page}")
            wall = time.monotonic() - started
            m = re.search(r'<pre id="verdict-json"([^>]*)>(.*?)</pre>', dom, re.S)
            if m and m.group(2).strip():
                break
        if not m or not m.group(2).strip():
            print(f"{name}: the page wrote no verdict")
            failures += 1
            continue
        page_v = json.loads(html.unescape(m.group(2)))
        with open(os.path.join(out, f"{name}.json"), "w", encoding="utf-8") as h:
            json.dump(page_v, h, ensure_ascii=False, indent=1)
        cli_out = subprocess.run([cli, "verify", folder, "--public-key",
                                  os.path.join(folder, "organizer.pub"), "--json"]
                                 + (["--today", today] if today else []),
                                 capture_output=True, text=True)
        try:
            cli_v = json.loads(cli_out.stdout)
        except json.JSONDecodeError:
            cli_v = {"result": "ERROR", "stderr": cli_out.stderr.strip()}
        shot = os.path.join(out, f"{name}.png")
        size = 0
        for _ in range(3):
            chromium(profile, "--virtual-time-budget=60000", "--window-size=1000,1400",
                     f"--screenshot={shot}", f"file://{test_page}")
            size = os.path.getsize(shot) if os.path.exists(shot) else 0
            if size > blank_size + 5000:
                break
        diff = [k for k in COMPARED if page_v.get(k) != cli_v.get(k)]
        if page_v.get("result") == "ERROR" or cli_v.get("result") == "ERROR":
            diff = ["error"] if page_v.get("result") != cli_v.get("result") else []
        codes = [f["code"] for f in page_v.get("findings", [])]
        status = "same as the command line" if not diff else f"DIFFERS in {diff}"
        print(f"{name}: {page_v.get('result')} {codes[:6]} — {status}; "
              f"{wall:.1f} s in Chromium, {wall - blank_wall:.1f} s more than the page "
              f"without files{f' (try {tries})' if tries > 1 else ''}; screenshot {size} bytes")
        if diff:
            for k in diff:
                print(f"  page {k}: {json.dumps(page_v.get(k), ensure_ascii=False)[:600]}")
                print(f"  cli  {k}: {json.dumps(cli_v.get(k), ensure_ascii=False)[:600]}")
            failures += 1
        if size <= blank_size + 5000:
            print(f"{name}: the screenshot ({size} bytes) is no larger than the page without a "
                  f"verdict ({blank_size} bytes): the verdict did not render")
            failures += 1
    print(f"{len(sys.argv) - 4 - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
