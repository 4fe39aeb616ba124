#!/usr/bin/env Rscript
# Logistic problems on which plain FISTA stalls (badly scaled features without standardization,
# correlated uncentred features without an intercept, a near-separable small sample), their
# lambda lists and R glmnet's solutions (Debian 12: r-cran-glmnet 4.1-6), for
# tests/test_glm_newton.cpp (the proximal-Newton fallback, src/core/accel/glm_newton_polish.hpp).
# Seeded; run from the repository root:
#
#   Rscript scripts/make_glm_newton_reference.R
#
# Outputs (numbers printed with %.17g, so they read back exactly)
#   tests/data/newton_<problem>.csv              features x1..xp, then y (0/1)
#   tests/data/newton_ref_<problem>_glmnet.csv   long format alpha,standardize,intercept,lambda,
#       a0,b1..bp (original scale, as coef(fit)), from glmnet(x, y, family = "binomial", alpha,
#       lambda = the group's list, standardize, intercept, thresh = THRESH, maxit = MAXIT)
#   with <problem> in
#     scaled  n = 300, p = 8: latent correlated N(0, 1) columns (rho = 0.5) stored with scales
#             1e-3 ... 1e3 and some large means; groups alpha in {1, 0.5}, standardize = 0,
#             intercept = 1; 8 lambdas log-spaced from lambda_max / 2 down to 1e-7 lambda_max
#             (so the small-scale features enter)
#     corr    n = 200, p = 20: equicorrelated columns (rho = 0.95) with means 3 to 10 times their
#             sd (as in the breast-cancer data); alpha = 1, standardize = 1, intercept = 0;
#             8 lambdas from lambda_max / 2 down to 1e-3 lambda_max
#     sep     n = 40, p = 10, 8 positives, nearly separable (a strong signal); alpha in {1, 0.5},
#             standardize = 1, intercept = 1; 8 lambdas from lambda_max / 2 down to
#             1e-4 lambda_max
#
# Objective (glmnet's binomial family, on the standardized coefficients bt_j = b_j * s_j):
#   (1/n) sum_i [ log(1 + exp(eta_i)) - y_i eta_i ] + lambda [ alpha ||bt||_1
#                                                            + (1 - alpha)/2 ||bt||^2 ]
#   s_j = centred 1/n sd of column j if standardize (with or without intercept), else 1.
# Every lambda written has a KKT violation (on the standardized scale, relative to lambda; see
# kkt() below, the same as scripts/make_binomial_reference.R) at most KKT_TOL: a lambda where
# glmnet does not get there is dropped, and said so. Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261215)

dir <- file.path("tests", "data")
THRESH <- 1e-30
MAXIT <- 1e7
KKT_TOL <- 1e-7
NLAM <- 8

g17 <- function(v) sprintf("%.17g", v + 0)
write_rows <- function(path, header, rows) {
  rows <- as.matrix(rows)
  lines <- apply(rows, 1, function(r) paste(g17(r), collapse = ","))
  writeLines(c(paste(header, collapse = ","), lines), path)
}
sd1n <- function(x) sqrt(colMeans(sweep(x, 2, colMeans(x))^2))
xtilde <- function(x, standardize, intercept) {
  xt <- if (intercept) sweep(x, 2, colMeans(x)) else x
  if (standardize) xt <- sweep(xt, 2, sd1n(x), "/")
  xt
}
kkt <- function(x, y, a0, b, lam, alpha, standardize, intercept) {
  s <- if (standardize) sd1n(x) else rep(1, ncol(x))
  eta <- a0 + drop(x %*% b)
  r <- y - 1 / (1 + exp(-eta))
  bt <- b * s
  g <- drop(crossprod(xtilde(x, standardize, intercept), r)) / length(y) - lam * (1 - alpha) * bt
  v <- ifelse(bt != 0, abs(g - lam * alpha * sign(bt)), pmax(abs(g) - lam * alpha, 0))
  w <- max(v) / lam
  if (intercept) w <- max(w, abs(mean(r)) / lam)
  w
}
lambda_max <- function(x, y, alpha, standardize, intercept) {
  c0 <- if (intercept) mean(y) else 0.5
  max(abs(crossprod(xtilde(x, standardize, intercept), y - c0))) / (length(y) * max(alpha, 1e-3))
}
sigmoid <- function(t) 1 / (1 + exp(-t))
correlated <- function(n, p, rho) {
  z0 <- rnorm(n)
  sqrt(rho) * z0 + sqrt(1 - rho) * matrix(rnorm(n * p), n, p)
}

