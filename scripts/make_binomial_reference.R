#!/usr/bin/env Rscript
# Binomial (logistic) reference paths and cross-validation references from R glmnet
# (Debian 12: r-cran-glmnet 4.1-6).
#
# Run from the repository root AFTER scripts/make_binomial_reference.py, which writes the
# problems, the lambda lists and the fold ids read here:
#
#   Rscript scripts/make_binomial_reference.R
#
# Outputs
#   tests/data/binom_ref_<problem>_glmnet.csv   problem in {tall, wide}; long format
#       alpha,standardize,intercept,lambda,a0,b1..bp (original scale, as coef(fit)), from
#       glmnet(x, y, family = "binomial", alpha, lambda = binom_lambdas_<problem>.csv group,
#              standardize, intercept, thresh = THRESH, maxit = MAXIT)
#   tests/data/cv_<name>.csv          header lambda,cvm,cvsd,nzero (descending lambda)
#   tests/data/cv_<name>_select.csv   header lambda_min,lambda_1se
#   tests/data/cv_<name>_foldfits.csv header fold,lambda,a0,b1..bp: fold 0 is the full-data
#       fit (cv.glmnet's glmnet.fit), folds 1..K the per-fold fits
#       (glmnet on the rows with foldid != fold, same arguments as cv.glmnet's own fold fits;
#       the script checks their held-out linear predictors equal cv.glmnet's fit.preval), so
#       scripts/check_binomial_reference.py can recompute cvm/cvsd from the definitions.
#   with <name> in
#       tall_gaussian_a1  tests/data/tall.csv, y as stored, gaussian, alpha = 1, "mse"
#       binom_tall_a1     tests/data/binom_tall.csv, binomial, alpha = 1,   "deviance"
#       binom_tall_a05    tests/data/binom_tall.csv, binomial, alpha = 0.5, "deviance"
#   cv.glmnet(x, y, foldid = cv_foldid_<problem>.csv, lambda = 20 values log-spaced from the
#   FULL-data lambda_max down to 0.01 * lambda_max, standardize = TRUE, intercept = TRUE,
#   grouped = TRUE, keep = TRUE, thresh = THRESH, maxit = MAXIT).
#
# Conventions
#   Binomial objective (glmnet, on the standardized coefficients bt_j = b_j * s_j):
#     (1/n) sum_i [ log(1 + exp(eta_i)) - y_i eta_i ] + lambda [ alpha ||bt||_1
#                                                              + (1 - alpha)/2 ||bt||^2 ]
#     s_j = centred 1/n sd of column j if standardize (with or without intercept), else 1.
#   KKT (checked here for every fit, on the standardized scale, xt_j = (x_j - [mean_j]) / s_j,
#   mean subtracted only with an intercept):  g_j = xt_j^T (y - p) / n - lambda (1-alpha) bt_j
#     bt_j != 0:  g_j = lambda alpha sign(bt_j);   bt_j == 0:  |g_j| <= lambda alpha;
#     with an intercept also mean(y - p) = 0.  Violation reported relative to lambda.
#   lambda_max (binomial): max_j |xt_j^T (y - ybar)| / (n alpha) with an intercept,
#     y - 0.5 in place of y - ybar without one; gaussian: max_j |xt_j^T (y - ybar)| / (n alpha).
#   cv.glmnet (grouped = TRUE), K folds, fold k of size n_k, e_ik the loss of observation i
#   (in fold k) under the fit made without fold k:
#     fold error   E_k  = mean_{i in k} e_ik
#     cvm               = sum_k n_k E_k / sum_k n_k          (weighted mean, weights n_k)
#     cvsd              = sqrt( [sum_k n_k (E_k - cvm)^2 / sum_k n_k] / (K - 1) )
#     mse:       e = (y - yhat)^2
#     deviance:  e = -2 [ y log(q) + (1 - y) log(1 - q) ], q = min(max(phat, 1e-5), 1 - 1e-5)
#     nzero      = number of non-zero coefficients of the full-data fit at that lambda
#     lambda_min = largest lambda attaining min(cvm)
#     lambda_1se = largest lambda with cvm <= cvm[lambda_min] + cvsd[lambda_min]
#
# Every glmnet warning is fatal (options(warn = 2)); a KKT violation above KKT_TOL stops the
# script.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)

