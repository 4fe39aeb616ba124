#!/usr/bin/env bash
# `mpirun -np 3 regpath fit ...` as a user runs it (ctest mpi_cli, built with MPI):
# the path of the serial `regpath fit` on the same DATA.csv (to 1e-9 of the largest coefficient
# of each row), also from a .npy X, only rank 0 writing, the plot and model written; a bad cell
# in the last rank's block named once with DATA.csv's own line; predict refused by name; cv
# gives the serial cv.
#
# With CSV_TO_H5 (tests/csv_to_h5.cpp; built when the CLI reads HDF5) the same from an .h5 DATA.
#
#   tests/test_mpi_cli.sh REGPATH MPIEXEC DATA.csv WORK_DIR [CSV_TO_H5]
set -euo pipefail
regpath=${1:?REGPATH}
mpiexec=${2:?MPIEXEC}
data=${3:?DATA.csv}
work=${4:?WORK_DIR}
csv_to_h5=${5:-}
rm -rf "$work"
mkdir -p "$work"
die() { echo "FAILED: $*" >&2; exit 1; }
flags=()
if "$mpiexec" --version 2>&1 | grep -Eq "Open MPI|OpenRTE"; then flags=(--oversubscribe); fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # CI machines run as root
run3() { "$mpiexec" -n 3 "${flags[@]}" "$regpath" "$@"; }
# same_path TOL A.csv B.csv: each row of path B within TOL of A's largest coefficient (columns 3
# on; at least 1), the same number of rows (at least 10)
same_path() {
  awk -F, -v tol="$1" 'NR == FNR { if (FNR > 1) for (j = 1; j <= NF; ++j) a[FNR, j] = $j; last = FNR; next }
    FNR == 1 { next }
    { big = 1; worst = 0
      for (j = 3; j <= NF; ++j) { v = a[FNR, j] < 0 ? -a[FNR, j] : a[FNR, j]; if (v > big) big = v }
      for (j = 1; j <= NF; ++j) { d = $j - a[FNR, j]; if (d < 0) d = -d; if (d > worst) worst = d }
      if (worst > tol * big) { print "row " FNR ": differs by " worst; bad = 1 }
      rows++ }
    END { if (bad || rows < 10 || rows != last - 1) { print "rows " rows; exit 1 } }' "$2" "$3"
}

# same_curve TOL A.csv B.csv: every cell of B within TOL of A's (relative above 1), at least
# 10 rows
same_curve() {
  awk -F, -v tol="$1" 'NR == FNR { if (FNR > 1) for (j = 1; j <= NF; ++j) a[FNR, j] = $j; next }
    FNR == 1 { next }
    { for (j = 1; j <= NF; ++j) { v = a[FNR, j] < 0 ? -a[FNR, j] : a[FNR, j]; d = $j - a[FNR, j]
        if (d < 0) d = -d; if (d > tol * (v > 1 ? v : 1)) bad = 1 } rows++ }
    END { exit bad || rows < 10 }' "$2" "$3"
}

common=(--response y1 --exclude y2,y3,y4 --alpha 0.5 --tol 1e-12 --device cpu)
"$regpath" fit "$data" "${common[@]}" --quiet --output "$work/serial.csv" || die "serial fit"
run3 fit "$data" "${common[@]}" --output "$work/ranks.csv" --plot "$work/ranks.svg" \
  --save-model "$work/ranks.json" 2>"$work/ranks.err" ||
  { cat "$work/ranks.err"; die "mpirun fit"; }
cat "$work/ranks.err"
grep -q "ranks 3" "$work/ranks.err" || die "the summary does not say ranks 3"
[ "$(grep -c "wrote $work/ranks.csv" "$work/ranks.err")" = 1 ] || die "not one summary (rank 0's)"
[ -s "$work/ranks.svg" ] && [ -s "$work/ranks.json" ] || die "no plot or model"
same_path 1e-9 "$work/serial.csv" "$work/ranks.csv" || die "the ranks' path is not the serial one"
[ "$(wc -l <"$work/ranks.csv")" = 101 ] || die "the ranks' path has not 100 rows"
echo "OK: 3 ranks give the serial path (1e-9)"
"$regpath" predict "$work/ranks.json" "$data" --quiet --output "$work/pred.csv" ||
  die "the ranks' model does not predict"

