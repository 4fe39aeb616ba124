#!/usr/bin/env Rscript
# Penalty factors and exclusions (glmnet's penalty.factor and exclude): two problems, a few
# cases each, R glmnet's paths and cv.glmnet's curves (Debian 12: r-cran-glmnet 4.1-6), for
# tests/test_penalty_factors.cpp. Seeded; run from the repository root:
#
#   Rscript scripts/make_penalty_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/penalty_<problem>.csv         features x1..xp, then y
#   tests/data/penalty_cases_<problem>.csv   case,alpha,w1..wp,e1..ep,l1..lp,u1..up: the case's
#       penalty factors (w_j; 1 where excluded), how feature j is excluded (e_j = 0: not, 1: by
#       `exclude`, 2: by penalty.factor = Inf) and its lower / upper limits (original scale;
#       -1e300 / 1e300 stand for -Inf / Inf, which the test reads back as infinite)
#   tests/data/penalty_ref_<problem>.csv     case,lambda,a0,b1..bp: glmnet(x, y, family, alpha,
#       penalty.factor, exclude, nlambda = NLAM, thresh = THRESH) on its own automatic path (so
#       lambda[1] is glmnet's lambda_max with the factors), coefficients on the original scale
#   tests/data/penalty_lambda_max_gauss.csv  case,lambda_max: the cases with unpenalized features,
#       their lambda_max exactly (from lm's residual; glmnet's lambda[1] is iterative there)
#   tests/data/penalty_cv_<problem>.csv      case,lambda,cvm,cvsd: cv.glmnet on the same lambda
#       list with the fixed fold ids of tests/data/penalty_foldid_<problem>.csv (one id per row)
# with <problem> in
#   gauss  n = 120, p = 10, correlated N(0, 1) columns (rho = 0.5), y = X b + noise, columns with
#          scales 0.5 ... 4 (standardize = TRUE); family gaussian
#   binom  n = 160, p = 8, the same kind of columns, y ~ Bernoulli(logistic(X b)); family binomial
# Cases: "factors" (factors 0.25 ... 3, none excluded), "exclude" (factors, features 3 and 7
# excluded by exclude), "inf" (factors, feature 2 excluded by a factor of Inf), each at
# alpha = 1 and alpha = 0.5; then "limits" (factors, lower.limits = -0.3 for all, upper.limits
# 0.4 on features 1 and 6, Inf elsewhere) and "positive" (lower.limits = 0, no factors), at
# alpha = 1 and 0.5; for gauss also "zero" (the factors with features 1 and 4 unpenalized:
# factor 0) and "zero-exclude" (feature 2 unpenalized, feature 7 excluded, other factors 1), at
# alpha = 1 and 0.5. Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261202)

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
correlated <- function(n, p, rho) {
  z <- matrix(rnorm(n * p), n, p)
  common <- rnorm(n)
  x <- sqrt(1 - rho) * z + sqrt(rho) * common
  sweep(x, 2, seq(0.5, 4, length.out = p), "*")
}

