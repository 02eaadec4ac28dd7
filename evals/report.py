"""Evaluation reports: the console table, report.json, a self-contained report.html, comparisons
with an earlier report and `--fail-under` thresholds.

Everything here reads the report document (`EvalResult.to_report()`, the report.json shape), so an
old report.json can be re-rendered or compared without re-running anything. The HTML page carries
its own CSS and hand-written SVG charts: no scripts, no external files, and every text taken from
questions, answers or articles is escaped.
"""

from __future__ import annotations

import json
import math
import re
from html import escape
from pathlib import Path
from typing import Any, Mapping

from newsqa.evals.metrics import PROPORTIONS, paired_flips, question_outcomes, sign_test, wilson_interval

# +1: higher is better; -1: lower is better. The keys are the metrics thresholds and comparisons
# accept; "n" is a count, not a quality.
METRIC_DIRECTIONS: dict[str, int] = {
    "hit@1": 1, "hit@5": 1, "mrr": 1, "answer@5": 1, "answer_correctness": 1, "short_answer_correctness": 1,
    "answered_rate": 1,
    "refusal_precision": 1, "refusal_recall": 1, "citation_validity": 1, "citation_recall": 1,
    "citation_precision": 1, "unsupported_share": -1, "support_scorer_accuracy": 1,
    "latency_p50_ms": -1, "latency_p95_ms": -1, "judge_faithfulness": 1, "judge_invalid_rate": -1,
}
# the per-type table's columns (the overall table shows every metric)
TYPE_COLUMNS = ("n", "hit@5", "answer_correctness", "refusal_recall", "citation_recall",
                "citation_precision", "latency_p50_ms")


# --- console ------------------------------------------------------------------------------------