# DATA.npy (Fortran-order float64, written here by perl) with --response-file: the same
perl -e '
  open(my $in, "<", $ARGV[0]) or die; <$in>;
  my @rows; while (<$in>) { chomp; my @c = split /,/; push @rows, [@c[0..6]]; }
  my ($n, $p) = (scalar @rows, 7);
  my $dict = "{\x27descr\x27: \x27<f8\x27, \x27fortran_order\x27: True, \x27shape\x27: ($n, $p), }";
  my $len = length($dict) + 1; my $pad = (64 - (10 + $len) % 64) % 64;
  print "\x93NUMPY\x01\x00", pack("v", $len + $pad), $dict, " " x $pad, "\n";
  for my $j (0..$p-1) { print pack("d<", $_->[$j]) for @rows; }' "$data" >"$work/X.npy"
cut -d, -f8 "$data" >"$work/y.csv"
"$regpath" fit "$work/X.npy" --response-file "$work/y.csv" --tol 1e-12 --device cpu --quiet \
  --output "$work/npy_serial.csv" || die "serial fit of X.npy"
run3 fit "$work/X.npy" --response-file "$work/y.csv" --tol 1e-12 --device cpu --quiet \
  --output "$work/npy_ranks.csv" || die "mpirun fit of X.npy"
awk -F, 'NR == FNR { if (FNR > 1) for (j = 1; j <= NF; ++j) a[FNR, j] = $j; next }
  FNR == 1 { next }
  { for (j = 1; j <= NF; ++j) { d = $j - a[FNR, j]; if (d < 0) d = -d; if (d > 1e-9) bad = 1 } }
  END { exit bad }' "$work/npy_serial.csv" "$work/npy_ranks.csv" ||
  die "the ranks' path of X.npy is not the serial one"
echo "OK: 3 ranks on X.npy (each its own rows) give the serial path"

# an HDF5 DATA (X (n, p) with feature names, or stored transposed; y a dataset or a response
# file): each rank reads its rows as a hyperslab; the serial path, fit and cv
if [ -n "$csv_to_h5" ]; then
  "$csv_to_h5" "$data" "$work/d.h5" X=1-7 Xt=1-7:t y=8 || die "csv_to_h5"
  same_file_path() {  # the serial path of X.npy to 1e-9 of each row's largest coefficient
    same_path 1e-9 "$work/npy_serial.csv" "$1"
  }
  for x in X Xt; do
    run3 fit "$work/d.h5" --x-dataset "$x" --y-dataset y --tol 1e-12 --device cpu \
      --output "$work/h5_$x.csv" 2>"$work/h5_$x.err" || { cat "$work/h5_$x.err"; die "mpirun fit of d.h5 $x"; }
    grep -q "ranks 3" "$work/h5_$x.err" || die "the .h5 summary does not say ranks 3"
    # the names come from the dataset's feature_names (x1..x7, as X.npy's defaults)
    same_file_path "$work/h5_$x.csv" || die "the ranks' path of d.h5 ($x) is not the serial one"
  done
  run3 fit "$work/d.h5" --x-dataset X --response-file "$work/y.csv" --tol 1e-12 --device cpu \
    --quiet --output "$work/h5_rf.csv" || die "mpirun fit of d.h5 --response-file"
  same_file_path "$work/h5_rf.csv" || die "d.h5 with --response-file: not the serial path"
  h5cv=(--x-dataset Xt --y-dataset y --tol 1e-12 --device cpu --nfolds 4 --seed 3 --quiet)
  "$regpath" cv "$work/d.h5" "${h5cv[@]}" --output "$work/h5cv_serial.csv" \
    >"$work/h5cv_serial.out" || die "serial cv of d.h5"
  run3 cv "$work/d.h5" "${h5cv[@]}" --output "$work/h5cv_ranks.csv" >"$work/h5cv_ranks.out" ||
    die "mpirun cv of d.h5"
  cmp -s "$work/h5cv_serial.out" "$work/h5cv_ranks.out" || die "d.h5 cv: selections differ"
  # a NaN in the last rank's rows: named once, by its row of the whole dataset
  awk -F, -v OFS=, 'NR == 85 { $2 = "nan" } 1' "$data" >"$work/nan.csv"
  "$csv_to_h5" "$work/nan.csv" "$work/nan.h5" X=1-7 y=8 || die "csv_to_h5 nan"
  if run3 fit "$work/nan.h5" --x-dataset X --y-dataset y --output "$work/nan_out.csv" \
    2>"$work/nan.err"; then die "a NaN in d.h5 was accepted"; fi
  cat "$work/nan.err"
  [ "$(grep -c "^error: " "$work/nan.err")" = 1 ] || die "not one error message (nan.h5)"
  grep -q "^error: rank 2: $work/nan.h5: dataset 'X': row 84, column 2: not finite: nan" \
    "$work/nan.err" || die "the NaN is not named by rank 2 and row 84"
  echo "OK: 3 ranks on an HDF5 DATA (each its own rows) give the serial path and cv"
