#!/usr/bin/env bash
# The development measurement loop: every question set this project is judged on, by part, into
# one folder of reports that scripts/dev_compare.py compares with an earlier run's.
#
#   scripts/dev-eval.sh OUT [train] [validation] [written] [probe]   (default: all four)
#
#   train       the training parts (ranked): rtqa-dev, rgb-dev, the bundled set, the written set;
#               read failures here
#   validation  the validation parts with both backends: rtqa-dev, rgb-dev, rgb-dev with each
#               question's evidence removed, the bundled set (all of it: the CI gate's figures)
#   written     the written set's validation part, written-heldout and written-heldout2, both backends
#   probe       written-probe (ranked; readable like a training part), written-heldout3,
#               written-heldout4 and written-heldout5 (both backends; counts only, never read)
#
# Stores are built once under $NEWSQA_DEV_STORES (default .newsqa/dev-stores) with default settings;
# the development sets are read from $NEWSQA_DEV_DATA (default ../shared/data) and never copied.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?usage: scripts/dev-eval.sh OUT [train] [validation] [written] [probe]}
shift
PARTS=${*:-train validation written probe}
DATA=${NEWSQA_DEV_DATA:-../shared/data}
STORES=${NEWSQA_DEV_STORES:-.newsqa/dev-stores}
N=.venv/bin/newsqa
export GRADIO_ANALYTICS_ENABLED=False HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 ANONYMIZED_TELEMETRY=False
mkdir -p "$OUT" "$STORES"

store() {  # name, articles...: the store folder, ingested on first use
    local name=$1; shift
    if [ ! -d "$STORES/$name" ]; then
        echo "building the $name store" >&2
        $N ingest --quiet --store "$STORES/$name" "$@" >&2
    fi
    echo "$STORES/$name"
}

run() {  # report name, question file, store, split, backend
    echo "$1" >&2
    $N eval --questions "$2" --store "$3" --split "$4" --backend "$5" --out "$OUT/$1" > "$OUT/$1.log" 2>&1 \
        || { echo "$1 failed: see $OUT/$1.log" >&2; return 1; }
}

dropped() {  # backend: rgb-dev's validation part with each question's own evidence removed
    echo "rgbdrop-$1" >&2
    $N eval --questions "$DATA/rgb-dev/questions.jsonl" --articles "$DATA/rgb-dev/articles.jsonl" \
        --drop-evidence each --split validation --backend "$1" --out "$OUT/rgbdrop-$1" > "$OUT/rgbdrop-$1.log" 2>&1
}

W=evals/data
for part in $PARTS; do
    case $part in
    train)
        run train-rtqa "$DATA/rtqa-dev/questions.jsonl" "$(store rtqa "$DATA/rtqa-dev/articles.jsonl")" train ranked
        run train-rgb "$DATA/rgb-dev/questions.jsonl" "$(store rgb "$DATA/rgb-dev/articles.jsonl")" train ranked
        run train-bundled "$W/sample.jsonl" "$(store demo newsqa/demo)" train ranked
        run train-written "$W/written/questions.jsonl" "$(store written "$W/written/articles")" train ranked ;;
    validation)
        for be in ranked extractive; do
            run "rtqa-$be" "$DATA/rtqa-dev/questions.jsonl" "$(store rtqa "$DATA/rtqa-dev/articles.jsonl")" validation "$be"
            run "rgb-$be" "$DATA/rgb-dev/questions.jsonl" "$(store rgb "$DATA/rgb-dev/articles.jsonl")" validation "$be"
            dropped "$be"
            run "bundled-$be" "$W/sample.jsonl" "$(store demo newsqa/demo)" all "$be"
        done ;;
    written)
        for be in ranked extractive; do
            run "written-$be" "$W/written/questions.jsonl" "$(store written "$W/written/articles")" validation "$be"
            for h in written-heldout written-heldout2; do
                run "$h-$be" "$W/$h/questions.jsonl" "$(store "$h" "$W/$h/articles")" all "$be"
            done
        done ;;
    probe)
        run probe "$W/written-probe/questions.jsonl" "$(store written-probe "$W/written-probe/articles")" all ranked
        for be in ranked extractive; do
            run "heldout3-$be" "$W/written-heldout3/questions.jsonl" \
                "$(store written-heldout3 "$W/written-heldout3/articles")" all "$be"
            run "heldout4-$be" "$W/written-heldout4/questions.jsonl" \
                "$(store written-heldout4 "$W/written-heldout4/articles")" all "$be"
            run "heldout5-$be" "$W/written-heldout5/questions.jsonl" \
                "$(store written-heldout5 "$W/written-heldout5/articles")" all "$be"
        done ;;
    *) echo "unknown part: $part (train, validation, written, probe)" >&2; exit 2 ;;
    esac
done
echo "reports in $OUT; compare two runs with: .venv/bin/python scripts/dev_compare.py OLD $OUT" >&2