def fmt(value: Any, metric: str = "") -> str:
    if value is None:
        return "-"
    if metric == "n" or isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if metric.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def _metric_names(*groups: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for g in groups:
        for key in g:
            if key not in names:
                names.append(key)
    return names


def interval_text(counts: Mapping[str, Any] | None, metric: str) -> str:
    """"k/n  lo-hi": a share metric's count and 95 % Wilson interval, "" for other metrics and for
    reports written before counts were kept."""
    kn = (counts or {}).get(metric)
    if not kn:
        return ""
    ci = wilson_interval(int(kn[0]), int(kn[1]))
    return f"{kn[0]}/{kn[1]}" + (f"  {ci[0]:.2f}-{ci[1]:.2f}" if ci else "")


def format_table(report: Mapping[str, Any]) -> str:
    """Metrics overall (product and baseline side by side when there is one, and for the product's
    shares of questions their counts and 95 % intervals), then by type."""
    aggs = report["aggregates"]
    product = aggs["product"]
    baseline = aggs.get("baseline")
    counts = product.get("counts")
    lines: list[str] = []
    overall = product["overall"]
    names = _metric_names(overall, baseline["overall"] if baseline else {})
    width = max(len(n) for n in names) + 2
    header = f"{'metric':<{width}}{'product':>10}" + (f"{'baseline':>10}" if baseline else "")
    if counts:
        header += "   questions, 95% interval"
    lines += ["Overall", header, "-" * len(header)]
    for name in names:
        row = f"{name:<{width}}{fmt(overall.get(name), name):>10}"
        if baseline:
            row += f"{fmt(baseline['overall'].get(name), name):>10}"
        extra = interval_text(counts, name)
        lines.append((row + "   " + extra) if extra else row)

    types = list(product["by_type"])
    if types:
        cols = list(TYPE_COLUMNS)
        table = [["type", *cols]]
        for t in types:
            row = [t]
            for c in cols:
                cell = fmt(product["by_type"][t].get(c), c)
                if baseline and c != "n":
                    cell += "/" + fmt(baseline["by_type"].get(t, {}).get(c), c)
                row.append(cell)
            table.append(row)
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        rendered = [r[0].ljust(widths[0]) + "".join(f"  {v:>{w}}" for v, w in zip(r[1:], widths[1:]))
                    for r in table]
        lines += ["", "By type" + (" (product/baseline)" if baseline else ""), rendered[0],
                  "-" * len(rendered[0]), *rendered[1:]]

    scorer = aggs.get("support_scorer")
    if scorer:
        lines += ["", f"Support scorer on {scorer.get('n')} labelled pairs: accuracy "
                      f"{fmt(scorer.get('accuracy'))}, false support {fmt(scorer.get('false_support_rate'))}, "
                      f"missed support {fmt(scorer.get('missed_support_rate'))}"]
    lat = product.get("latency") or {}
    if lat:
        stages = ", ".join(f"{s} {fmt(v['p50'], '_ms')}/{fmt(v['p95'], '_ms')}" for s, v in lat.items())
        lines.append(f"Latency p50/p95 ms per stage: {stages}")
    reasons = refusal_reasons(report)
    if reasons:
        w = max(len(r) for r, _, _ in reasons) + 2
        lines += ["", f"{'Refused because':<{w}}{'answerable':>11}{'not':>6}"]
        lines += [f"{r:<{w}}{a:>11}{u:>6}" for r, a, u in reasons]
    return "\n".join(lines)


_SCORE_NOTE = re.compile(r"\s*\(score [^)]*\)")


def refusal_reasons(report: Mapping[str, Any]) -> list[tuple[str, int, int]]:
    """(reason, answerable questions refused for it, unanswerable ones), most frequent first, from
    the records' `refusal` (each part's reason of a compound question counted once; the score a
    reason quotes left out, so that one reason is one row). Where the answerable questions a set
    refuses are refused is where its answer path loses them."""
    counts: dict[str, list[int]] = {}
    for r in report.get("questions") or ():
        if not isinstance(r, Mapping) or not r.get("refused"):
            continue
        said = str((r.get("refusal") or {}).get("reason") or "no reason recorded")
        answerable = bool((r.get("eval") or {}).get("answerable", True))
        for reason in dict.fromkeys(_SCORE_NOTE.sub("", part).strip() for part in said.split(";")):
            counts.setdefault(reason, [0, 0])[0 if answerable else 1] += 1
    return sorted(((k, a, u) for k, (a, u) in counts.items()), key=lambda t: (-(t[1] + t[2]), t[0]))


# --- compare and thresholds ---------------------------------------------------------------------

def compare_reports(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any, Any, str]]:
    """(metric, old, new, marker) for the product's overall metrics: "+" better, "-" worse,
    "=" unchanged, "" when either side is missing or the metric has no direction."""
    a = old["aggregates"]["product"]["overall"]
    b = new["aggregates"]["product"]["overall"]
    rows = []
    for name in _metric_names(b, a):
        va, vb = a.get(name), b.get(name)
        direction = METRIC_DIRECTIONS.get(name, 0)
        if va is None or vb is None or not direction:
            marker = ""
        elif math.isclose(float(va), float(vb), rel_tol=1e-9, abs_tol=1e-9):
            marker = "="
        else:
            marker = "+" if (float(vb) - float(va)) * direction > 0 else "-"
        rows.append((name, va, vb, marker))
    return rows


def report_outcomes(report: Mapping[str, Any]) -> dict[str, dict[str, bool | None]]:
    """Each question's share-metric verdicts (metrics.question_outcomes), by question id, from a
    report's records (their `eval` block); {} for a report without them."""
    out: dict[str, dict[str, bool | None]] = {}
    for r in report.get("questions") or ():
        e = r.get("eval") if isinstance(r, Mapping) else None
        if not isinstance(e, Mapping) or "id" not in r:
            continue
        out[str(r["id"])] = question_outcomes(bool(e.get("answerable")), e.get("expected") or [],
                                              e.get("evidence_ids") or [], r)
    return out