dir <- file.path("tests", "data")
# glmnet's thresh for the binomial family bounds max_j (weighted squared coefficient change)
# per coordinate-descent pass, relative to the null deviance, inside each IRLS step; like the
# gaussian references (scripts/make_reference_data.R) use a threshold far below double
# precision, so the passes run until they stop changing anything. The KKT check below is what
# certifies the result; MAXIT only guards against an endless loop (a path cut short would be
# caught by the length check).
THRESH <- 1e-30
MAXIT <- 1e7
KKT_TOL <- 1e-7
NLAM_CV <- 20
CV_RATIO <- 0.01

g17 <- function(v) sprintf("%.17g", v)
write_long <- function(path, header, rows) {
  rows <- as.matrix(rows)
  lines <- apply(rows, 1, function(r) paste(g17(r), collapse = ","))
  writeLines(c(paste(header, collapse = ","), lines), path)
}
read_problem <- function(name) {
  d <- as.matrix(read.csv(file.path(dir, paste0(name, ".csv"))))
  p <- ncol(d) - 1
  x <- d[, 1:p, drop = FALSE]
  colnames(x) <- NULL
  list(x = x, y = d[, p + 1], p = p, n = nrow(d))
}
sd1n <- function(x) sqrt(colMeans(sweep(x, 2, colMeans(x))^2))
xtilde <- function(x, standardize, intercept) {
  xt <- if (intercept) sweep(x, 2, colMeans(x)) else x
  if (standardize) xt <- sweep(xt, 2, sd1n(x), "/")
  xt
}

# Max KKT violation / lambda for one solution (family "binomial" or "gaussian"). glmnet
# divides a gaussian y by its 1/n sd (its root mean square without an intercept), which makes
# the ridge part of its penalty lambda*(1-alpha)/(2*ys)*||b||^2: the conditions use that.
kkt <- function(x, y, a0, b, lam, alpha, standardize, intercept, family) {
  ys <- if (family != "gaussian") 1 else if (intercept) sqrt(mean((y - mean(y))^2)) else sqrt(mean(y^2))
  s <- if (standardize) sd1n(x) else rep(1, ncol(x))
  eta <- a0 + drop(x %*% b)
  mu <- if (family == "binomial") 1 / (1 + exp(-eta)) else eta
  r <- y - mu
  xt <- xtilde(x, standardize, intercept)
  bt <- b * s
  g <- drop(crossprod(xt, r)) / length(y) - lam * (1 - alpha) / ys * bt
  v <- ifelse(bt != 0, abs(g - lam * alpha * sign(bt)), pmax(abs(g) - lam * alpha, 0))
  w <- max(v) / lam
  if (intercept) w <- max(w, abs(mean(r)) / lam)
  w
}

lambda_max <- function(x, y, alpha, standardize, intercept, family) {
  c0 <- if (intercept) mean(y) else if (family == "binomial") 0.5 else 0
  max(abs(crossprod(xtilde(x, standardize, intercept), y - c0))) / (length(y) * max(alpha, 1e-3))
}

# ------------------------------------------------------------------------------------
# Binomial reference paths
# ------------------------------------------------------------------------------------
for (prob in c("tall", "wide")) {
  d <- read_problem(paste0("binom_", prob))
  lam <- read.csv(file.path(dir, paste0("binom_lambdas_", prob, ".csv")))
  key <- paste(lam$alpha, lam$standardize, lam$intercept)
  out <- list()
  worst <- 0
  for (k in unique(key)) {
    g <- lam[key == k, ]
    a <- g$alpha[1]; s <- g$standardize[1] == 1; i <- g$intercept[1] == 1
    lm <- lambda_max(d$x, d$y, a, s, i, "binomial")
    if (abs(lm - g$lambda[1]) > 1e-13 * lm)
      stop(sprintf("%s %s: lambda_max %s vs list %s", prob, k, g17(lm), g17(g$lambda[1])))
    fit <- glmnet(d$x, d$y, family = "binomial", alpha = a, lambda = g$lambda,
                  standardize = s, intercept = i, thresh = THRESH, maxit = MAXIT)
    if (length(fit$lambda) != nrow(g))
      stop(sprintf("%s %s: glmnet returned %d of %d lambdas", prob, k,
                   length(fit$lambda), nrow(g)))
    if (!is.null(fit$jerr) && fit$jerr != 0)
      stop(sprintf("%s %s: glmnet jerr = %d", prob, k, fit$jerr))
    cf <- as.matrix(coef(fit))
    kk <- sapply(seq_len(nrow(g)), function(l)
      kkt(d$x, d$y, cf[1, l], cf[-1, l], g$lambda[l], a, s, i, "binomial"))
    if (any(cf[-1, 1] != 0)) cat(sprintf("  note: %s %s: max abs coef at lambda_max %.2e\n", prob, k, max(abs(cf[-1, 1]))))
    cat(sprintf("binom_%-4s alpha=%-3g std=%d int=%d  max KKT/lambda %.2e  nnz(last) %d\n",
                prob, a, s, i, max(kk), sum(cf[-1, nrow(g)] != 0)))
    worst <- max(worst, kk)
    out[[k]] <- cbind(a, as.integer(s), as.integer(i), g$lambda, t(cf))
  }
  if (worst > KKT_TOL) stop(sprintf("binom_%s: KKT violation %.2e > %.0e", prob, worst, KKT_TOL))
  write_long(file.path(dir, paste0("binom_ref_", prob, "_glmnet.csv")),
             c("alpha", "standardize", "intercept", "lambda", "a0", paste0("b", 1:d$p)),
             do.call(rbind, out))
}

