#!/usr/bin/env Rscript
# The poisson family against R glmnet (Debian 12: r-cran-glmnet 4.1-6), for
# tests/test_poisson.cpp. Seeded; run from the repository root:
#
#   Rscript scripts/make_poisson_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/poisson_counts.csv        features x1..x8, then y (counts)
#   tests/data/poisson_foldid.csv        fold ids 1..5, one per row (for cv.glmnet)
#   tests/data/poisson_cases.csv         case,alpha,standardize,intercept,w1..w8 (penalty factors)
#   tests/data/poisson_ref.csv           case,lambda,dev_ratio,a0,b1..b8: glmnet(x, y, family =
#       "poisson", alpha, standardize, intercept, penalty.factor, nlambda = NLAM,
#       thresh = THRESH) on its own automatic path (lambda[1] is its lambda_max), coefficients on
#       the original scale, dev.ratio as glmnet reports it
#   tests/data/poisson_cv.csv            case,lambda,cvm,cvsd: cv.glmnet on that lambda list with
#       the fixed folds (type.measure "deviance", glmnet's default for poisson)
# The data: n = 200, p = 8 correlated N(0, 1) columns (rho = 0.4) scaled by 0.5 ... 3, counts
# y ~ Poisson(exp(0.3 + x b)) with 4 nonzero b. Cases: alpha 1 and 0.5 (standardized, with an
# intercept), alpha 1 without standardization, and alpha 0.5 with penalty factors 0.5 ... 2.
# glmnet's poisson objective: (1/n) sum_i [exp(eta_i) - y_i eta_i] + lambda [alpha ||bt||_1 +
# (1 - alpha)/2 ||bt||^2], bt the standardized coefficients. Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261203)

dir <- file.path("tests", "data")
THRESH <- 1e-14
NLAM <- 15
NFOLDS <- 5

g17 <- function(v) sprintf("%.17g", v + 0)
write_rows <- function(path, header, rows) {
  rows <- as.matrix(rows)
  lines <- apply(rows, 1, function(r) paste(g17(r), collapse = ","))
  writeLines(c(paste(header, collapse = ","), lines), path)
}

n <- 200; p <- 8
z <- matrix(rnorm(n * p), n, p)
x <- sqrt(0.6) * z + sqrt(0.4) * rnorm(n)
scales <- seq(0.5, 3, length.out = p)
x <- sweep(x, 2, scales, "*")
b <- c(0.5, 0, -0.4, 0, 0.3, 0, 0, -0.2) / scales
y <- rpois(n, exp(0.3 + drop(x %*% b)))
colnames(x) <- paste0("x", seq_len(p))
write_rows(file.path(dir, "poisson_counts.csv"), c(colnames(x), "y"), cbind(x, y))
foldid <- sample(rep(seq_len(NFOLDS), length.out = n))
write_rows(file.path(dir, "poisson_foldid.csv"), "foldid", foldid)

cases <- list(
  list(alpha = 1, standardize = TRUE, intercept = TRUE, w = rep(1, p)),
  list(alpha = 0.5, standardize = TRUE, intercept = TRUE, w = rep(1, p)),
  list(alpha = 1, standardize = FALSE, intercept = TRUE, w = rep(1, p)),
  list(alpha = 0.5, standardize = TRUE, intercept = TRUE, w = seq(0.5, 2, length.out = p)))
case_rows <- NULL; ref_rows <- NULL; cv_rows <- NULL
for (k in seq_along(cases)) {
  cs <- cases[[k]]
  args <- list(x = x, y = y, family = "poisson", alpha = cs$alpha, standardize = cs$standardize,
               intercept = cs$intercept, penalty.factor = cs$w, thresh = THRESH, maxit = 1e7)
  fit <- do.call(glmnet, c(args, list(nlambda = NLAM)))
  cf <- as.matrix(coef(fit))
  case_rows <- rbind(case_rows, c(k, cs$alpha, cs$standardize, cs$intercept, cs$w))
  ref_rows <- rbind(ref_rows, cbind(k, fit$lambda, fit$dev.ratio, t(cf)))
  cv <- do.call(cv.glmnet, c(args, list(lambda = fit$lambda, foldid = foldid)))
  cv_rows <- rbind(cv_rows, cbind(k, cv$lambda, cv$cvm, cv$cvsd))
  cat(sprintf("case %d: alpha %g, standardize %d: lambda_max %.6g, %d lambdas\n", k, cs$alpha,
              cs$standardize, fit$lambda[1], length(fit$lambda)))
}
write_rows(file.path(dir, "poisson_cases.csv"),
           c("case", "alpha", "standardize", "intercept", paste0("w", seq_len(p))), case_rows)
write_rows(file.path(dir, "poisson_ref.csv"),
           c("case", "lambda", "dev_ratio", "a0", paste0("b", seq_len(p))), ref_rows)
write_rows(file.path(dir, "poisson_cv.csv"), c("case", "lambda", "cvm", "cvsd"), cv_rows)