def paired_comparison(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, tuple[int, int, int, float]]:
    """Per share metric, over the questions both reports answered (matched by id): (questions
    better, worse, paired, two-sided exact p of McNemar's test). Two runs on the same questions
    differ by a few questions by chance of the fit or the vectors; the p-value says whether a
    difference is more than that."""
    a, b = report_outcomes(old), report_outcomes(new)
    if not a or not b:
        return {}
    out = {}
    for m in PROPORTIONS:
        better, worse, paired = paired_flips(a, b, m)
        if paired:
            out[m] = (better, worse, paired, sign_test(better, worse))
    return out


def format_comparison(rows: list[tuple[str, Any, Any, str]],
                      paired: Mapping[str, tuple[int, int, int, float]] | None = None) -> str:
    """The comparison rows, with the paired counts and p-value beside each share metric."""
    width = max((len(r[0]) for r in rows), default=6) + 2
    lines = ["Compared with the earlier report (+ better, - worse"
             + ("; questions better / worse of those paired, p: exact McNemar test" if paired else "") + ")"]
    for name, va, vb, marker in rows:
        line = f"{name:<{width}}{fmt(va, name):>10} -> {fmt(vb, name):<10} {marker:<2}"
        if paired and name in paired:
            better, worse, n, p = paired[name]
            line += f" {better} better, {worse} worse of {n}, p={p:.2f}"
        lines.append(line.rstrip())
    return "\n".join(lines)


def parse_fail_under(specs: list[str]) -> list[tuple[str, float]]:
    """`metric=value` pairs; ValueError naming the valid metrics for an unknown one."""
    out = []
    for spec in specs:
        name, sep, value = spec.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"--fail-under takes metric=value, got {spec!r}")
        if name not in METRIC_DIRECTIONS:
            raise ValueError(f"--fail-under: unknown metric {name!r}; valid metrics: "
                             f"{', '.join(METRIC_DIRECTIONS)}")
        try:
            out.append((name, float(value)))
        except ValueError:
            raise ValueError(f"--fail-under: {value.strip()!r} is not a number (in {spec!r})") from None
    return out


def check_fail_under(report: Mapping[str, Any], thresholds: list[tuple[str, float]]) -> list[str]:
    """One message per threshold the product's overall metrics miss (an unmeasured metric misses)."""
    overall = report["aggregates"]["product"]["overall"]
    failures = []
    for name, limit in thresholds:
        value = overall.get(name)
        lower_better = METRIC_DIRECTIONS[name] < 0
        if value is None:
            failures.append(f"{name} was not measured (nothing to measure it on), required "
                            f"{'<=' if lower_better else '>='} {limit:g}")
        elif lower_better and value > limit:
            failures.append(f"{name} = {fmt(value, name)} is above the limit {limit:g} (lower is better)")
        elif not lower_better and value < limit:
            failures.append(f"{name} = {fmt(value, name)} is below the required {limit:g}")
    return failures


# --- files --------------------------------------------------------------------------------------

