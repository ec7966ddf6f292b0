#!/usr/bin/env python3
"""Checks of merit's HTML reports that need more than grep (tests/report/report_html_test.sh).

    check_report.py screenshot PNG              the first screen is not blank
    check_report.py candidate HTML MODEL POOL PROFILE ID
                                                the drawing matches the numbers
    check_report.py pool HTML MODEL POOL PROFILE
                                                the histogram and boxes match the pool
    check_report.py impact HTML MODEL POOL PROFILE GROUPS COLUMN K
                                                impact ratios of the top-K shortlist

The expected numbers are computed here from the model file and the wide CSV
with the arithmetic of docs/design.md, independently of the C++ library.
Standard library only (the PNG is decoded with zlib), so it runs under any python3.
"""
import csv
import json
import math
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

SVG = "{http://www.w3.org/2000/svg}"


def fail(msg):
    print("FAILED: " + msg)
    sys.exit(1)


def decode_png(path):
    """(width, height, rows of RGB tuples' flat bytes, channels) of an 8-bit RGB/RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG")
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                fail("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, ctype, interlace))
            ch = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * ch
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        if f == 1:
            for i in range(ch, stride):
                line[i] = (line[i] + line[i - ch]) & 255
        elif f == 2:
            for i in range(stride):
                line[i] = (line[i] + prev[i]) & 255
        elif f == 3:
            for i in range(stride):
                left = line[i - ch] if i >= ch else 0
                line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
        elif f == 4:
            for i in range(stride):
                a = line[i - ch] if i >= ch else 0
                b = prev[i]
                c = prev[i - ch] if i >= ch else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows, ch


def screenshot(path):
    w, h, rows, ch = decode_png(path)
    ink, colours = 0, set()
    for line in rows:
        for x in range(0, w * ch, ch):
            px = line[x:x + 3]
            if px != b"\xff\xff\xff":
                ink += 1
                colours.add(px)
    share = ink / float(w * h)
    print("screenshot %dx%d: %.1f%% of pixels not white, %d colours" % (w, h, 100 * share, len(colours)))
    # A page of text and charts inks several percent of the screen in many
    # colours (antialiasing, the palette); a blank or error page does not.
    if share < 0.02 or len(colours) < 8:
        fail("the first screen looks blank")


def svgs(html):
    """Every <svg> element of the page, parsed as XML (the reports write well-formed SVG)."""
    out = {}
    for m in re.finditer(r"<svg .*?</svg>", html, re.S):
        el = ET.fromstring(m.group(0))
        if el.find(SVG + "title") is None or el.find(SVG + "desc") is None:
            fail("chart %s has no <title> and <desc>" % el.get("id"))
        out[el.get("id")] = el
    return out


def load(model_path, pool_path, profile_id):
    model = json.load(open(model_path, encoding="utf-8"))
    prof = next(p for p in model["profiles"] if p["id"] == profile_id)
    L = model["scale"]["levels"]
    rows = {r["candidate_id"]: r for r in csv.DictReader(open(pool_path, encoding="utf-8"))}
    return model, prof, L, rows


def attainment(prof, L, row):
    """Fit (None without an observed weighted competency) and contributions by docs/design.md's attainment formula."""
    tot = sum(t["weight"] for t in prof["targets"].values())
    terms, den = {}, 0.0
    for cid, t in prof["targets"].items():
        v = row.get(cid, "")
        if v.strip() == "" or t["weight"] <= 0:
            continue
        x = (float(v) - 1) / (L - 1)
        tn = (t["target"] - 1) / (L - 1)
        w = t["weight"] / tot
        terms[cid] = w * min(x, tn)
        den += w * tn
    if not terms:
        return None, {}
    contrib = {c: 100 * v / den for c, v in terms.items()}
    return sum(contrib.values()), contrib