# glmnet's own default binomial lambda sequences (nlambda = 100, default lambda.min.ratio; it
# may stop early, so what it returns is a prefix of regpath's path).
for (prob in c("tall", "wide")) {
  d <- read_problem(paste0("binom_", prob))
  dl <- list()
  for (a in c(1, 0.5, 0)) {
    for (st in list(c(1, 1), c(0, 1), c(1, 0))) {
      fit <- glmnet(d$x, d$y, family = "binomial", alpha = a, standardize = st[1] == 1,
                    intercept = st[2] == 1, thresh = 1e-10)
      dl[[length(dl) + 1]] <- cbind(a, st[1], st[2], fit$lambda)
    }
  }
  write_long(file.path(dir, paste0("binom_ref_", prob, "_glmnet_default_lambda.csv")),
             c("alpha", "standardize", "intercept", "lambda"), do.call(rbind, dl))
}

# ------------------------------------------------------------------------------------
# Cross-validation references
# ------------------------------------------------------------------------------------
cv_cases <- list(
  list(name = "tall_gaussian_a1", prob = "tall", family = "gaussian", alpha = 1,
       measure = "mse"),
  # α < 1: glmnet scales y by each fold's sd, so this one needs regpath's glmnet_y_scaling
  list(name = "tall_gaussian_a05", prob = "tall", family = "gaussian", alpha = 0.5,
       measure = "mse"),
  list(name = "binom_tall_a1", prob = "binom_tall", family = "binomial", alpha = 1,
       measure = "deviance"),
  list(name = "binom_tall_a05", prob = "binom_tall", family = "binomial", alpha = 0.5,
       measure = "deviance"))

