#!/usr/bin/env Rscript
# Reference paths from R glmnet (Debian 12: r-cran-glmnet 4.1-6).
#
# Run from the repository root after scripts/make_reference_data.py, which writes the
# problem data and the lambda lists read here (so both references use bit-identical
# lambdas):
#
#   Rscript scripts/make_reference_data.R
#
# Outputs, per problem:
#   tests/data/ref_<problem>_glmnet.csv                 same long format as the sklearn file
#   tests/data/ref_<problem>_glmnet_default_lambda.csv  glmnet's own default lambda sequence
#
# Responses are stored with mean 0 and 1/n-sd 1: glmnet divides y by its sd internally,
# so only then does its lambda mean the same as in the documented objective.

suppressPackageStartupMessages(library(glmnet))
# A reference must not be produced from a fit glmnet itself complained about (e.g.
# "convergence for kth lambda value not reached"): make every warning fatal.
options(warn = 2)

problems <- c("tall", "wide", "diabetes_std")
dir <- file.path("tests", "data")

# thresh is glmnet's convergence threshold on max_j xv_j * (change in beta_j)^2 per
# coordinate-descent pass (y has unit variance, so it is effectively absolute). It
# bounds the *squared* change, so the usual 1e-14 leaves coefficients wrong by up to
# ~1e-5 here (measured against sklearn and against tighter glmnet fits: 1e-14 -> 1.4e-5,
# 1e-20 -> 1.4e-8, 1e-24 -> 1.4e-10). 1e-30 runs until the passes stop changing
# anything; it still terminates quickly on these problems, and a path cut short at
# maxit would be caught by the length check below.
THRESH <- 1e-30
MAXIT <- 1e7

g17 <- function(v) sprintf("%.17g", v)

write_long <- function(path, header, rows) {
  lines <- apply(rows, 1, function(r) paste(g17(r), collapse = ","))
  writeLines(c(paste(header, collapse = ","), lines), path)
}

for (prob in problems) {
  d <- as.matrix(read.csv(file.path(dir, paste0(prob, ".csv"))))
  p <- ncol(d) - 1
  x <- d[, 1:p, drop = FALSE]
  y <- d[, p + 1]
  colnames(x) <- NULL
  lam <- read.csv(file.path(dir, paste0("lambdas_", prob, ".csv")))

  # Groups in file order: (alpha, standardize, intercept), lambdas descending.
  key <- paste(lam$alpha, lam$standardize, lam$intercept)
  out <- list()
  for (k in unique(key)) {
    g <- lam[key == k, ]
    a <- g$alpha[1]; s <- g$standardize[1] == 1; i <- g$intercept[1] == 1
    fit <- glmnet(x, y, family = "gaussian", alpha = a, lambda = g$lambda,
                  standardize = s, intercept = i, thresh = THRESH, maxit = MAXIT)
    if (length(fit$lambda) != nrow(g))
      stop(sprintf("%s %s: glmnet returned %d of %d lambdas", prob, k,
                   length(fit$lambda), nrow(g)))
    if (!is.null(fit$jerr) && fit$jerr != 0)
      warning(sprintf("%s %s: glmnet jerr = %d", prob, k, fit$jerr))
    cf <- as.matrix(coef(fit))  # (p+1) x nlambda: intercept, then original-scale betas
    # Report the lambdas as passed (glmnet echoes them, but be explicit).
    out[[k]] <- cbind(a, as.integer(s), as.integer(i), g$lambda, t(cf))
  }
  write_long(file.path(dir, paste0("ref_", prob, "_glmnet.csv")),
             c("alpha", "standardize", "intercept", "lambda", "a0", paste0("b", 1:p)),
             do.call(rbind, out))

  # glmnet's own default sequence (nlambda = 100, default lambda.min.ratio). It may stop
  # early (deviance-ratio / change criteria); write what it returns.
  dl <- list()
  for (a in c(1, 0.5, 0)) {
    for (st in list(c(1, 1), c(0, 0))) {
      fit <- glmnet(x, y, family = "gaussian", alpha = a, standardize = st[1] == 1,
                    intercept = st[2] == 1, thresh = THRESH, maxit = MAXIT)
      dl[[length(dl) + 1]] <- cbind(a, st[1], st[2], fit$lambda)
    }
  }
  write_long(file.path(dir, paste0("ref_", prob, "_glmnet_default_lambda.csv")),
             c("alpha", "standardize", "intercept", "lambda"), do.call(rbind, dl))

  # Diagnostic only (not written): glmnet's first default lambda for all four settings,
  # to compare with lambda_max in make_reference_data.py (alpha = 1); for
  # standardize=1, intercept=0 it confirms glmnet scales by the centred 1/n sd without
  # centring. (glmnet fits the first
  # point with lambda = +big and reports lambda[1] extrapolated from lambda[2:3], so a
  # path of at least 3 values is needed for it to be meaningful.)
  for (st in list(c(1, 1), c(0, 1), c(1, 0), c(0, 0))) {
    fit <- glmnet(x, y, family = "gaussian", alpha = 1, standardize = st[1] == 1,
                  intercept = st[2] == 1)
    cat(sprintf("%-13s alpha=1 standardize=%d intercept=%d  glmnet lambda[1] = %s\n",
                prob, st[1], st[2], g17(fit$lambda[1])))
  }
  cat(sprintf("%-13s written (%d reference rows)\n", prob, nrow(lam)))
}
