#!/usr/bin/env Rscript
# Observation weights together with penalty factors of 0 (unpenalized features) in
# cross-validation: cv.glmnet's weighted curves on the weights reference's problems (the
# gaussian penalty_gauss.csv, n = 120, p = 10, with weights_gauss.csv; the binomial
# penalty_binom.csv with weights_binom.csv; both written by scripts/make_weights_reference.R,
# read here, not regenerated) with penalty.factor 0 for x1 and x4, on the fixed folds
# (penalty_foldid_gauss.csv, penalty_foldid_binom.csv) at glmnet's weighted λ list with those
# factors (Debian 12: r-cran-glmnet 4.1-6). Deterministic: no random numbers. Run from the
# repository root:
#
#   Rscript scripts/make_weights_pf0_reference.R
#
# Output (numbers with %.17g)
#   tests/data/weights_pf0_cv.csv   family,measure,lambda,cvm,cvsd in weights_cv.csv's codes
#       (family 1 gaussian, 2 binomial; measure 1 mse, 2 mae, 3 deviance):
#       cv.glmnet(x, y, family, weights = w, penalty.factor = pf, foldid, lambda, type.measure,
#       thresh = 1e-20), alpha = 1; gaussian mse and mae, binomial deviance
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)

dir <- file.path("tests", "data")
THRESH <- 1e-20
NLAM <- 30
problems <- list(
  list(code = 1, family = "gaussian", data = "penalty_gauss.csv", weights = "weights_gauss.csv",
       foldid = "penalty_foldid_gauss.csv", measures = c(mse = 1, mae = 2)),
  list(code = 2, family = "binomial", data = "penalty_binom.csv", weights = "weights_binom.csv",
       foldid = "penalty_foldid_binom.csv", measures = c(deviance = 3)))
rows <- list()
for (pr in problems) {
  d <- read.csv(file.path(dir, pr$data))
  x <- as.matrix(d[, setdiff(names(d), "y")])
  y <- d$y
  w <- read.csv(file.path(dir, pr$weights))$w
  foldid <- read.csv(file.path(dir, pr$foldid))$foldid
  pf <- rep(1, ncol(x))
  pf[c(1, 4)] <- 0
  lam <- glmnet(x, y, family = pr$family, weights = w, penalty.factor = pf, nlambda = NLAM,
                thresh = THRESH)$lambda
  for (m in names(pr$measures)) {
    cv <- cv.glmnet(x, y, family = pr$family, weights = w, penalty.factor = pf, foldid = foldid,
                    lambda = lam, type.measure = m, thresh = THRESH)
    rows[[length(rows) + 1]] <- data.frame(
      family = pr$code, measure = pr$measures[[m]], lambda = sprintf("%.17g", cv$lambda),
      cvm = sprintf("%.17g", cv$cvm), cvsd = sprintf("%.17g", cv$cvsd))
  }
}
write.csv(do.call(rbind, rows), file.path(dir, "weights_pf0_cv.csv"), row.names = FALSE,
          quote = FALSE)