make_problem <- function(name, family, n, p) {
  x <- correlated(n, p, 0.5)
  b <- c(2, -1.5, 1, 0, 0, 0.5, 0, -0.8, rep(0, p - 8)) / seq(0.5, 4, length.out = p)
  eta <- drop(x %*% b)
  y <- if (family == "gaussian") eta + rnorm(n) else rbinom(n, 1, 1 / (1 + exp(-eta)))
  colnames(x) <- paste0("x", seq_len(p))
  write_rows(file.path(dir, paste0("penalty_", name, ".csv")), c(colnames(x), "y"), cbind(x, y))
  foldid <- sample(rep(seq_len(NFOLDS), length.out = n))
  write_rows(file.path(dir, paste0("penalty_foldid_", name, ".csv")), "foldid", foldid)

  w <- round(seq(0.25, 3, length.out = p)[sample(p)], 2)
  cases <- list()
  none_lo <- rep(-Inf, p); none_hi <- rep(Inf, p)
  for (alpha in c(1, 0.5)) {
    cases[[length(cases) + 1]] <- list(name = "factors", alpha = alpha, w = w, e = rep(0, p),
                                       lo = none_lo, hi = none_hi)
    e <- rep(0, p); e[c(3, 7)] <- 1
    cases[[length(cases) + 1]] <- list(name = "exclude", alpha = alpha, w = w, e = e,
                                       lo = none_lo, hi = none_hi)
    e <- rep(0, p); e[2] <- 2
    cases[[length(cases) + 1]] <- list(name = "inf", alpha = alpha, w = w, e = e,
                                       lo = none_lo, hi = none_hi)
  }
  for (alpha in c(1, 0.5)) {
    hi <- none_hi; hi[c(1, 6)] <- 0.4
    cases[[length(cases) + 1]] <- list(name = "limits", alpha = alpha, w = w, e = rep(0, p),
                                       lo = rep(-0.3, p), hi = hi)
    cases[[length(cases) + 1]] <- list(name = "positive", alpha = alpha, w = rep(1, p),
                                       e = rep(0, p), lo = rep(0, p), hi = none_hi)
  }
  if (family == "gaussian") {
    # unpenalized features (factor 0: 1 and 4), one of them alone (2), and with an exclusion
    for (alpha in c(1, 0.5)) {
      wz <- w; wz[c(1, 4)] <- 0
      cases[[length(cases) + 1]] <- list(name = "zero", alpha = alpha, w = wz, e = rep(0, p),
                                         lo = none_lo, hi = none_hi)
      wz <- rep(1, p); wz[2] <- 0
      e <- rep(0, p); e[7] <- 1
      cases[[length(cases) + 1]] <- list(name = "zero-exclude", alpha = alpha, w = wz, e = e,
                                         lo = none_lo, hi = none_hi)
    }
  }
  case_rows <- NULL; ref_rows <- NULL; cv_rows <- NULL; exact_rows <- NULL
  for (k in seq_along(cases)) {
    cs <- cases[[k]]
    pf <- cs$w
    pf[cs$e == 2] <- Inf
    ex <- which(cs$e == 1)
    args <- list(x = x, y = y, family = family, alpha = cs$alpha, penalty.factor = pf,
                 lower.limits = cs$lo, upper.limits = cs$hi, nlambda = NLAM, thresh = THRESH,
                 maxit = 1e7)
    if (length(ex) > 0) args$exclude <- ex
    fit <- do.call(glmnet, args)
    cf <- as.matrix(coef(fit))
    wout <- cs$w; wout[cs$e != 0] <- 1
    finite <- function(v) pmin(pmax(v, -1e300), 1e300)
    case_rows <- rbind(case_rows, c(k, cs$alpha, wout, cs$e, finite(cs$lo), finite(cs$hi)))
    ref_rows <- rbind(ref_rows, cbind(k, fit$lambda, t(cf)))
    cvargs <- args
    cvargs$nlambda <- NULL
    cvargs$lambda <- fit$lambda
    cvargs$foldid <- foldid
    cv <- do.call(cv.glmnet, cvargs)
    cv_rows <- rbind(cv_rows, cbind(k, cv$lambda, cv$cvm, cv$cvsd))
    if (any(pf == 0)) {
      # lambda_max exactly: glmnet fits the unpenalized features by coordinate descent (to its
      # thresh), so its lambda[1] is off by ~1e-9; this is the least-squares residual's
      keep <- setdiff(seq_len(p), ex)
      sd1 <- function(v) sqrt(mean((v - mean(v))^2))
      xs <- scale(x, scale = apply(x, 2, sd1))
      r <- resid(lm(y ~ xs[, pf == 0]))
      vp <- pf; vp[ex] <- 1; vp <- vp * p / sum(vp)  # glmnet's rescaling (excluded: 1)
      pen <- keep[pf[keep] > 0]
      vpen <- vp[pen]
      exact <- max(abs(crossprod(xs[, pen], r)) / length(y) / vpen) / cs$alpha
      exact_rows <- rbind(exact_rows, c(k, exact))
    }
    cat(sprintf("%s case %d (%s, alpha %g): lambda_max %.6g, %d lambdas\n", name, k, cs$name,
                cs$alpha, fit$lambda[1], length(fit$lambda)))
  }
  write_rows(file.path(dir, paste0("penalty_cases_", name, ".csv")),
             c("case", "alpha", paste0("w", seq_len(p)), paste0("e", seq_len(p)),
               paste0("l", seq_len(p)), paste0("u", seq_len(p))), case_rows)
  write_rows(file.path(dir, paste0("penalty_ref_", name, ".csv")),
             c("case", "lambda", "a0", paste0("b", seq_len(p))), ref_rows)
  write_rows(file.path(dir, paste0("penalty_cv_", name, ".csv")),
             c("case", "lambda", "cvm", "cvsd"), cv_rows)
  if (!is.null(exact_rows))
    write_rows(file.path(dir, paste0("penalty_lambda_max_", name, ".csv")),
               c("case", "lambda_max"), exact_rows)
}

make_problem("gauss", "gaussian", 120, 10)
make_problem("binom", "binomial", 160, 8)