for (cc in cv_cases) {
  d <- read_problem(cc$prob)
  foldid <- read.csv(file.path(dir, paste0("cv_foldid_", cc$prob, ".csv")))$foldid
  stopifnot(length(foldid) == d$n)
  lm <- lambda_max(d$x, d$y, cc$alpha, TRUE, TRUE, cc$family)
  lambda <- exp(seq(log(lm), log(CV_RATIO * lm), length.out = NLAM_CV))
  cv <- cv.glmnet(d$x, d$y, family = cc$family, alpha = cc$alpha, lambda = lambda,
                  foldid = foldid, type.measure = cc$measure, grouped = TRUE, keep = TRUE,
                  standardize = TRUE, intercept = TRUE, thresh = THRESH, maxit = MAXIT)
  stopifnot(length(cv$lambda) == NLAM_CV, all(cv$lambda == lambda))
  full <- cv$glmnet.fit
  cf <- as.matrix(coef(full))
  kw <- max(sapply(seq_along(lambda), function(l)
    kkt(d$x, d$y, cf[1, l], cf[-1, l], lambda[l], cc$alpha, TRUE, TRUE, cc$family)))

  # The fold fits, refitted with cv.glmnet's arguments; their held-out predictions must
  # reproduce cv.glmnet's prevalidated fit.
  K <- max(foldid)
  ff <- list(cbind(0, lambda, t(cf)))  # fold 0: the full-data fit (nzero comes from it)
  pred_diff <- 0
  for (k in 1:K) {
    tr <- foldid != k
    fk <- glmnet(d$x[tr, , drop = FALSE], d$y[tr], family = cc$family, alpha = cc$alpha,
                 lambda = lambda, standardize = TRUE, intercept = TRUE, thresh = THRESH,
                 maxit = MAXIT)
    stopifnot(length(fk$lambda) == NLAM_CV)
    ck <- as.matrix(coef(fk))
    for (l in seq_along(lambda))
      kw <- max(kw, kkt(d$x[tr, , drop = FALSE], d$y[tr], ck[1, l], ck[-1, l], lambda[l],
                        cc$alpha, TRUE, TRUE, cc$family))
    # fit.preval holds the link (eta), not the probability, for the binomial family
    pk <- predict(fk, d$x[!tr, , drop = FALSE], type = "link")
    pred_diff <- max(pred_diff, abs(pk - cv$fit.preval[!tr, ]))
    ff[[k + 1]] <- cbind(k, lambda, t(ck))
  }
  if (kw > KKT_TOL) stop(sprintf("cv %s: KKT violation %.2e", cc$name, kw))
  if (pred_diff > 1e-12) stop(sprintf("cv %s: fold refits differ from cv.glmnet by %.2e",
                                      cc$name, pred_diff))

  write_long(file.path(dir, paste0("cv_", cc$name, ".csv")),
             c("lambda", "cvm", "cvsd", "nzero"),
             cbind(cv$lambda, cv$cvm, cv$cvsd, cv$nzero))
  write_long(file.path(dir, paste0("cv_", cc$name, "_select.csv")),
             c("lambda_min", "lambda_1se"), cbind(cv$lambda.min, cv$lambda.1se))
  write_long(file.path(dir, paste0("cv_", cc$name, "_foldfits.csv")),
             c("fold", "lambda", "a0", paste0("b", 1:d$p)), do.call(rbind, ff))
  cat(sprintf("cv_%-17s lambda_min=%.6g (index %d) lambda_1se=%.6g (index %d)  max KKT/lambda %.2e  fold-refit vs fit.preval %.1e\n",
              cc$name, cv$lambda.min, match(cv$lambda.min, lambda), cv$lambda.1se,
              match(cv$lambda.1se, lambda), kw, pred_diff))
}

# ------------------------------------------------------------------------------------
# Cross-validation with cv.glmnet's automatic path (lambda = NULL): each fold fits its own
# path (its own lambda_max), ended early as glmnet ends paths, and predicts at the full-data
# lambda by linear interpolation in lambda (lambda.interp). Outputs cv_<name>.csv and
# cv_<name>_select.csv as above.
# ------------------------------------------------------------------------------------
cv_default_cases <- list(
  list(name = "tall_gaussian_a1_default", prob = "tall", family = "gaussian", alpha = 1,
       measure = "mse"),
  list(name = "tall_gaussian_a05_default", prob = "tall", family = "gaussian", alpha = 0.5,
       measure = "mse"),
  list(name = "binom_tall_a05_default", prob = "binom_tall", family = "binomial",
       alpha = 0.5, measure = "deviance"))

for (cc in cv_default_cases) {
  d <- read_problem(cc$prob)
  foldid <- read.csv(file.path(dir, paste0("cv_foldid_", cc$prob, ".csv")))$foldid
  cv <- cv.glmnet(d$x, d$y, family = cc$family, alpha = cc$alpha, foldid = foldid,
                  type.measure = cc$measure, grouped = TRUE, standardize = TRUE,
                  intercept = TRUE, thresh = THRESH, maxit = MAXIT)
  write_long(file.path(dir, paste0("cv_", cc$name, ".csv")),
             c("lambda", "cvm", "cvsd", "nzero"),
             cbind(cv$lambda, cv$cvm, cv$cvsd, cv$nzero))
  write_long(file.path(dir, paste0("cv_", cc$name, "_select.csv")),
             c("lambda_min", "lambda_1se"), cbind(cv$lambda.min, cv$lambda.1se))
  cat(sprintf("cv_%-26s %d lambda, lambda_min=%.6g lambda_1se=%.6g\n", cc$name,
              length(cv$lambda), cv$lambda.min, cv$lambda.1se))
}
