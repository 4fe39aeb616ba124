#!/usr/bin/env Rscript
# Unpenalized features (glmnet's penalty.factor = 0) in the GLM families binomial and poisson:
# R glmnet's paths and cv.glmnet's curves (Debian 12: r-cran-glmnet 4.1-6) for
# tests/test_glm_unpenalized.cpp. Seeded; run from the repository root:
#
#   Rscript scripts/make_glm_penalty_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly), <problem> in binom, pois:
#   tests/data/glm_zero_<problem>.csv        features x1..xp, then y, then weight and offset
#   tests/data/glm_zero_cases_<problem>.csv  case,alpha,weighted,w1..wp,e1..ep,l1..lp: the case's
#       penalty factors (w_j, 0 = unpenalized; 1 where excluded), how feature j is excluded
#       (e_j = 0: not, 1: by `exclude`), its lower limit (-1e300 stands for -Inf; no upper
#       limits), weighted = 1: the weights and the offset of the data file are given
#   tests/data/glm_zero_ref_<problem>.csv    case,lambda,dev_ratio,a0,b1..bp: glmnet(x, y,
#       family, alpha, penalty.factor, exclude, lower.limits, [weights, offset],
#       nlambda = NLAM, thresh = THRESH) on its own automatic path (lambda[1] is glmnet's
#       lambda_max: at the null model fitted with the unpenalized features), coefficients on
#       the original scale
#   tests/data/glm_zero_lambda_max_<problem>.csv  case,lambda_max: lambda_max from glm()'s fit
#       of the unpenalized features (IRLS to 1e-15; glmnet's lambda[1] comes from its own
#       iterative fit, to its thresh), the penalized standardized gradient's largest |g_j|/vp_j
#   tests/data/glm_zero_cv_<problem>.csv     case,lambda,cvm,cvsd: cv.glmnet on the same lambda
#       list with the fixed fold ids of tests/data/glm_zero_foldid_<problem>.csv
# Problems: n = 150, p = 8, correlated N(0, 1) columns (rho = 0.4) with scales 0.5 ... 3;
#   binom: y ~ Bernoulli(logistic(X b)); pois: y ~ Poisson(exp(0.3 + X b / 2)).
#   weights ~ U(0.5, 2), offset ~ N(0, 0.3²).
# Cases, each at alpha = 1 and 0.5: "one" (feature 1 unpenalized, the other factors 0.5 ... 2),
#   "two" (features 2 and 5 unpenalized, factors 1), "exclude-limits" (feature 3 unpenalized,
#   feature 6 excluded, lower.limits -0.2 on the penalized features), and "weights-offset"
#   (features 1 and 4 unpenalized, factors as "one", with the weights and the offset).
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261204)

dir <- file.path("tests", "data")
THRESH <- 1e-14
NLAM <- 30
NFOLDS <- 4

g17 <- function(v) sprintf("%.17g", v + 0)
write_rows <- function(path, header, rows) {
  rows <- as.matrix(rows)
  lines <- apply(rows, 1, function(r) paste(g17(r), collapse = ","))
  writeLines(c(paste(header, collapse = ","), lines), path)
}