fi

# several responses under mpirun (columns of DATA.csv, an m-column response file with X.npy or
# d.h5, an (n, m) --y-dataset): each response's path is a distributed fit, the serial one's rows
# to 1e-9; cv the serial cv's curves and selections; one model per response
many=(--response y1,y2,y3 --exclude y4 --tol 1e-12 --device cpu)
"$regpath" fit "$data" "${many[@]}" --quiet --output "$work/many_serial.csv" \
  --save-model "$work/ms_{response}.json" || die "serial fit of 3 responses"
run3 fit "$data" "${many[@]}" --output "$work/many_ranks.csv" --save-model "$work/mr_{response}.json" \
  2>"$work/many.err" || { cat "$work/many.err"; die "mpirun fit of 3 responses"; }
cat "$work/many.err"
grep -q "^regpath fit: 3 responses, 300 lambdas in all, .* n 90, p 8" "$work/many.err" ||
  die "the summary of 3 responses does not count every rank's rows"
grep -q "ranks 3" "$work/many.err" || die "the 3 responses' summary does not say ranks 3"
[ "$(wc -l <"$work/many_ranks.csv")" = 301 ] || die "not 3 × 100 rows"
same_path 1e-9 "$work/many_serial.csv" "$work/many_ranks.csv" ||
  die "the ranks' paths of 3 responses are not the serial ones"
for r in y1 y2 y3; do
  python3 - "$work/ms_$r.json" "$work/mr_$r.json" <<'PY' || die "model of $r: not the serial one"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for key in ("centers", "scales"):
    assert len(a["features"][key]) == len(b["features"][key]) > 0, key
    for x, y in zip(a["features"][key], b["features"][key]):
        assert abs(x - y) <= 1e-12 * max(1.0, abs(x)), (key, x, y)
PY
done
cut -d, -f8,9 "$data" >"$work/y12.csv"  # header y1,y2: two responses
"$regpath" fit "$work/X.npy" --response-file "$work/y12.csv" --tol 1e-12 --device cpu --quiet \
  --output "$work/npy_many_serial.csv" || die "serial fit of X.npy, 2 responses"
run3 fit "$work/X.npy" --response-file "$work/y12.csv" --tol 1e-12 --device cpu --quiet \
  --output "$work/npy_many_ranks.csv" || die "mpirun fit of X.npy, 2 responses"
same_path 1e-9 "$work/npy_many_serial.csv" "$work/npy_many_ranks.csv" ||
  die "the ranks' 2 responses of X.npy are not the serial ones"
if [ -n "$csv_to_h5" ]; then
  "$csv_to_h5" "$data" "$work/dm.h5" X=1-7 Y=8-10 || die "csv_to_h5 dm.h5"
  "$regpath" fit "$work/dm.h5" --x-dataset X --y-dataset Y --tol 1e-12 --device cpu --quiet \
    --output "$work/h5_many_serial.csv" || die "serial fit of dm.h5, 3 responses"
  run3 fit "$work/dm.h5" --x-dataset X --y-dataset Y --tol 1e-12 --device cpu --quiet \
    --output "$work/h5_many_ranks.csv" || die "mpirun fit of dm.h5, 3 responses"
  same_path 1e-9 "$work/h5_many_serial.csv" "$work/h5_many_ranks.csv" ||
    die "the ranks' 3 responses of dm.h5 are not the serial ones"
fi
mcv=(--response y1,y2 --exclude y3,y4 --tol 1e-12 --device cpu --nfolds 4 --seed 3)
awk 'NR > 1 { print (NR % 4) + 1 }' "$data" >"$work/folds.txt"
"$regpath" cv "$data" "${mcv[@]}" --quiet --output "$work/mcv_serial.csv" >"$work/mcv_serial.out" ||
  die "serial cv of 2 responses"
run3 cv "$data" "${mcv[@]}" --output "$work/mcv_ranks.csv" >"$work/mcv_ranks.out" \
  2>"$work/mcv.err" || { cat "$work/mcv.err"; die "mpirun cv of 2 responses"; }
grep -q "ranks 3, folds over ranks" "$work/mcv.err" || die "the 2 responses' cv summary does not say how"
cmp -s "$work/mcv_serial.out" "$work/mcv_ranks.out" ||
  { cat "$work/mcv_serial.out" "$work/mcv_ranks.out"; die "2 responses: selections differ"; }
same_curve 1e-9 "$work/mcv_serial.csv" "$work/mcv_ranks.csv" ||
  die "the ranks' CV.csv of 2 responses is not the serial one"
