#!/usr/bin/env Rscript
# Observation weights (glmnet's `weights`): R glmnet's paths on the penalty reference's gaussian
# problem (tests/data/penalty_gauss.csv, n = 120, p = 10) with seeded weights, for
# tests/test_weights.cpp, and (for the GLM families and cross-validation) weighted binomial and
# poisson paths and weighted cv.glmnet curves (Debian 12: r-cran-glmnet 4.1-6). Run from the
# repository root:
#
#   Rscript scripts/make_weights_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/weights_gauss.csv       w: one weight per row of penalty_gauss.csv, U(0, 2) with
#                                      rows 5, 17 and 60 at 0 (a zero weight leaves a row out)
#   tests/data/weights_ref_gauss.csv   case,alpha,standardize,intercept,lambda,dev_ratio,a0,b1..bp:
#       glmnet(x, y, weights = w, alpha, standardize, intercept, nlambda = NLAM,
#       thresh = THRESH) on its own automatic path (lambda[1] is glmnet's weighted lambda_max)
# Cases: 1 alpha = 1; 2 alpha = 0.5; 3 alpha = 1, standardize = FALSE; 4 alpha = 0.5,
# intercept = FALSE; 5 alpha = 1 with weights 3·w (only the weights' ratios matter).
#   tests/data/weights_binom.csv, weights_poisson.csv   w for penalty_binom.csv (n = 160) and
#                                      poisson_counts.csv (n = 200): U(0, 2), rows 5, 17, 60 at 0
#   tests/data/weights_ref_binom.csv, weights_ref_poisson.csv   the gaussian file's columns:
#       glmnet(x, y, family, weights = w, alpha, standardize, nlambda = NLAM, thresh = THRESH);
#       cases 1 alpha = 1; 2 alpha = 0.5; 3 alpha = 1, standardize = FALSE
#   tests/data/weights_cv.csv   family,measure,lambda,cvm,cvsd (codes, for a numeric CSV: family
#       1 gaussian, 2 binomial, 3 poisson; measure 1 mse, 2 mae, 3 deviance, 4 class, 5 auc):
#       cv.glmnet(x, y, family, weights = w, foldid (penalty_foldid_gauss.csv,
#       penalty_foldid_binom.csv, poisson_foldid.csv), lambda = glmnet's weighted path (alpha
#       = 1), type.measure, thresh = THRESH), alpha = 1,
#       every type.measure of the family (gaussian mse, mae; binomial deviance, class, auc, mse,
#       mae; poisson deviance, mse, mae)
#   tests/data/weights_cv_folds.csv   measure,fold,weight_sum,k,error (measure coded): for the
#       gaussian cv of weights_cv.csv (mse, mae), each fold's weight sum and weighted mean
#       held-out error at the k-th λ, Σ w_i·e_i / Σ w_i from cv.glmnet's fit.preval: what cvm
#       and cvsd are made of
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261203)

dir <- file.path("tests", "data")
THRESH <- 1e-14
NLAM <- 15
FAMILIES <- c("gaussian", "binomial", "poisson")
MEASURES <- c("mse", "mae", "deviance", "class", "auc")

d <- read.csv(file.path(dir, "penalty_gauss.csv"))
x <- as.matrix(d[, setdiff(names(d), "y")])
y <- d$y
w <- runif(nrow(x), 0, 2)
w[c(5, 17, 60)] <- 0
write.csv(data.frame(w = sprintf("%.17g", w)), file.path(dir, "weights_gauss.csv"),
          row.names = FALSE, quote = FALSE)

cases <- list(list(alpha = 1, std = TRUE, icpt = TRUE, scale = 1),
              list(alpha = 0.5, std = TRUE, icpt = TRUE, scale = 1),
              list(alpha = 1, std = FALSE, icpt = TRUE, scale = 1),
              list(alpha = 0.5, std = TRUE, icpt = FALSE, scale = 1),
              list(alpha = 1, std = TRUE, icpt = TRUE, scale = 3))
rows <- list()
for (k in seq_along(cases)) {
  c <- cases[[k]]
  f <- glmnet(x, y, weights = c$scale * w, alpha = c$alpha, standardize = c$std,
              intercept = c$icpt, nlambda = NLAM, thresh = THRESH)
  b <- as.matrix(coef(f))
  rows[[k]] <- cbind(k, c$alpha, as.integer(c$std), as.integer(c$icpt), f$lambda, f$dev.ratio,
                     t(b))
}
out <- do.call(rbind, rows)
colnames(out) <- c("case", "alpha", "standardize", "intercept", "lambda", "dev_ratio", "a0",
                   paste0("b", seq_len(ncol(x))))
f17 <- apply(out, 2, function(v) sprintf("%.17g", v))
write.csv(f17, file.path(dir, "weights_ref_gauss.csv"), row.names = FALSE, quote = FALSE)

