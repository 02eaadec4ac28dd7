"""The `newsqa` command line: a thin adapter that parses flags into Settings and calls the core."""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Sequence, get_args

from newsqa.settings import BackendKind, Settings, configure_offline_environment

# the backend names the settings accept, so a flag can never offer one the settings would reject
BACKENDS = list(get_args(BackendKind))
# the help names the settings' default, so that it cannot drift from what runs
DEFAULT_BACKEND = Settings.model_fields["backend"].default


def _common(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("store")
    g.add_argument("--store", type=Path, help="folder of the embedded store (env NEWSQA_STORE; default .newsqa/store)")
    g.add_argument("--chroma-url", help="use a Chroma server at http://HOST:PORT instead (env NEWSQA_CHROMA_URL)")
    g.add_argument("--collection", help="collection name inside the store (env NEWSQA_COLLECTION; default newsqa)")
    g.add_argument("--embedder", choices=["local", "openai", "ollama", "hash"],
                   help="embedding provider (env NEWSQA_EMBEDDER; default local = bundled all-MiniLM-L6-v2)")
    g.add_argument("--embed-model", help="model path (local) or model name (openai/ollama)")
    g.add_argument("--embed-url", help="base URL of the openai/ollama embeddings endpoint")


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings().with_overrides(
        store=getattr(args, "store", None), chroma_url=getattr(args, "chroma_url", None),
        collection=getattr(args, "collection", None), embedder=getattr(args, "embedder", None),
        embed_model=getattr(args, "embed_model", None), embed_url=getattr(args, "embed_url", None),
        chunk_tokens=getattr(args, "chunk_tokens", None), chunk_overlap=getattr(args, "chunk_overlap", None),
        max_file_bytes=getattr(args, "max_file_bytes", None),
    )


def demo_corpus() -> list[str]:
    """The bundled sample articles (shipped inside the package)."""
    folder = resources.files("newsqa") / "demo"
    return sorted(str(p) for p in folder.iterdir() if p.name.endswith(".txt"))


# --- subcommands -------------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> int:
    from newsqa.index.embed import make_embedder
    from newsqa.index.ingest import Progress, ingest
    from newsqa.index.store import StoreError

    settings = settings_from(args)
    sources = list(args.sources) or ([] if not args.demo else demo_corpus())
    if args.demo:
        sources += demo_corpus()
    if not sources:
        print("newsqa ingest: give files, folders, globs or URLs (or --demo)", file=sys.stderr)
        return 2
    bar = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=" articles", file=sys.stderr, dynamic_ncols=True)

    def on_progress(p: Progress) -> None:
        if bar is not None:
            bar.n = p.articles
            rate = p.articles / p.elapsed if p.elapsed else 0.0
            bar.set_postfix_str(f"{rate:.1f} articles/s, {p.chunks / max(p.elapsed, 1e-9):.1f} chunks/s, "
                                f"{p.skipped} skipped", refresh=True)

    try:
        embedder = make_embedder(settings)
        report = ingest(sources, settings, embedder, progress=on_progress)
    except StoreError as e:
        print(f"newsqa ingest: {e}", file=sys.stderr)
        return 1
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print(json.dumps({
            "added": report.added, "updated": report.updated, "unchanged": report.unchanged,
            "skipped": [{"origin": s.origin, "line": s.line, "reason": s.reason} for s in report.skipped],
            "repaired": report.repaired, "chunks_written": report.chunks_written,
            "seconds": {**report.seconds, "wall": report.wall},
        }))
    elif not args.quiet:
        print(report.summary())
    if args.strict and report.skipped:
        print(f"newsqa ingest: --strict and {len(report.skipped)} input(s) skipped", file=sys.stderr)
        return 1
    return 0


def _open_store(args: argparse.Namespace):
    from newsqa.index.store import Store

    return Store(settings_from(args))


