#!/usr/bin/env bash
# Regenerate data/diabetes.csv and the reference solutions under tests/data/, then
# cross-check them. Run from the repository root on Debian 12:
#
#   scripts/make_reference_data.sh
#
# Uses only Debian packages (no PyPI/CRAN access needed): scikit-learn 1.2.1 and
# glmnet 4.1-6 from bookworm. Debian's /usr/bin/python3 is used explicitly because a
# python3 earlier on PATH (pyenv, venv) would not see the apt-installed sklearn.
set -euo pipefail

cd "$(dirname "$0")/.."

PKGS=(python3-sklearn python3-numpy python3-scipy r-cran-glmnet)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

PY=/usr/bin/python3
# Python first: it writes the problem data and the lambda lists the R script reads.
"$PY" scripts/make_reference_data.py
Rscript scripts/make_reference_data.R
"$PY" scripts/check_reference_data.py

# Binomial (logistic) paths and cross-validation references (tests/data/binom_*, cv_*).
# Python first again: it writes the binomial problems, lambda lists and fold ids the R script reads.
"$PY" scripts/make_binomial_reference.py
Rscript scripts/make_binomial_reference.R
"$PY" scripts/check_binomial_reference.py

# Logistic problems for the proximal-Newton fallback (tests/data/newton_*): data and glmnet's
# KKT-checked solutions, both from the one seeded R script.
Rscript scripts/make_glm_newton_reference.R

# Predictions and coefficients at any λ (tests/data/predict_*): held-out rows predicted by
# glmnet's predict / coef with exact = FALSE, from the one seeded R script.
Rscript scripts/make_predict_reference.R