# The GLM families: weighted paths (the gaussian file's columns, intercept always on).
glm_paths <- function(x, y, w, family) {
  rows <- list()
  glm_cases <- list(list(alpha = 1, std = TRUE), list(alpha = 0.5, std = TRUE),
                    list(alpha = 1, std = FALSE))
  for (k in seq_along(glm_cases)) {
    c <- glm_cases[[k]]
    f <- glmnet(x, y, family = family, weights = w, alpha = c$alpha, standardize = c$std,
                nlambda = NLAM, thresh = THRESH)
    b <- as.matrix(coef(f))
    rows[[k]] <- cbind(k, c$alpha, as.integer(c$std), 1L, f$lambda, f$dev.ratio, t(b))
  }
  out <- do.call(rbind, rows)
  colnames(out) <- c("case", "alpha", "standardize", "intercept", "lambda", "dev_ratio", "a0",
                     paste0("b", seq_len(ncol(x))))
  out
}
write_f17 <- function(m, name) {
  write.csv(apply(m, 2, function(v) sprintf("%.17g", v)), file.path(dir, name),
            row.names = FALSE, quote = FALSE)
}
seeded_weights <- function(n) {
  v <- runif(n, 0, 2)
  v[c(5, 17, 60)] <- 0
  v
}

problems <- list(
  list(family = "gaussian", data = "penalty_gauss.csv", foldid = "penalty_foldid_gauss.csv",
       measures = c("mse", "mae")),
  list(family = "binomial", data = "penalty_binom.csv", foldid = "penalty_foldid_binom.csv",
       weights = "weights_binom.csv", ref = "weights_ref_binom.csv",
       measures = c("deviance", "class", "auc", "mse", "mae")),
  list(family = "poisson", data = "poisson_counts.csv", foldid = "poisson_foldid.csv",
       weights = "weights_poisson.csv", ref = "weights_ref_poisson.csv",
       measures = c("deviance", "mse", "mae")))
cv_rows <- list()
for (pr in problems) {
  d <- read.csv(file.path(dir, pr$data))
  x <- as.matrix(d[, setdiff(names(d), "y")])
  y <- d$y
  if (pr$family == "gaussian") {
    wv <- w
  } else {
    wv <- seeded_weights(nrow(x))
    write.csv(data.frame(w = sprintf("%.17g", wv)), file.path(dir, pr$weights),
              row.names = FALSE, quote = FALSE)
    write_f17(glm_paths(x, y, wv, pr$family), pr$ref)
  }
  foldid <- read.csv(file.path(dir, pr$foldid))$foldid
  lam <- glmnet(x, y, family = pr$family, weights = wv, nlambda = NLAM, thresh = THRESH)$lambda
  for (m in pr$measures) {
    cv <- cv.glmnet(x, y, family = pr$family, weights = wv, foldid = foldid, lambda = lam,
                    type.measure = m, thresh = THRESH)
    cv_rows[[length(cv_rows) + 1]] <- data.frame(
      family = match(pr$family, FAMILIES), measure = match(m, MEASURES),
      lambda = sprintf("%.17g", cv$lambda),
      cvm = sprintf("%.17g", cv$cvm), cvsd = sprintf("%.17g", cv$cvsd))
  }
}
write.csv(do.call(rbind, cv_rows), file.path(dir, "weights_cv.csv"), row.names = FALSE,
          quote = FALSE)

# The gaussian folds' weighted mean errors (from fit.preval), for cvm/cvsd's aggregation.
d <- read.csv(file.path(dir, "penalty_gauss.csv"))
x <- as.matrix(d[, setdiff(names(d), "y")])
y <- d$y
foldid <- read.csv(file.path(dir, "penalty_foldid_gauss.csv"))$foldid
lam <- glmnet(x, y, weights = w, nlambda = NLAM, thresh = THRESH)$lambda
fold_rows <- list()
for (m in c("mse", "mae")) {
  cv <- cv.glmnet(x, y, weights = w, foldid = foldid, lambda = lam, type.measure = m,
                  thresh = THRESH, keep = TRUE)
  pre <- cv$fit.preval[, seq_along(cv$lambda), drop = FALSE]
  e <- if (m == "mse") (y - pre)^2 else abs(y - pre)
  for (f in sort(unique(foldid))) {
    i <- foldid == f
    fold_rows[[length(fold_rows) + 1]] <- data.frame(
      measure = match(m, MEASURES), fold = f, weight_sum = sprintf("%.17g", sum(w[i])),
      k = seq_along(cv$lambda),
      error = sprintf("%.17g", colSums(w[i] * e[i, , drop = FALSE]) / sum(w[i])))
  }
}
write.csv(do.call(rbind, fold_rows), file.path(dir, "weights_cv_folds.csv"), row.names = FALSE,
          quote = FALSE)
