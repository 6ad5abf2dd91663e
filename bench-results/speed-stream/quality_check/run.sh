. /work/venv/bin/activate
for corpus in wiki reviews; do
  for code in old new; do
    if [ $code = old ]; then cd /tmp/old-wt; else cd /work/main; fi
    echo "$(date -u +%H:%M:%S) $corpus $code start $(python -c 'import fastai_embout.optim as o; print(o.__file__)' 2>/dev/null)" >> /tmp/exp/qc/times.txt
    PYTHONWARNINGS=ignore python -m fastai_embout bench curve --corpora $corpus --models embout --budgets 120 --out /tmp/exp/qc/$code > /tmp/exp/qc/$code-$corpus.log 2>&1
    echo "$(date -u +%H:%M:%S) $corpus $code done rc=$?" >> /tmp/exp/qc/times.txt
  done
done