def cmd_list(args: argparse.Namespace) -> int:
    from newsqa.index.store import StoreError

    try:
        infos = sorted(_open_store(args).article_infos().values(), key=lambda i: (i.published_at, i.title), reverse=True)
    except StoreError as e:
        print(f"newsqa list: {e}", file=sys.stderr)
        return 1
    if args.search:
        needle = args.search.lower()
        infos = [i for i in infos if needle in i.title.lower()]
    if getattr(args, "groups", False):  # near-duplicate groups only: the indexed article, then the rest
        by_id = {i.id: i for i in infos}
        groups: dict[str, list] = {}
        for i in infos:
            if i.dup_of:
                groups.setdefault(i.dup_of, []).append(i)
        if args.json:
            print(json.dumps([{"article": by_id[g].__dict__ if g in by_id else {"id": g},
                               "also_in": [m.__dict__ for m in members]} for g, members in groups.items()],
                             ensure_ascii=False))
            return 0
        if not groups:
            print("no near-duplicate articles")
        for g, members in groups.items():
            head = by_id.get(g)
            print(f"{g}\t{head.source if head else '-'}\t{head.title if head else ''}")
            for m in members:
                print(f"  also in\t{m.id}\t{m.published_at[:10] or '-':10}\t{m.source or '-'}\t{m.title}")
        return 0
    if args.json:
        print(json.dumps([i.__dict__ for i in infos], ensure_ascii=False))
        return 0
    if not infos:
        print("no articles; add some with: newsqa ingest PATH_OR_URL ...")
        return 0
    for i in infos:
        what = f"duplicate of {i.dup_of}" if i.dup_of else f"{i.n_chunks} chunks"
        print(f"{i.id}\t{i.published_at[:10] or '-':10}\t{i.source or '-'}\t{what}\t{i.title}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from newsqa.index.store import StoreError, ingest_lock

    settings = settings_from(args)
    try:
        with ingest_lock(settings):
            removed = _open_store(args).remove_articles(args.ids)
    except StoreError as e:
        print(f"newsqa remove: {e}", file=sys.stderr)
        return 1
    missing = [i for i in args.ids if i not in removed]
    for i in removed:
        print(f"removed {i}" if i in args.ids else
              f"removed {i} (a near-duplicate indexed through a removed article; ingest it again to keep it)")
    for i in missing:
        print(f"no article with id {i}", file=sys.stderr)
    return 1 if missing else 0


def cmd_stats(args: argparse.Namespace) -> int:
    from newsqa.index.store import StoreError

    try:
        store = _open_store(args)
        lex = store.lexical()
        stats = {
            "store": store.location, "articles": store.count_articles(), "chunks": store.count_chunks(),
            "lexical_chunks": len(lex), "built_with": store.fingerprint,
        }
        dup_of = [i.dup_of for i in store.article_infos().values() if i.dup_of]
        stats["duplicate_groups"], stats["near_duplicates"] = len(set(dup_of)), len(dup_of)
    except StoreError as e:
        print(f"newsqa stats: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(stats))
    else:
        for k, v in stats.items():
            print(f"{k}: {v}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    import os

    from newsqa.evals.report import (
        check_fail_under, compare_reports, format_comparison, format_table, paired_comparison, parse_fail_under,
        write_report,
    )
    from newsqa.evals.run import run_eval
    from newsqa.index.store import StoreError

    try:
        thresholds = parse_fail_under(args.fail_under or [])
    except ValueError as e:
        print(f"newsqa eval: {e}", file=sys.stderr)
        return 2
    old = None
    if args.compare:
        try:
            old = json.loads(Path(args.compare).read_text(encoding="utf-8"))
            old["aggregates"]["product"]["overall"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            print(f"newsqa eval: --compare {args.compare}: not a readable report.json ({e})", file=sys.stderr)
            return 2
    from newsqa.evals.questions import load_questions

    from newsqa.evals.split import select_split

    try:
        questions = select_split(load_questions(Path(args.questions)), args.split)
    except ValueError as e:
        print(f"newsqa eval: {e}", file=sys.stderr)
        return 2
    if not questions:
        print(f"newsqa eval: {args.questions}: no questions in the {args.split} part", file=sys.stderr)
        return 2
    judge = None
    if args.judge_url:
        from newsqa.evals.judge import Judge, JudgeError

        try:
            judge = Judge(args.judge_url, args.judge_model or "", os.environ.get("NEWSQA_JUDGE_API_KEY", ""))
        except JudgeError as e:
            print(f"newsqa eval: {e}", file=sys.stderr)
            return 2
    settings = settings_from(args)
    bar = None
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=" answers", file=sys.stderr, dynamic_ncols=True)

    def on_progress(done: int, total: int, phase: str) -> None:
        if bar is not None:
            bar.total = total
            bar.n = done
            bar.set_description_str(phase, refresh=True)

    try:
        result = run_eval(questions, settings, articles=args.articles, backend=args.backend,
                          drop_evidence=args.drop_evidence or False, ignore_as_of=args.ignore_as_of,
                          baseline=args.baseline, k=args.k, progress=on_progress, judge=judge)
    except StoreError as e:
        print(f"newsqa eval: {e}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"newsqa eval: {e}", file=sys.stderr)
        return 2
    except RuntimeError as e:  # the judge or a remote backend failed mid-run
        print(f"newsqa eval: {e}", file=sys.stderr)
        return 1
    finally:
        if bar is not None:
            bar.close()
    report = result.to_report()
    report["meta"]["question_file"] = str(args.questions)
    report["meta"]["split"] = args.split
    json_path, html_path = write_report(report, Path(args.out))
    print(format_table(report))
    print(f"\nreport: {json_path}\n        {html_path}")
    if old is not None:
        print("\n" + format_comparison(compare_reports(old, report), paired_comparison(old, report)))
    failures = check_fail_under(report, thresholds)
    for f in failures:
        print(f"newsqa eval: --fail-under: {f}", file=sys.stderr)
    return 1 if failures else 0

class _SetAction(argparse.Action):
    """--questions starts a question set; the --store/--articles after it say where its articles are."""

    def __call__(self, parser, namespace, values, option_string=None):  # type: ignore[override]
        sets = getattr(namespace, "sets", None) or []
        if self.dest == "questions":
            sets.append({"questions": values, "store": None, "articles": []})
        elif not sets:
            parser.error(f"{option_string} must follow the --questions it belongs to")
        elif self.dest == "store":
            sets[-1]["store"] = values
        else:
            sets[-1]["articles"].extend(values)
        namespace.sets = sets


def cmd_train_ranker(args: argparse.Namespace) -> int:
    from newsqa.evals.train_ranker import Source, train_ranker
    from newsqa.index.store import StoreError

    sources = [Source(Path(s["questions"]), Path(s["store"]) if s["store"] else None, tuple(s["articles"]))
               for s in (getattr(args, "sets", None) or [])]
    for src in sources:
        if not src.questions.is_file():
            print(f"newsqa train-ranker: {src.questions}: no such question file", file=sys.stderr)
            return 2
    settings = settings_from(args)

    def progress(qid: str) -> None:
        if not args.quiet:
            print(f"  {qid}", file=sys.stderr)

    try:
        report = train_ranker(sources, settings, split=args.split, out=Path(args.out), progress=progress,
                              cache_dir=None if args.no_cache else Path(args.cache), held_out=args.held_out_sets)
    except StoreError as e:
        print(f"newsqa train-ranker: {e}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"newsqa train-ranker: {e}", file=sys.stderr)
        return 2
    print(json.dumps(report, indent=1))
    print(f"\nweights: {args.out} (use them with NEWSQA_RANKER={args.out})")
    return 0


def search_filter(args: argparse.Namespace):
    from newsqa.index.store import SearchFilter

    try:
        return SearchFilter.from_user(getattr(args, "since", None), getattr(args, "until", None),
                                      getattr(args, "source", None), getattr(args, "article", None))
    except ValueError as e:
        raise SystemExit(f"newsqa: {e}") from None


def as_of_date(args: argparse.Namespace):
    """--as-of YYYY-MM-DD: the day questions are asked on (None: today)."""
    from datetime import date

    value = (getattr(args, "as_of", None) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise SystemExit(f"newsqa: --as-of: dates are YYYY-MM-DD; got {value!r}") from None


def format_answer(ans) -> str:
    """Plain-text rendering for the terminal: the short answer first (as the page shows it), the
    answer's sentences with [n] markers, then the sources."""
    from newsqa.rag.timeframe import day_text, describe

    lines = []
    if ans.time_window:
        lines.append(f"(understood as: {ans.time_window.phrase} = {describe(ans.time_window)})")
    if ans.refused:
        lines.append(ans.text)
        if ans.notice:
            lines.append(ans.notice)
        if ans.closest is not None:
            marks = "".join(f"[{n}]" for n in ans.closest.citations)
            lines.append(f"\nThe closest the articles come (not taken as an answer):\n  {ans.closest.text} {marks}")
        if ans.reason_to_say:
            lines.append(f"(refused because {ans.reason_to_say})")
        if ans.passages:
            lines.append("\nRelated reading:")
    else:
        if ans.short_answer is not None:
            lines.append(" · ".join(f"{sa.shown()} [{sa.n}]" for sa in ans.all_short_answers()) + "\n")
        for s in ans.sentences:
            marks = "".join(f"[{n}]" for n in s.citations)
            flag = "" if s.supported else "  (unsupported)"
            lines.append(f"{s.text} {marks}{flag}".rstrip())
        if ans.unanswered_parts:
            from newsqa.rag.types import unanswered_note

            lines.append(f"({unanswered_note(ans.unanswered_parts)})")
        if ans.answer_date:
            lines.append(f"(as of {day_text(ans.answer_date)})")
        lines.append("\nSources:")
    cited = {n for s in ans.sentences for n in s.citations}
    for p in ans.passages:
        if not ans.refused and p.n not in cited:
            continue
        c = p.chunk
        meta = ", ".join(x for x in (c.source, c.published_at[:10], c.url) if x)
        lines.append(f"[{p.n}] {c.title or c.article_id}" + (f" ({meta})" if meta else ""))
        quote = " ".join(c.text.split())
        lines.append(f"    \"{quote[:400]}{'…' if len(quote) > 400 else ''}\"")
    return "\n".join(lines)


def cmd_ask(args: argparse.Namespace) -> int:
    from newsqa.index.store import StoreError
    from newsqa.rag.backends.generated import BackendError
    from newsqa.rag.qa import build_qa

    settings = settings_from(args).with_overrides(backend=args.backend, top_k=args.k, llm_url=args.llm_url,
                                                  llm_model=args.llm_model, llm_path=args.llm_path)
    try:
        qa = build_qa(settings)
        return _ask_all(args, qa)
    except (StoreError, BackendError, ValueError) as e:  # unreachable LLM server, unknown backend...
        print(f"newsqa ask: {e}", file=sys.stderr)
        return 1


def preload_meanwhile(embedder) -> None:
    """Load the embedder's torch model on a background thread, for a process that answers many
    questions: the numpy encoder answers until it is loaded (an embedder without one: nothing)."""
    preload = getattr(embedder, "preload", None)
    if preload is not None:
        import threading

        threading.Thread(target=preload, name="newsqa-preload", daemon=True).start()


def _ask_all(args: argparse.Namespace, qa) -> int:
    from newsqa.rag.backends.generated import BackendError
    from newsqa.rag.chat import Turn

    flt = search_filter(args)
    as_of = as_of_date(args)
    embedder = getattr(qa, "embedder", None)
    if args.questions:
        from newsqa.evals.questions import load_asked

        try:
            questions = load_asked(Path(args.questions))
        except (OSError, ValueError) as e:
            print(f"newsqa ask: {e}", file=sys.stderr)
            return 2
        preload = getattr(embedder, "preload", None)
        if preload is not None:
            # many questions: torch's model before the first, as `newsqa eval` loads it, so that a
            # file asked here gets the answers eval reports (the cold-start numpy encoder gives a
            # few sentences slightly other int8 vectors), and faster once loaded
            preload()
        for q in questions:
            history = [Turn(t) for t in q.turns]
            ans = qa.ask(q.question, history, flt=flt, as_of=q.as_of or as_of)
            out = {"id": q.id, **ans.to_json()}
            print(json.dumps(out, ensure_ascii=False) if args.json else f"{q.id}: {q.question}\n{format_answer(ans)}\n")
        return 0
    if args.question:
        ans = qa.ask(" ".join(args.question), flt=flt, as_of=as_of)
        print(json.dumps(ans.to_json(), ensure_ascii=False) if args.json else format_answer(ans))
        return 0
    # An interactive loop: each question is a follow-up of the previous ones until "/new".
    preload_meanwhile(embedder)  # a conversation asks many questions
    history: list[Turn] = []
    print("Ask about the indexed articles (/new starts a new conversation, Ctrl-D quits).")
    while True:
        try:
            line = input("> ").strip()
        except EOFError:
            print()
            return 0
        if not line:
            continue
        if line == "/new":
            history = []
            continue
        try:
            ans = qa.ask(line, history, flt=flt, as_of=as_of)
        except BackendError as e:  # the LLM server may come back: keep the conversation
            print(f"newsqa ask: {e}\n", file=sys.stderr)
            continue
        print(format_answer(ans) + "\n")
        history.append(Turn(line, ans.text))


# --- serve / run (the browser UI) ----------------------------------------------------------------
def _serve_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("server")
    g.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 exposes it to the network)")
    g.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    g.add_argument("--share", action="store_true",
                   help="also open a public gradio.live link (off by default; needs the internet)")
    g.add_argument("--auth", action="append", metavar="USER:PASSWORD",
                   help="require this login for every page and API call (repeatable)")
    g.add_argument("--auth-file", type=Path, metavar="FILE", help="logins, one user:password per line")
    g.add_argument("--backend", choices=BACKENDS,
                   help=f"default answer backend (env NEWSQA_BACKEND; default {DEFAULT_BACKEND})")
    g.add_argument("--max-file-bytes", type=int, help="largest upload accepted (env NEWSQA_MAX_FILE_BYTES)")


def _serve_from(args: argparse.Namespace, prog: str, ingest_demo: bool) -> int:
    from newsqa.index.store import StoreError
    from newsqa.ui.serve import AuthError, parse_auth, serve

    try:
        auth = parse_auth(args.auth or [], args.auth_file)
    except AuthError as e:
        print(f"newsqa {prog}: {e}", file=sys.stderr)
        return 2
    settings = settings_from(args).with_overrides(backend=args.backend)
    try:
        from newsqa.index.embed import make_embedder
        from newsqa.index.store import Store
        from newsqa.rag.qa import build_qa

        embedder = make_embedder(settings)
        preload_meanwhile(embedder)  # a server answers many questions
        store = Store(settings, embedder.fingerprint)
        if ingest_demo and store.count_articles() == 0:
            from newsqa.index.ingest import ingest

            print("newsqa run: the store is empty; adding the bundled sample articles", file=sys.stderr)
            report = ingest(demo_corpus(), settings, embedder, store=store)
            print(report.summary(), file=sys.stderr)
        qa = build_qa(settings, store=store, embedder=embedder)
    except StoreError as e:
        print(f"newsqa {prog}: {e}", file=sys.stderr)
        return 1
    try:
        serve(settings, host=args.host, port=args.port, share=args.share, auth=auth or None, qa=qa)
    except OSError as e:  # the port is taken or the address is not this machine's
        print(f"newsqa {prog}: cannot serve on {args.host}:{args.port} (choose another with --port): {e}",
              file=sys.stderr)
        return 1
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    return _serve_from(args, "serve", ingest_demo=False)


def cmd_run(args: argparse.Namespace) -> int:
    return _serve_from(args, "run", ingest_demo=True)


def cmd_bench(args: argparse.Namespace) -> int:
    from newsqa.evals.bench import BenchOptions, format_results, run_bench

    out = Path(args.out)
    if args.smoke:
        opts = BenchOptions.smoke_defaults(out)
    else:
        try:
            sizes = [int(x.replace("_", "")) for x in args.sizes.split(",") if x.strip()]
        except ValueError:
            print(f"newsqa bench: --sizes takes comma-separated chunk counts, got {args.sizes!r}", file=sys.stderr)
            return 2
        if not sizes or min(sizes) < 1 or min(args.ingest_articles, args.clients, args.questions) < 1:
            print("newsqa bench: sizes, --ingest-articles, --clients and --questions must be positive", file=sys.stderr)
            return 2
        opts = BenchOptions(sizes=sizes, ingest_articles=args.ingest_articles, clients=args.clients,
                            questions=args.questions, repeats=max(1, args.repeats), runtimes=not args.no_runtimes,
                            generate=max(0, args.generate), out=out)
        if args.rgb_dev:
            opts.rgb_dev = Path(args.rgb_dev)
        if args.ingest_corpus:
            opts.ingest_corpus = Path(args.ingest_corpus)
        opts.process_articles = max(1, args.process_articles)
    names = [b.strip() for b in args.answer_backends.split(",") if b.strip()]
    unknown = [b for b in names if b not in ("extractive", "ranked")]
    if unknown:
        print(f"newsqa bench: --answer-backends takes extractive and/or ranked, got {', '.join(unknown)}",
              file=sys.stderr)
        return 2
    opts.answer_backends = names
    opts.keep = args.keep
    opts.cold = not args.no_cold
    opts.cold_only = args.cold_only
    results = run_bench(opts, log=lambda m: print(f"[bench] {m}", file=sys.stderr, flush=True))
    print(format_results(results))
    print(f"\nwrote {out / 'bench.json'} and {out / 'bench.svg'}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="newsqa", description=(
        "Question answering over news articles: every answer sentence cites the passage that says so, "
        "or the answer is a refusal. Works offline."))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("ingest", help="add or update articles from files, folders, globs or URLs",
                       description="Add articles (.txt .md .html .json .jsonl .csv, RSS/Atom, http(s) pages "
                                   "and feeds). Re-running is safe: unchanged articles are not re-embedded; "
                                   "changed ones replace their old chunks.")
    s.add_argument("sources", nargs="*", help="files, folders (recursive), glob patterns or http(s) URLs")
    s.add_argument("--demo", action="store_true", help="also ingest the bundled sample articles")
    s.add_argument("--strict", action="store_true", help="exit non-zero when any input is skipped")
    s.add_argument("--json", action="store_true", help="print the report as JSON")
    s.add_argument("--quiet", action="store_true", help="print nothing but errors")
    s.add_argument("--chunk-tokens", type=int, help="chunk size in tokens (env NEWSQA_CHUNK_TOKENS; default 256)")
    s.add_argument("--chunk-overlap", type=int, help="overlap in tokens (env NEWSQA_CHUNK_OVERLAP; default 32)")
    s.add_argument("--max-file-bytes", type=int, help="skip files larger than this (env NEWSQA_MAX_FILE_BYTES)")
    _common(s)
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("ask", help="answer a question with cited sentences (or a refusal)",
                       description="Answer from the indexed articles. Every sentence carries [n] markers "
                                   "that point at numbered source passages; when the passages do not "
                                   "answer, the reply is a refusal with related reading. Without a "
                                   "question, starts an interactive conversation.")
    s.add_argument("question", nargs="*", help="the question (omit for an interactive prompt)")
    s.add_argument("--questions", metavar="FILE.jsonl", help="answer every line's `question` (a JSON object per line; `id`, `turns` and "
                   "`as_of` optional; a .txt file: one question a line; one JSON object per answer "
                   "out with --json)")
    s.add_argument("--backend", choices=BACKENDS, help=f"answer backend (env NEWSQA_BACKEND; default {DEFAULT_BACKEND})")
    s.add_argument("--k", type=int, help="number of passages to retrieve (default 5)")
    s.add_argument("--since", help="only articles published on or after YYYY-MM-DD")
    s.add_argument("--until", help="only articles published on or before YYYY-MM-DD")
    s.add_argument("--source", action="append", help="only this source (repeatable)")
    s.add_argument("--article", action="append", help="only this article id (repeatable)")
    s.add_argument("--as-of", metavar="YYYY-MM-DD", help="ask as of this day: 'this week', 'latest' are read "
                   "against it and later articles are not used (default today; a --questions line's own "
                   "as_of wins)")
    s.add_argument("--json", action="store_true", help="print one JSON object per answer")
    s.add_argument("--llm-url", help="base URL of an OpenAI-compatible chat endpoint for --backend openai, "
                                     "e.g. http://127.0.0.1:11434/v1 (env NEWSQA_LLM_URL)")
    s.add_argument("--llm-model", help="model name at --llm-url (env NEWSQA_LLM_MODEL; default: the first "
                                       "the server lists)")
    s.add_argument("--llm-path", help="GGUF file for --backend llamacpp (env NEWSQA_LLM_PATH; default: "
                                      "the bundled SmolLM2-135M)")
    _common(s)
    s.set_defaults(func=cmd_ask)

    s = sub.add_parser("list", help="list the indexed articles", description="List indexed articles, newest first.")
    s.add_argument("--search", help="only titles containing this text")
    s.add_argument("--groups", action="store_true",
                   help="only near-duplicate groups: each indexed article and the articles it stands for")
    s.add_argument("--json", action="store_true")
    _common(s)
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("remove", help="delete articles and their chunks from every index",
                       description="Delete articles by id from the vector store and the lexical index.")
    s.add_argument("ids", nargs="+", help="article ids (see `newsqa list`)")
    _common(s)
    s.set_defaults(func=cmd_remove)

    s = sub.add_parser("stats", help="show what the store holds and what built it",
                       description="Article and chunk counts in both indexes, and the store's fingerprint.")
    s.add_argument("--json", action="store_true")
    _common(s)
    s.set_defaults(func=cmd_stats)

    s = sub.add_parser("serve", help="serve the browser UI (chat with citations, library) and the API",
                       description="Serve the page on http://HOST:PORT: ask questions with clickable "
                                   "citations, manage the library. The API endpoint `ask` (gradio_client) "
                                   "returns the same JSON as `ask --json`.")
    _serve_flags(s)
    _common(s)
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("run", help="add the bundled sample articles if the store is empty, then serve",
                       description="The one command to try newsqa: ingests the bundled demo corpus into an "
                                   "empty store, then serves the browser UI (same flags as serve).")
    _serve_flags(s)
    _common(s)
    s.set_defaults(func=cmd_run)

    s = sub.add_parser("eval", help="measure retrieval, answers, citations and refusals on a question set",
                       description="Answer every question of a JSONL question set and report hit@k, answer "
                                   "correctness, refusal precision/recall, citation recall/precision and "
                                   "latency, overall and by question type, in the console, report.json and "
                                   "a self-contained report.html. Exit code 1 when a --fail-under threshold "
                                   "is missed.")
    s.add_argument("--questions", required=True, metavar="FILE.jsonl", help="the question set")
    s.add_argument("--articles", nargs="+", action="extend", metavar="FILE_OR_DIR",
                   help="ingest these into a fresh temporary store first (default: use the current store)")
    s.add_argument("--backend", choices=BACKENDS,
                   help=f"answer backend (env NEWSQA_BACKEND; default {DEFAULT_BACKEND})")
    s.add_argument("--baseline", action="store_true",
                   help="also answer with plain llama-index vector top-k and compare side by side")
    s.add_argument("--out", default="eval-out", metavar="DIR", help="where report.json and report.html go (default ./eval-out)")
    s.add_argument("--compare", metavar="OLD.json", help="an earlier report.json: print each metric old -> new")
    s.add_argument("--fail-under", action="append", metavar="METRIC=VALUE",
                   help="exit 1 when the overall metric is worse than VALUE (repeatable; for latency and "
                        "unsupported_share, worse means above)")
    s.add_argument("--split", choices=("train", "validation", "all"), default="all",
                   help="the fixed part of the question set to use (a hash of each id: 60%% train, 40%% "
                        "validation; default all). Fit and read failures on train, report validation")
    s.add_argument("--k", type=int, default=5, help="passages retrieved per question (default 5)")
    s.add_argument("--drop-evidence", nargs="?", const="all", choices=("all", "each"), default=None,
                   help="with --articles: leave the questions' evidence (and any other article holding a "
                        "whole accepted answer) out and score the questions as unanswerable, which measures "
                        "refusal when the articles are on topic but lack the answer; 'all' (the default) "
                        "removes everyone's evidence at once, 'each' hides only the asked question's own")
    s.add_argument("--ignore-as-of", action="store_true",
                   help="ask every question as of today, ignoring the file's as_of dates (to measure what "
                        "reading 'this week' against each question's own day brings)")
    s.add_argument("--judge-url", metavar="URL",
                   help="OpenAI-compatible endpoint of an LLM judge for claim-level faithfulness (off by "
                        "default; API key from env NEWSQA_JUDGE_API_KEY)")
    s.add_argument("--judge-model", metavar="NAME", help="model name to send to the judge")
    _common(s)
    s.set_defaults(func=cmd_eval)
    s = sub.add_parser("train-ranker", help="fit the ranked backend's answer ranker and refusal threshold on question sets",
                       description="Fit the answer ranker's weights (rag/ranker.py) and its refusal threshold on "
                                   "one or more question sets in the evaluation format. Give each set as "
                                   "--questions FILE followed by --store DIR or --articles FILES (the current "
                                   "store when neither). Uses the training part (--split) only.")
    s.add_argument("--questions", required=True, action=_SetAction, metavar="FILE.jsonl",
                   help="a question set (repeatable; each followed by its --store or --articles)")
    s.add_argument("--store", action=_SetAction, type=Path, metavar="DIR", help="the store holding that set's articles")
    s.add_argument("--articles", action=_SetAction, nargs="+", metavar="FILE_OR_DIR",
                   help="ingest that set's articles into a temporary store first")
    s.add_argument("--split", choices=("train", "validation", "all"), default="train",
                   help="the part of each set to fit on (default train)")
    s.add_argument("--out", default="ranker.json", metavar="FILE", help="where the weights go (default ./ranker.json)")
    s.add_argument("--quiet", action="store_true", help="no per-question progress")
    s.add_argument("--cache", default=".newsqa/train-cache", metavar="DIR",
                   help="keep retrievals and sentence analyses here, so a refit takes seconds "
                        "(default .newsqa/train-cache; invalidated when the store, the questions or "
                        "the retrieval code change)")
    s.add_argument("--no-cache", action="store_true", help="recompute everything and keep nothing")
    s.add_argument("--held-out-sets", action="store_true",
                   help="also fit on every set but one and judge the one left out, for each set: how the "
                        "weights carry to news they never saw (one more fit per set)")
    s.add_argument("--chroma-url", help="use a Chroma server at http://HOST:PORT (env NEWSQA_CHROMA_URL)")
    s.add_argument("--embedder", choices=["local", "openai", "ollama", "hash"],
                   help="embedding provider (env NEWSQA_EMBEDDER; default local)")
    s.set_defaults(func=cmd_train_ranker)
    s = sub.add_parser("bench", help="measure ingest speed, query latency and memory by corpus size, and load",
                       description="Cold start (fresh processes ingesting and asking the sample articles), "
                                   "then benchmarks on synthetic news: ingest throughput against the raw embedding "
                                   "model and plain llama-index, embedding runtimes, query latency per stage and "
                                   "memory at each corpus size, and concurrent clients through `newsqa serve` "
                                   "(one worker, then two sharing a Chroma server), and the local LLM's first "
                                   "token. Prints a table and writes "
                                   "bench.json and bench.svg. Takes minutes at the default sizes.")
    s.add_argument("--sizes", default="1000,10000,100000", help="corpus sizes in chunks (default 1000,10000,100000)")
    s.add_argument("--ingest-articles", type=int, default=200, help="articles in the ingest benchmark (default 200)")
    s.add_argument("--clients", type=int, default=20, help="concurrent clients in the load test (default 20)")
    s.add_argument("--questions", type=int, default=200, help="questions in the load test (default 200)")
    s.add_argument("--repeats", type=int, default=3, help="ingest runs per pipeline; the best counts (default 3)")
    s.add_argument("--no-runtimes", action="store_true", help="skip the embedding-runtime comparison")
    s.add_argument("--generate", type=int, default=10, metavar="N",
                   help="questions for the local LLM's first-token latency (default 10; 0 skips; needs `make llm`)")
    s.add_argument("--rgb-dev", help="folder with rgb-dev questions.jsonl/articles.jsonl for hit@5 (default: "
                                     "shared/data/rgb-dev next to the checkout, skipped when missing)")
    s.add_argument("--ingest-corpus", metavar="ARTICLES.jsonl",
                   help="real articles for the whole-process ingest comparison with plain llama-index "
                        "(its first --process-articles records; default: the synthetic articles)")
    s.add_argument("--process-articles", type=int, default=300, metavar="N",
                   help="articles in the whole-process ingest comparison (default 300)")
    s.add_argument("--answer-backends", default="extractive,ranked", metavar="NAMES",
                   help="extractive backends whose answer stage is timed at every size (default extractive,ranked)")
    s.add_argument("--out", default="bench-out", metavar="DIR", help="where bench.json and bench.svg go (default ./bench-out)")
    s.add_argument("--smoke", action="store_true", help="tiny sizes and the hashing embedder: a check that runs in seconds")
    s.add_argument("--keep", action="store_true", help="keep the temporary stores (their folder is printed)")
    s.add_argument("--cold-only", action="store_true",
                   help="only the cold-start section: fresh `newsqa` processes ingesting and asking the sample "
                        "articles (about a minute)")
    s.add_argument("--no-cold", action="store_true", help="skip the cold-start section")
    s.set_defaults(func=cmd_bench)

    from newsqa.cli_feedback import add_feedback_parser

    add_feedback_parser(sub, _common)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    configure_offline_environment()
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("interrupted; run the same command again to finish (nothing half-written is kept)", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