make_problem <- function(name, family, n, p) {
  z <- matrix(rnorm(n * p), n, p)
  x <- sqrt(0.6) * z + sqrt(0.4) * rnorm(n)
  scales <- seq(0.5, 3, length.out = p)
  x <- sweep(x, 2, scales, "*")
  b <- c(1.2, -0.8, 0.6, 0, 0, 0.4, 0, -0.5)[seq_len(p)] / scales
  eta <- drop(x %*% b)
  y <- if (family == "binomial") rbinom(n, 1, 1 / (1 + exp(-eta))) else
    rpois(n, exp(0.3 + eta / 2))
  weight <- runif(n, 0.5, 2)
  offset <- rnorm(n, 0, 0.3)
  colnames(x) <- paste0("x", seq_len(p))
  write_rows(file.path(dir, paste0("glm_zero_", name, ".csv")),
             c(colnames(x), "y", "weight", "offset"), cbind(x, y, weight, offset))
  foldid <- sample(rep(seq_len(NFOLDS), length.out = n))
  write_rows(file.path(dir, paste0("glm_zero_foldid_", name, ".csv")), "foldid", foldid)

  w <- round(seq(0.5, 2, length.out = p)[sample(p)], 2)
  none_lo <- rep(-Inf, p)
  cases <- list()
  for (alpha in c(1, 0.5)) {
    wz <- w; wz[1] <- 0
    cases[[length(cases) + 1]] <- list(name = "one", alpha = alpha, w = wz, e = rep(0, p),
                                       lo = none_lo, weighted = 0)
    wz <- rep(1, p); wz[c(2, 5)] <- 0
    cases[[length(cases) + 1]] <- list(name = "two", alpha = alpha, w = wz, e = rep(0, p),
                                       lo = none_lo, weighted = 0)
    wz <- w; wz[3] <- 0
    e <- rep(0, p); e[6] <- 1
    lo <- rep(-0.2, p); lo[3] <- -Inf
    cases[[length(cases) + 1]] <- list(name = "exclude-limits", alpha = alpha, w = wz, e = e,
                                       lo = lo, weighted = 0)
    wz <- w; wz[c(1, 4)] <- 0
    cases[[length(cases) + 1]] <- list(name = "weights-offset", alpha = alpha, w = wz,
                                       e = rep(0, p), lo = none_lo, weighted = 1)
  }
  case_rows <- NULL; ref_rows <- NULL; cv_rows <- NULL; exact_rows <- NULL
  for (k in seq_along(cases)) {
    cs <- cases[[k]]
    ex <- which(cs$e == 1)
    args <- list(x = x, y = y, family = family, alpha = cs$alpha, penalty.factor = cs$w,
                 lower.limits = cs$lo, nlambda = NLAM, thresh = THRESH, maxit = 1e7)
    if (length(ex) > 0) args$exclude <- ex
    if (cs$weighted == 1) {
      args$weights <- weight
      args$offset <- offset
    }
    fit <- do.call(glmnet, args)
    cf <- as.matrix(coef(fit))
    wout <- cs$w; wout[cs$e != 0] <- 1
    case_rows <- rbind(case_rows, c(k, cs$alpha, cs$weighted, wout, cs$e,
                                    pmax(cs$lo, -1e300)))
    ref_rows <- rbind(ref_rows, cbind(k, fit$lambda, fit$dev.ratio, t(cf)))
    cvargs <- args
    cvargs$nlambda <- NULL
    cvargs$lambda <- fit$lambda
    cvargs$foldid <- foldid
    cv <- do.call(cv.glmnet, cvargs)
    cv_rows <- rbind(cv_rows, cbind(k, cv$lambda, cv$cvm, cv$cvsd))
    # lambda_max at the unpenalized features' glm() fit, on glmnet's (weighted) standardization
    v <- if (cs$weighted == 1) weight / sum(weight) else rep(1 / n, n)
    o <- if (cs$weighted == 1) offset else rep(0, n)
    xs <- sweep(x, 2, colSums(v * x), "-")
    xs <- sweep(xs, 2, sqrt(colSums(v * xs^2)), "/")
    zero <- which(cs$w == 0 & cs$e == 0)
    # (non-integer weights are glm's warning for a binomial; its convergence is checked)
    null <- suppressWarnings(glm(y ~ xs[, zero], family = family, weights = v * n, offset = o,
                                 control = glm.control(epsilon = 1e-15, maxit = 100)))
    stopifnot(null$converged)
    vp <- cs$w; vp[ex] <- 1; vp <- vp * p / sum(vp)  # glmnet's rescaling (excluded: 1)
    pen <- which(cs$w > 0 & cs$e == 0)
    grad <- crossprod(xs[, pen], v * (y - fitted(null)))
    exact_rows <- rbind(exact_rows, c(k, max(abs(grad) / vp[pen]) / max(cs$alpha, 1e-3)))
    cat(sprintf("%s case %d (%s, alpha %g): lambda_max %.6g, %d lambdas\n", name, k, cs$name,
                cs$alpha, fit$lambda[1], length(fit$lambda)))
  }
  write_rows(file.path(dir, paste0("glm_zero_cases_", name, ".csv")),
             c("case", "alpha", "weighted", paste0("w", seq_len(p)), paste0("e", seq_len(p)),
               paste0("l", seq_len(p))), case_rows)
  write_rows(file.path(dir, paste0("glm_zero_ref_", name, ".csv")),
             c("case", "lambda", "dev_ratio", "a0", paste0("b", seq_len(p))), ref_rows)
  write_rows(file.path(dir, paste0("glm_zero_lambda_max_", name, ".csv")),
             c("case", "lambda_max"), exact_rows)
  write_rows(file.path(dir, paste0("glm_zero_cv_", name, ".csv")),
             c("case", "lambda", "cvm", "cvsd"), cv_rows)
}

make_problem("binom", "binomial", 150, 8)
make_problem("pois", "poisson", 150, 8)