run3 cv "$data" "${mcv[@]}" --foldid "$work/folds.txt" --quiet --output "$work/mcvf_ranks.csv" \
  >"$work/mcvf_ranks.out" || die "mpirun cv of 2 responses --foldid"
"$regpath" cv "$data" "${mcv[@]}" --foldid "$work/folds.txt" --quiet \
  --output "$work/mcvf_serial.csv" >"$work/mcvf_serial.out" || die "serial cv of 2 responses --foldid"
cmp -s "$work/mcvf_serial.out" "$work/mcvf_ranks.out" || die "2 responses --foldid: selections differ"
# a response that is not 0/1 for binomial: one error, naming it, nothing written
if run3 fit "$data" --response y1,y2 --exclude y3,y4 --family binomial \
  --output "$work/mbad.csv" 2>"$work/mbad.err"; then die "a binomial response of reals was accepted"; fi
cat "$work/mbad.err"
[ "$(grep -c "^error: " "$work/mbad.err")" = 1 ] || die "not one error message (2 responses)"
grep -q "^error: rank 0: .*many_gauss.csv: response 'y1': " "$work/mbad.err" ||
  die "the error does not name the response"
[ ! -e "$work/mbad.csv" ] || die "an output was written after an error"
echo "OK: 3 ranks fit and cross-validate several responses as one process"

# a bad cell on line 80 (in the last rank's third of the file): one message, DATA.csv's line
awk -F, 'NR == 80 { $3 = "abc" } 1' OFS=, "$data" >"$work/bad.csv"
if run3 fit "$work/bad.csv" --response y1 --output "$work/bad_out.csv" 2>"$work/bad.err"; then
  die "a bad cell was accepted"
fi
cat "$work/bad.err"
[ "$(grep -c "^error: " "$work/bad.err")" = 1 ] || die "not one error message"
grep -q "^error: rank 2: $work/bad.csv: line 80, column 3 ('x3'): not a number: 'abc'" \
  "$work/bad.err" || die "the error does not name rank 2 and line 80"
[ ! -e "$work/bad_out.csv" ] || die "an output was written after an error"
if run3 predict "$work/ranks.json" "$data" --output "$work/p.csv" 2>"$work/p.err"; then
  die "predict ran under mpirun"
fi
grep -q "regpath predict does not run under mpirun yet" "$work/p.err" ||
  die "predict not refused by name"
echo "OK: errors named once, nothing written"

# cv under mpirun: the serial cv's curve (CV.csv to 1e-9) and selections, both ways of sharing
# the work (the rows over ranks by a tiny gather limit is not a CLI flag: the library tests it),
# the summary saying which, fold ids from a file
cvflags=(--response y1 --exclude y2,y3,y4 --tol 1e-12 --device cpu --nfolds 4 --seed 3)
"$regpath" cv "$data" "${cvflags[@]}" --quiet --output "$work/cv_serial.csv" \
  >"$work/cv_serial.out" || die "serial cv"
run3 cv "$data" "${cvflags[@]}" --output "$work/cv_ranks.csv" --plot "$work/cv_ranks.svg" \
  >"$work/cv_ranks.out" 2>"$work/cv_ranks.err" || { cat "$work/cv_ranks.err"; die "mpirun cv"; }
cat "$work/cv_ranks.err"
grep -q "ranks 3, folds over ranks" "$work/cv_ranks.err" || die "the cv summary does not say how"
[ "$(grep -c "wrote $work/cv_ranks.csv" "$work/cv_ranks.err")" = 1 ] || die "not one cv summary"
[ -s "$work/cv_ranks.svg" ] || die "no cv plot"
cmp -s "$work/cv_serial.out" "$work/cv_ranks.out" ||
  { cat "$work/cv_serial.out" "$work/cv_ranks.out"; die "lambda.min/1se differ from the serial"; }
same_curve 1e-9 "$work/cv_serial.csv" "$work/cv_ranks.csv" ||
  die "the ranks' CV.csv is not the serial one"
awk 'NR > 1 { print (NR % 4) + 1 }' "$data" >"$work/folds.txt"
"$regpath" cv "$data" "${cvflags[@]}" --foldid "$work/folds.txt" --quiet \
  --output "$work/cvf_serial.csv" >"$work/cvf_serial.out" || die "serial cv --foldid"
run3 cv "$data" "${cvflags[@]}" --foldid "$work/folds.txt" --quiet \
  --output "$work/cvf_ranks.csv" >"$work/cvf_ranks.out" || die "mpirun cv --foldid"