def status(prof, L, row):
    """qualified, screened_out or incomplete (docs/design.md: coverage, then hurdles)."""
    tot = sum(t["weight"] for t in prof["targets"].values())
    wt = lambda t: t["weight"] / tot * (t["target"] - 1) / (L - 1)
    seen = {c: t for c, t in prof["targets"].items() if row.get(c, "").strip()}
    coverage = sum(wt(t) for t in seen.values()) / sum(wt(t) for t in prof["targets"].values())
    hurdles = {c: t["minimum"] for c, t in prof["targets"].items() if "minimum" in t}
    if coverage < prof.get("min_coverage", 1.0) - 1e-12 or any(c not in seen for c in hurdles):
        return "incomplete"
    return "screened_out" if any(float(row[c]) < m for c, m in hurdles.items()) else "qualified"


def candidate(html_path, model_path, pool_path, profile_id, cid):
    html = open(html_path, encoding="utf-8").read()
    model, prof, L, rows = load(model_path, pool_path, profile_id)
    charts = svgs(html)
    ch = charts["levels"]
    axis = ch.find(SVG + "g[@class='axis']")
    x0, per_level = float(axis.get("data-x0")), float(axis.get("data-x-per-level"))
    w0, per_point = float(axis.get("data-w0")), float(axis.get("data-w-per-point"))
    row = rows[cid]
    bars = ch.findall(SVG + "rect[@class='level']")
    observed = [c for c in prof["targets"] if row.get(c, "").strip()]
    if len(bars) != len(observed):
        fail("%d level bars for %d observed competencies" % (len(bars), len(observed)))
    worst = 0.0
    for b in bars:
        level = float(row[b.get("data-competency")])
        if abs(float(b.get("data-level")) - level) > 1e-9:
            fail("bar of %s says level %s, the pool says %s" % (b.get("data-competency"), b.get("data-level"), level))
        if abs(float(b.get("x")) - x0) > 0.5:
            fail("bar of %s starts at %s, not at level 1 (%s)" % (b.get("data-competency"), b.get("x"), x0))
        worst = max(worst, abs(float(b.get("width")) - (level - 1) * per_level))
    if worst > 0.5:
        fail("a level bar is %.2f px off its level" % worst)
    # Bars are proportional to level - 1 with one factor: the largest and smallest agree.
    fit, contrib = attainment(prof, L, row)
    segs = ch.findall(SVG + "rect[@class='contribution']")
    total_px, end = 0.0, w0
    for s in segs:
        want = contrib[s.get("data-competency")]
        if abs(float(s.get("data-points")) - want) > 1e-4:
            fail("contribution of %s drawn as %s, computed %.6f" % (s.get("data-competency"), s.get("data-points"), want))
        if abs(float(s.get("x")) - end) > 0.5:
            fail("contribution of %s does not start where the previous ended" % s.get("data-competency"))
        if abs(float(s.get("width")) - want * per_point) > 0.5:
            fail("contribution of %s is %s px wide, %.2f expected" % (s.get("data-competency"), s.get("width"), want * per_point))
        end = float(s.get("x")) + float(s.get("width"))
        total_px += float(s.get("width"))
    fit_bar = ch.find(SVG + "rect[@class='fit']")
    if abs(float(fit_bar.get("width")) - fit * per_point) > 0.5:
        fail("fit bar %s px, fit %.6f gives %.2f px" % (fit_bar.get("width"), fit, fit * per_point))
    if abs(total_px - float(fit_bar.get("width"))) > 0.5:
        fail("contributions add to %.2f px, the fit bar is %s px" % (total_px, fit_bar.get("width")))
    shown = float(re.search(r'id="fit" data-points="([^"]+)"', html).group(1))
    if abs(shown - fit) > 1e-4:
        fail("header fit %.6f, computed %.6f" % (shown, fit))
    print("candidate %s: fit %.4f, %d level bars within %.2f px, contributions add to the fit bar within %.2f px"
          % (cid, fit, len(bars), worst, abs(total_px - float(fit_bar.get("width")))))


def quantile7(v, p):
    v = sorted(v)
    h = (len(v) - 1) * p
    lo = int(math.floor(h))
    return v[lo] + (h - lo) * ((v[lo + 1] if lo + 1 < len(v) else v[lo]) - v[lo])


