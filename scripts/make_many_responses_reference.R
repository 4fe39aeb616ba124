#!/usr/bin/env Rscript
# Many responses sharing one design (issue 14): one X, m responses, R glmnet fitted to each
# response on its own (Debian 12: r-cran-glmnet 4.1-6), for tests/test_many_responses.cpp.
# Seeded; run from the repository root:
#
#   Rscript scripts/make_many_responses_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/many_<problem>.csv      features x1..xp, then the responses y1..ym
#   tests/data/many_ref_<problem>.csv  alpha,response,lambda,a0,b1..bp: glmnet(x, y_k, family,
#       alpha, nlambda = NLAM, thresh = THRESH) on its own automatic path (lambda[1] is that
#       response's lambda_max), coefficients on the original scale; response is 1-based
#   tests/data/many_cv_<problem>.csv   alpha,response,lambda,cvm,cvsd: cv.glmnet(x, y_k) on the same
#       lambda list with the fixed fold ids of tests/data/many_foldid_<problem>.csv
# with <problem> in
#   gauss  n = 90, p = 7, correlated columns with scales 0.5 ... 3; m = 4 responses of different
#          scales and sparsity (one pure noise); family gaussian, alpha 1 and 0.5
#   binom  n = 120, p = 5; m = 3 responses coded 0/1; family binomial, alpha 1 and 0.5
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261203)

dir <- file.path("tests", "data")
THRESH <- 1e-14
NLAM <- 20
NFOLDS <- 5

g17 <- function(v) sprintf("%.17g", v + 0)
write_rows <- function(path, header, rows) {
  rows <- as.matrix(rows)
  lines <- apply(rows, 1, function(r) paste(g17(r), collapse = ","))
  writeLines(c(paste(header, collapse = ","), lines), path)
}

make_problem <- function(name, family, n, p, m) {
  z <- matrix(rnorm(n * p), n, p)
  x <- sqrt(0.6) * z + sqrt(0.4) * rnorm(n)
  x <- sweep(x, 2, seq(0.5, 3, length.out = p), "*")
  colnames(x) <- paste0("x", seq_len(p))
  y <- matrix(0, n, m)
  for (k in seq_len(m)) {
    b <- rnorm(p) * rbinom(p, 1, 0.6) * (k != m)  # the last response: noise alone
    eta <- drop(x %*% b) / 2
    y[, k] <- if (family == "gaussian") 10^(k - 2) * (eta + rnorm(n)) + k
              else rbinom(n, 1, 1 / (1 + exp(-eta)))
  }
  colnames(y) <- paste0("y", seq_len(m))
  write_rows(file.path(dir, paste0("many_", name, ".csv")), c(colnames(x), colnames(y)),
             cbind(x, y))
  foldid <- sample(rep(seq_len(NFOLDS), length.out = n))
  write_rows(file.path(dir, paste0("many_foldid_", name, ".csv")), "foldid", foldid)
  ref_rows <- NULL; cv_rows <- NULL
  for (alpha in c(1, 0.5)) {
    for (k in seq_len(m)) {
      fit <- glmnet(x, y[, k], family = family, alpha = alpha, nlambda = NLAM, thresh = THRESH,
                    maxit = 1e7)
      cf <- as.matrix(coef(fit))
      ref_rows <- rbind(ref_rows, cbind(alpha, k, fit$lambda, t(cf)))
      cv <- cv.glmnet(x, y[, k], family = family, alpha = alpha, lambda = fit$lambda,
                      foldid = foldid, thresh = THRESH, maxit = 1e7)
      cv_rows <- rbind(cv_rows, cbind(alpha, k, cv$lambda, cv$cvm, cv$cvsd))
      cat(sprintf("%s alpha %g response %d: lambda_max %.6g, %d lambdas\n", name, alpha, k,
                  fit$lambda[1], length(fit$lambda)))
    }
  }
  write_rows(file.path(dir, paste0("many_ref_", name, ".csv")),
             c("alpha", "response", "lambda", "a0", paste0("b", seq_len(p))), ref_rows)
  write_rows(file.path(dir, paste0("many_cv_", name, ".csv")),
             c("alpha", "response", "lambda", "cvm", "cvsd"), cv_rows)
}

make_problem("gauss", "gaussian", 90, 7, 4)
make_problem("binom", "binomial", 120, 5, 3)