problems <- list()
# scaled: the latent Z has unit scale; what is stored is Z * scale + mean
Z <- correlated(300, 8, 0.5)
sc <- c(1e-3, 1e-2, 0.1, 1, 10, 100, 1e3, 1e3)
mn <- c(0, 0.05, 0, 2, 0, -300, 0, 5e3)
beta <- c(1, -0.8, 0.6, 0, 0.5, -0.4, 0.3, 0)
y <- as.numeric(runif(300) < sigmoid(drop(Z %*% beta) + 0.2))
problems$scaled <- list(x = sweep(sweep(Z, 2, sc, "*"), 2, mn, "+"), y = y,
                        groups = list(c(1, 0, 1), c(0.5, 0, 1)), ratio = 1e-7)
# corr: uncentred, strongly correlated, no intercept
Z <- correlated(200, 20, 0.95)
sdv <- exp(seq(log(0.5), log(50), length.out = 20))
mn <- sdv * seq(3, 10, length.out = 20)
beta <- c(1.5, 0, 0, -1.2, 0, 0, 0, 1, rep(0, 12))
y <- as.numeric(runif(200) < sigmoid(drop(Z %*% beta)))
problems$corr <- list(x = sweep(sweep(Z, 2, sdv, "*"), 2, mn, "+"), y = y,
                      groups = list(c(1, 1, 0)), ratio = 1e-3)
# sep: 8 positives out of 40 (fewer makes glmnet warn), a strong signal (nearly separable)
Z <- correlated(40, 10, 0.5)
eta <- 3 * Z[, 1] - 2 * Z[, 2] + 1.5 * Z[, 3]
y <- as.numeric(rank(-eta - 0.3 * rnorm(40)) <= 8)
problems$sep <- list(x = sweep(Z, 2, c(1, 2, 0.5, 1, 1, 3, 1, 1, 0.2, 1), "*"), y = y,
                     groups = list(c(1, 1, 1), c(0.5, 1, 1)), ratio = 1e-4)

for (name in names(problems)) {
  pr <- problems[[name]]
  x <- pr$x
  p <- ncol(x)
  write_rows(file.path(dir, paste0("newton_", name, ".csv")), c(paste0("x", 1:p), "y"),
             cbind(x, pr$y))
  # read back, so that glmnet sees exactly the doubles the tests read
  d <- as.matrix(read.csv(file.path(dir, paste0("newton_", name, ".csv"))))
  x <- d[, 1:p, drop = FALSE]
  colnames(x) <- NULL
  y <- d[, p + 1]
  out <- list()
  for (g in pr$groups) {
    a <- g[1]; s <- g[2] == 1; i <- g[3] == 1
    lm <- lambda_max(x, y, a, s, i)
    lam <- exp(seq(log(lm / 2), log(pr$ratio * lm), length.out = NLAM))
    fit <- glmnet(x, y, family = "binomial", alpha = a, lambda = lam, standardize = s,
                  intercept = i, thresh = THRESH, maxit = MAXIT)
    stopifnot(length(fit$lambda) == NLAM)
    cf <- as.matrix(coef(fit))
    kk <- sapply(seq_len(NLAM), function(l) kkt(x, y, cf[1, l], cf[-1, l], lam[l], a, s, i))
    keep <- kk <= KKT_TOL
    for (l in which(!keep))
      cat(sprintf("  dropped: %s alpha=%g lambda=%.3g (glmnet KKT/lambda %.2e)\n", name, a,
                  lam[l], kk[l]))
    cat(sprintf("newton_%-6s alpha=%-3g std=%d int=%d  %d lambdas, max KKT/lambda %.2e, nnz %s\n",
                name, a, s, i, sum(keep), max(kk[keep]),
                paste(colSums(cf[-1, keep, drop = FALSE] != 0), collapse = " ")))
    out[[length(out) + 1]] <- cbind(a, as.integer(s), as.integer(i), lam[keep],
                                    t(cf[, keep, drop = FALSE]))
  }
  write_rows(file.path(dir, paste0("newton_ref_", name, "_glmnet.csv")),
             c("alpha", "standardize", "intercept", "lambda", "a0", paste0("b", 1:p)),
             do.call(rbind, out))
}