cmp -s "$work/cvf_serial.out" "$work/cvf_ranks.out" || die "--foldid: selections differ"
echo "OK: 3 ranks cross-validate as one process (random folds and --foldid)"
awk 'NR > 1 { print 0.5 + (NR % 3) * 0.5 }' "$data" >"$work/weights.txt"
"$regpath" cv "$data" "${cvflags[@]}" --weights "$work/weights.txt" --quiet \
  --output "$work/cvw_serial.csv" >"$work/cvw_serial.out" || die "serial cv --weights"
run3 cv "$data" "${cvflags[@]}" --weights "$work/weights.txt" --quiet \
  --output "$work/cvw_ranks.csv" >"$work/cvw_ranks.out" || die "mpirun cv --weights"
# the same selections; λ to rounding (the weighted λ_max is summed in another order there)
paste -d' ' "$work/cvw_serial.out" "$work/cvw_ranks.out" |
  awk '$1 != $3 || ($2 - $4) * ($2 - $4) > 1e-24 * $2 * $2 { bad = 1 } END { exit bad }' ||
  die "--weights: selections differ"
same_curve 1e-8 "$work/cvw_serial.csv" "$work/cvw_ranks.csv" ||
  die "--weights: the ranks' CV.csv is not the serial one"
echo "OK: 3 ranks cross-validate with --weights as one process"

# binomial under mpirun with --weights and --offset (a 0/1 response: y1 above its mean; the
# offset a column of DATA): the serial path to 1e-9 of each row's largest coefficient
awk -F, -v OFS=, 'NR == FNR { if (FNR > 1) { s += $8; m++ } next }
  FNR == 1 { print $0, "b", "off"; next }
  { print $0, ($8 > s / m ? 1 : 0), 0.1 * sin(FNR) }' "$data" "$data" >"$work/glm.csv"
glmflags=(--response b --exclude y1,y2,y3,y4 --family binomial --offset off --tol 1e-12
  --device cpu --weights "$work/weights.txt")
"$regpath" fit "$work/glm.csv" "${glmflags[@]}" --quiet --output "$work/glm_serial.csv" ||
  die "serial binomial fit"
run3 fit "$work/glm.csv" "${glmflags[@]}" --output "$work/glm_ranks.csv" 2>"$work/glm.err" ||
  { cat "$work/glm.err"; die "mpirun binomial fit"; }
grep -q "ranks 3" "$work/glm.err" || die "the binomial summary does not say ranks 3"
same_path 1e-9 "$work/glm_serial.csv" "$work/glm_ranks.csv" ||
  die "the ranks' binomial path is not the serial one"
echo "OK: 3 ranks give the serial binomial path with --weights and --offset"
# gaussian --weights under mpirun: the serial fit's transformation, its moments over the ranks
"$regpath" fit "$data" "${common[@]}" --weights "$work/weights.txt" --quiet \
  --output "$work/gw_serial.csv" || die "serial gaussian fit --weights"
run3 fit "$data" "${common[@]}" --weights "$work/weights.txt" --quiet \
  --output "$work/gw_ranks.csv" || die "mpirun gaussian fit --weights"
same_path 1e-9 "$work/gw_serial.csv" "$work/gw_ranks.csv" ||
  die "the ranks' weighted gaussian path is not the serial one"
echo "OK: 3 ranks give the serial weighted gaussian path"
# the saved model's standardization record (features' centers and scales): every rank's rows',
# the serial model's to rounding (fit and cv)
"$regpath" fit "$data" "${common[@]}" --quiet --output "$work/serial2.csv" \
  --save-model "$work/serial.json" || die "serial fit --save-model"
"$regpath" cv "$data" "${cvflags[@]}" --quiet --output "$work/cvm_serial.csv" \
  --save-model "$work/cv_serial.json" >/dev/null || die "serial cv --save-model"
run3 cv "$data" "${cvflags[@]}" --quiet --output "$work/cvm_ranks.csv" \
  --save-model "$work/cv_ranks.json" >/dev/null || die "mpirun cv --save-model"
for pair in "serial.json ranks.json" "cv_serial.json cv_ranks.json"; do
  set -- $pair
  python3 - "$work/$1" "$work/$2" <<'PY' || die "$2: its standardization record is not $1's"
import json, sys
a, b = (json.load(open(f))["features"] for f in sys.argv[1:3])
for key in ("centers", "scales"):
    assert len(a[key]) == len(b[key]) > 0, key
    for x, y in zip(a[key], b[key]):
        assert abs(x - y) <= 1e-12 * max(1.0, abs(x)), (key, x, y)
PY
done
echo "OK: the ranks' models record every row's standardization"