def write_report(report: Mapping[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """report.json and report.html in `out_dir` (created if needed)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    json_path = out_dir / "report.json"
    json_path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    html_path = out_dir / "report.html"
    html_path.write_text(render_html(report), encoding="utf-8")
    return json_path, html_path


# --- HTML ---------------------------------------------------------------------------------------

PRODUCT_COLOR = "#2b6cb0"
BASELINE_COLOR = "#c05621"
ALT_COLOR = "#2f855a"

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1a202c;max-width:80rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #cbd5e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#edf2f7}td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:#276749}.bad{color:#c53030}.muted{color:#718096}
.charts{display:flex;flex-wrap:wrap;gap:1.5rem}
svg text{font-family:system-ui,sans-serif;font-size:11px;fill:#2d3748}
details{margin:.2rem 0}.answer{max-width:40rem}
"""


def bar_chart(title: str, groups: list[str], series: list[tuple[str, list[float | None], str]],
              ymax: float | None = None, unit: str = "") -> str:
    """An inline SVG grouped bar chart: one group per label, one bar per series (None: no bar)."""
    values = [v for _, vs, _ in series for v in vs if v is not None]
    top = ymax if ymax is not None else (max(values) if values else 1.0)
    top = top if top > 0 else 1.0
    bar_w, gap, plot_h, top_pad = 16, 14, 160, 28
    group_w = bar_w * len(series) + gap
    longest = max((len(g) for g in groups), default=0)
    # labels are rotated 35 degrees: about 4.9 px across and 3.5 px down per character at 11 px
    left = max(48, int(longest * 4.9 - (group_w - gap) / 2 - gap / 2) + 8)
    bottom = max(40, int(longest * 3.5) + 24)
    width = max(left + group_w * max(len(groups), 1) + 20, int(len(title) * 8) + left,
                left + 150 * min(len(series), 3), 260)
    height = top_pad + plot_h + bottom + 18 * ((len(series) + 2) // 3)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
           f'aria-label="{escape(title)}">',
           f'<text x="{left}" y="16" style="font-weight:600;font-size:13px">{escape(title)}</text>']
    for i in range(5):  # horizontal grid with tick labels
        frac = i / 4
        y = top_pad + plot_h * (1 - frac)
        out.append(f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e2e8f0"/>')
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{escape(_tick(top * frac, unit))}</text>')
    for gi, label in enumerate(groups):
        x0 = left + gi * group_w + gap / 2
        for si, (name, vals, color) in enumerate(series):
            v = vals[gi] if gi < len(vals) else None
            x = x0 + si * bar_w
            if v is None:
                out.append(f'<text x="{x + bar_w / 2:.1f}" y="{top_pad + plot_h - 3}" text-anchor="middle" '
                           f'class="muted" style="font-size:9px">n/a</text>')
                continue
            h = plot_h * min(max(v, 0.0) / top, 1.0)
            y = top_pad + plot_h - h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2}" height="{h:.1f}" fill="{color}">'
                       f'<title>{escape(f"{name} {label}: {_tick(v, unit)}")}</title></rect>')
        lx = x0 + (group_w - gap) / 2
        ly = top_pad + plot_h + 10
        out.append(f'<text x="{lx:.1f}" y="{ly}" text-anchor="end" '
                   f'transform="rotate(-35 {lx:.1f} {ly})">{escape(label)}</text>')
    for si, (name, _, color) in enumerate(series):  # legend below the labels
        row, col = divmod(si, 3)
        x = left + col * 150
        y = top_pad + plot_h + bottom + row * 18
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{color}"/>')
        out.append(f'<text x="{x + 14}" y="{y}">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def _tick(v: float, unit: str) -> str:
    if unit == "ms":
        return f"{v:.0f} ms"
    if unit == "count":
        return f"{v:.1f}".removesuffix(".0")
    return f"{v:.2f}"


def histogram(values: list[float], bins: int = 10) -> tuple[list[str], list[float | None]]:
    """Bin labels and counts over [min, max] of `values`."""
    if not values:
        return [], []
    lo, hi = min(values), max(values)
    if hi <= lo:
        return [f"{lo:.0f}"], [float(len(values))]
    step = (hi - lo) / bins
    counts = [0] * bins
    for v in values:
        counts[min(int((v - lo) / step), bins - 1)] += 1
    labels = [f"{lo + i * step:.0f}-{lo + (i + 1) * step:.0f}" for i in range(bins)]
    return labels, [float(c) for c in counts]


def _charts(report: Mapping[str, Any]) -> list[str]:
    aggs = report["aggregates"]
    product, baseline = aggs["product"], aggs.get("baseline")
    types = list(product["by_type"])
    charts = []
    series: list[tuple[str, list[float | None], str]] = [
        ("answer_correctness", [product["by_type"][t].get("answer_correctness") for t in types], PRODUCT_COLOR),
        ("hit@5", [product["by_type"][t].get("hit@5") for t in types], ALT_COLOR),
    ]
    if baseline:
        series.append(("baseline answer_correctness",
                       [baseline["by_type"].get(t, {}).get("answer_correctness") for t in types], BASELINE_COLOR))
        series.append(("baseline hit@5", [baseline["by_type"].get(t, {}).get("hit@5") for t in types], "#f6ad55"))
    charts.append(bar_chart("Answer correctness and hit@5 by question type", types, series, ymax=1.0))

    lat = product.get("latency") or {}
    if lat:
        stages = list(lat)
        charts.append(bar_chart("Latency per stage (product)", stages,
                                [("p50", [lat[s]["p50"] for s in stages], PRODUCT_COLOR),
                                 ("p95", [lat[s]["p95"] for s in stages], "#90cdf4")], unit="ms"))
    totals = [float(r["timings_ms"]["total"]) for r in report.get("questions", [])
              if "total" in r.get("timings_ms", {})]
    labels, counts = histogram(totals)
    if labels:
        charts.append(bar_chart("End-to-end latency histogram, ms (questions per bin)", labels,
                                [("questions", counts, PRODUCT_COLOR)], ymax=max(c or 0 for c in counts),
                                unit="count"))
    if baseline:
        names = [m for m in ("hit@1", "hit@5", "mrr", "answer_correctness", "refusal_precision",
                             "refusal_recall", "citation_recall", "citation_precision", "unsupported_share")
                 if m in product["overall"]]
        charts.append(bar_chart("Product vs baseline (overall)", names,
                                [("product", [product["overall"].get(m) for m in names], PRODUCT_COLOR),
                                 ("baseline", [baseline["overall"].get(m) for m in names], BASELINE_COLOR)],
                                ymax=1.0))
        lat_names = [m for m in ("latency_p50_ms", "latency_p95_ms") if m in product["overall"]]
        charts.append(bar_chart("Product vs baseline latency", lat_names,
                                [("product", [product["overall"].get(m) for m in lat_names], PRODUCT_COLOR),
                                 ("baseline", [baseline["overall"].get(m) for m in lat_names], BASELINE_COLOR)],
                                unit="ms"))
    return charts


def _metrics_table(product: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> str:
    names = _metric_names(product["overall"], baseline["overall"] if baseline else {})
    counts = product.get("counts")
    head = ("<tr><th>metric</th><th>product</th>" + ("<th>baseline</th>" if baseline else "")
            + ("<th>questions, 95% interval</th>" if counts else "") + "</tr>")
    rows = []
    for n in names:
        cells = f'<td>{escape(n)}</td><td class="num">{escape(fmt(product["overall"].get(n), n))}</td>'
        if baseline:
            cells += f'<td class="num">{escape(fmt(baseline["overall"].get(n), n))}</td>'
        if counts:
            cells += f'<td class="num">{escape(interval_text(counts, n))}</td>'
        rows.append(f"<tr>{cells}</tr>")
    return f"<table>{head}{''.join(rows)}</table>"


def _type_table(product: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> str:
    cols = list(TYPE_COLUMNS)
    head = "<tr><th>type</th>" + "".join(f"<th>{escape(c)}</th>" for c in cols) + "</tr>"
    rows = []
    for t, m in product["by_type"].items():
        cells = f"<td>{escape(t)}</td>"
        for c in cols:
            text = fmt(m.get(c), c)
            if baseline and c != "n":
                text += " / " + fmt(baseline["by_type"].get(t, {}).get(c), c)
            cells += f'<td class="num">{escape(text)}</td>'
        rows.append(f"<tr>{cells}</tr>")
    note = "<p class=\"muted\">cells: product / baseline</p>" if baseline else ""
    return f"{note}<table>{head}{''.join(rows)}</table>"


def _refused_cell(r: Mapping[str, Any]) -> str:
    """"no", or "yes" with the reason and the sentence that came closest."""
    if not r.get("refused"):
        return "no"
    refusal = r.get("refusal") or {}
    cell = "yes"
    if refusal.get("reason"):
        cell += f'<br><span class="muted">{escape(str(refusal["reason"]))}</span>'
    near = refusal.get("closest")
    if near:
        cell += f'<br><span class="muted">closest: {escape(str(near.get("text", "")))}</span>'
    return cell


def _question_table(records: list[Mapping[str, Any]]) -> str:
    head = ("<tr><th>id</th><th>type</th><th>question</th><th>answer</th><th>refused</th>"
            "<th>correct</th><th>expected</th><th>citations</th></tr>")
    rows = []
    for r in records:
        ev = r.get("eval", {})
        correct = ev.get("correct")
        correct_cell = ("-" if correct is None else
                        '<span class="ok">yes</span>' if correct else '<span class="bad">no</span>')
        if correct is None and not ev.get("answerable", True):
            correct_cell = ('<span class="ok">refused</span>' if r.get("refused")
                            else '<span class="bad">answered</span>')
        expected = " + ".join(" | ".join(part) for part in ev.get("expected", []))
        used = {n for s in r.get("sentences", []) for n in s.get("citations", [])}
        cites = []
        for c in r.get("citations", []):
            if r.get("refused") or c["n"] in used:
                label = c.get("title") or c.get("article_id", "")
                cites.append(f'<details><summary>[{int(c["n"])}] {escape(str(label))}</summary>'
                             f'{escape(str(c.get("text", "")))}</details>')
        turns = ev.get("turns") or []
        question = escape(str(r.get("question", "")))
        if turns:
            question = ('<span class="muted">after: ' + escape(" / ".join(turns)) + "</span><br>" + question)
        rows.append(
            f"<tr><td>{escape(str(r.get('id', '')))}</td><td>{escape(str(ev.get('type', '')))}</td>"
            f"<td>{question}</td><td class=\"answer\">{escape(str(r.get('answer', '')))}</td>"
            f"<td>{_refused_cell(r)}</td><td>{correct_cell}</td>"
            f"<td>{escape(expected)}</td><td>{''.join(cites)}</td></tr>"
        )
    return f"<table>{head}{''.join(rows)}</table>"


def render_html(report: Mapping[str, Any]) -> str:
    """The whole report as one HTML page with no external resources."""
    aggs = report["aggregates"]
    product, baseline = aggs["product"], aggs.get("baseline")
    meta = report.get("meta", {})
    meta_rows = "".join(
        f"<tr><th>{escape(str(k))}</th><td>{escape(json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else str(v))}</td></tr>"
        for k, v in meta.items()
    )
    scorer = aggs.get("support_scorer") or {}
    kinds = "".join(f"<tr><td>{escape(k)}</td><td class=\"num\">{escape(fmt(v.get('accuracy')))}</td>"
                    f"<td class=\"num\">{int(v.get('n', 0))}</td></tr>"
                    for k, v in (scorer.get("by_kind") or {}).items())
    parts = [
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        "<title>newsqa evaluation report</title>", f"<style>{_CSS}</style></head><body>",
        "<h1>newsqa grounding evaluation</h1>",
        f"<table>{meta_rows}</table>",
        "<h2>Metrics</h2>", _metrics_table(product, baseline),
        "<h2>By question type</h2>", _type_table(product, baseline),
        "<h2>Charts</h2>", f"<div class=\"charts\">{''.join(_charts(report))}</div>",
        "<h2>Support scorer</h2>",
        f"<p>{escape(str(scorer.get('n', 0)))} labelled pairs: accuracy {escape(fmt(scorer.get('accuracy')))}, "
        f"false support {escape(fmt(scorer.get('false_support_rate')))}, missed support "
        f"{escape(fmt(scorer.get('missed_support_rate')))}</p>",
        f"<table><tr><th>kind</th><th>accuracy</th><th>n</th></tr>{kinds}</table>",
        "<h2>Questions (product)</h2>", _question_table(report.get("questions", [])),
    ]
    if report.get("baseline_questions"):
        parts += ["<h2>Questions (baseline)</h2>", _question_table(report["baseline_questions"])]
    parts.append("</body></html>")
    return "\n".join(parts)