def pool(html_path, model_path, pool_path, profile_id):
    html = open(html_path, encoding="utf-8").read()
    model, prof, L, rows = load(model_path, pool_path, profile_id)
    charts = svgs(html)
    counts = {}
    for b in charts["fits"].findall(SVG + "rect[@class='bin']"):
        counts[int(b.get("data-bin"))] = counts.get(int(b.get("data-bin")), 0) + int(b.get("data-count"))
    # A fit within rounding noise of a bin edge may fall on either side of it.
    sure, near = {}, {}
    scored = 0
    for r in rows.values():
        fit, _ = attainment(prof, L, r)
        if fit is None:
            continue
        scored += 1
        lo, hi = (min(19, int(math.floor((fit + d) / 5))) for d in (-1e-9, 1e-9))
        if lo == hi:
            sure[lo] = sure.get(lo, 0) + 1
        else:
            near[lo] = near.get(lo, 0) + 1
            near[hi] = near.get(hi, 0) + 1
    if sum(counts.values()) != scored:
        fail("histogram holds %d candidates, the pool %d with a fit" % (sum(counts.values()), scored))
    for b in range(20):
        if not sure.get(b, 0) <= counts.get(b, 0) <= sure.get(b, 0) + near.get(b, 0):
            fail("bin %d holds %d candidates, computed %d (+%d at its edges)" % (b, counts.get(b, 0), sure.get(b, 0), near.get(b, 0)))
    for box in charts["levels"].findall(SVG + "rect[@class='box']"):
        c = box.get("data-competency")
        v = [float(r[c]) for r in rows.values() if r.get(c, "").strip()]
        for key, p in (("data-q1", 0.25), ("data-median", 0.5), ("data-q3", 0.75)):
            if abs(float(box.get(key)) - quantile7(v, p)) > 1e-4:
                fail("%s %s drawn %s, computed %.6f" % (c, key, box.get(key), quantile7(v, p)))
    print("pool: %d candidates in the histogram as computed; quartiles of %d competencies as computed"
          % (sum(counts.values()), len(charts["levels"].findall(SVG + "rect[@class='box']"))))


def impact(html_path, model_path, pool_path, profile_id, groups_path, column, k):
    """Impact ratios of the shortlist (the qualified among the first K, ranked by fit, ties by id)."""
    html = open(html_path, encoding="utf-8").read()
    model, prof, L, rows = load(model_path, pool_path, profile_id)
    tiers = {"qualified": 0, "incomplete": 1, "screened_out": 2}
    ranked = []
    for cid, r in rows.items():
        fit, _ = attainment(prof, L, r)
        st = status(prof, L, r)
        ranked.append((3, 0, cid) if fit is None else (tiers[st], -round(fit, 6), cid))
    ranked.sort()
    selected = {cid for tier, _, cid in ranked[:int(k)] if tier == 0}
    groups = {r["candidate_id"]: r[column].strip() for r in csv.DictReader(open(groups_path, encoding="utf-8"))}
    rate = {}
    for g in sorted(set(v for v in groups.values() if v)):
        members = [c for c in rows if groups.get(c) == g]
        rate[g] = sum(c in selected for c in members) / float(len(members))
    top = max(rate.values())
    # One dimension: its categories in byte order of name, one bar each.
    drawn = [float(b.get("data-ratio")) for b in svgs(html)["impact"].findall(SVG + "rect[@class='ratio']")]
    want = [rate[g] / top for g in sorted(rate)]
    if len(drawn) != len(want) or any(abs(a - b) > 1e-6 for a, b in zip(drawn, want)):
        fail("impact ratios drawn %s, computed %s" % (drawn, want))
    print("impact: %d selected; ratios %s as computed" % (len(selected), ", ".join("%.3f" % x for x in want)))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "screenshot":
        screenshot(sys.argv[2])
    elif cmd == "candidate":
        candidate(*sys.argv[2:7])
    elif cmd == "pool":
        pool(*sys.argv[2:6])
    elif cmd == "impact":
        impact(*sys.argv[2:9])
    else:
        fail("unknown check " + cmd)
