#!/usr/bin/env Rscript
# Prediction references from R glmnet (Debian 12: r-cran-glmnet 4.1-6) for regpath predict/coef.
#
# Run from the repository root:   Rscript scripts/make_predict_reference.R
#
# Seeded data (set.seed(15)): 120 training rows and 25 held-out rows, p = 8 features x1..x8.
# Every fit uses an explicit lambda list (20 values log-spaced from the full-data lambda_max to
# 0.01 * lambda_max) and thresh = 1e-14, so that regpath, fitting the same list, has the same
# grid; predictions at s between grid points are then glmnet's linear interpolation in lambda
# (predict/coef with exact = FALSE, glmnet:::lambda.interp), and at s outside the path the
# nearest end.
#
# Outputs (tests/data/)
#   predict_<data>_train.csv    x1..x8,y           the training rows
#   predict_<data>_new.csv      the held-out rows, columns in another order plus an extra
#                               column "id" (regpath predict matches columns by name)
#   predict_<data>_lambdas.csv  lambda             the fitted list (descending)
#   predict_<name>_s.csv        s                  the requested lambda values
#   predict_<name>.csv          s1..sm             one row per held-out row, one column per s
#   predict_<name>_coef.csv     s,a0,b1..bp        coef(fit, s, exact = FALSE)
# with <data> in {gaussian, binomial} and <name> in
#   gaussian_link       glmnet(alpha = 0.5), predict(type = "link")
#   binomial_response   glmnet(family = "binomial", alpha = 1), predict(type = "response")
#   binomial_class      the same fit, predict(type = "class") (labels 0/1)
#   cv_gaussian         cv.glmnet(alpha = 1, foldid = predict_gaussian_foldid.csv),
#                       predict at s = "lambda.min" and "lambda.1se" (s1, s2), type "link"
#   cv_binomial         cv.glmnet(family = "binomial", alpha = 1, foldid = ...binomial_foldid),
#                       predict at "lambda.min" and "lambda.1se", type "response"
# and predict_<data>_foldid.csv (foldid, 1..5).
suppressPackageStartupMessages(library(glmnet))
set.seed(15)
out <- "tests/data"
n <- 120; m <- 25; p <- 8
fmt <- function(df, file) write.csv(df, file.path(out, file), row.names = FALSE, quote = FALSE)
num <- function(x) trimws(formatC(x, digits = 17, format = "g"))

make_data <- function(binomial) {
  X <- matrix(rnorm((n + m) * p), n + m, p) %*% diag(seq(0.5, 4, length.out = p))
  colnames(X) <- paste0("x", 1:p)
  beta <- c(1.5, -2, 0, 0, 0.7, 0, 0, -0.3)
  eta <- drop(X %*% beta) / 3 + 0.4
  y <- if (binomial) rbinom(n + m, 1, 1 / (1 + exp(-eta))) else eta + rnorm(n + m)
  list(x = X[1:n, ], y = y[1:n], new = X[(n + 1):(n + m), ])
}

lambda_list <- function(d, alpha, family) {
  # the full-data lambda_max, as glmnet computes it (standardized, intercept)
  f <- glmnet(d$x, d$y, family = family, alpha = alpha, nlambda = 5)
  exp(seq(log(f$lambda[1]), log(0.01 * f$lambda[1]), length.out = 20))
}

write_data <- function(d, tag, lambdas, foldid) {
  tr <- data.frame(d$x, y = d$y)
  fmt(data.frame(lapply(tr, num)), paste0("predict_", tag, "_train.csv"))
  nw <- data.frame(id = seq_len(m), d$new)[, c("id", rev(paste0("x", 1:p)))]
  fmt(data.frame(lapply(nw, num)), paste0("predict_", tag, "_new.csv"))
  fmt(data.frame(lambda = num(lambdas)), paste0("predict_", tag, "_lambdas.csv"))
  fmt(data.frame(foldid = foldid), paste0("predict_", tag, "_foldid.csv"))
}

write_prediction <- function(name, s, pred, cf) {
  fmt(data.frame(s = num(s)), paste0("predict_", name, "_s.csv"))
  pred <- matrix(as.numeric(pred), nrow = m)
  colnames(pred) <- paste0("s", seq_along(s))
  fmt(data.frame(apply(pred, 2, num)), paste0("predict_", name, ".csv"))
  if (!is.null(cf)) {
    cf <- as.matrix(cf)
    co <- data.frame(s = num(s), t(apply(cf, 2, num)))
    colnames(co) <- c("s", "a0", paste0("b", 1:p))
    fmt(co, paste0("predict_", name, "_coef.csv"))
  }
}

# s: grid points, points between them, beyond both ends
s_values <- function(lam) {
  k <- length(lam)
  c(lam[1] * 1.5, lam[1], 0.5 * (lam[3] + lam[4]), lam[7], 0.3 * lam[10] + 0.7 * lam[11],
    sqrt(lam[15] * lam[16]), lam[k], lam[k] / 2)
}

thresh <- 1e-14
for (tag in c("gaussian", "binomial")) {
  binomial <- tag == "binomial"
  family <- if (binomial) "binomial" else "gaussian"
  alpha <- if (binomial) 1 else 0.5
  d <- make_data(binomial)
  lam <- lambda_list(d, alpha, family)
  foldid <- rep_len(1:5, n)[sample(n)]
  write_data(d, tag, lam, foldid)
  fit <- glmnet(d$x, d$y, family = family, alpha = alpha, lambda = lam, thresh = thresh,
                maxit = 1e7)
  s <- s_values(lam)
  cf <- coef(fit, s = s, exact = FALSE)
  if (binomial) {
    write_prediction("binomial_response", s,
                     predict(fit, d$new, s = s, type = "response", exact = FALSE), cf)
    cls <- predict(fit, d$new, s = s, type = "class", exact = FALSE)
    write_prediction("binomial_class", s, as.numeric(cls), NULL)
  } else {
    write_prediction("gaussian_link", s,
                     predict(fit, d$new, s = s, type = "link", exact = FALSE), cf)
  }
  cvfit <- cv.glmnet(d$x, d$y, family = family, alpha = 1, lambda = lambda_list(d, 1, family),
                     foldid = foldid, thresh = thresh, maxit = 1e7)
  type <- if (binomial) "response" else "link"
  pr <- cbind(predict(cvfit, d$new, s = "lambda.min", type = type),
              predict(cvfit, d$new, s = "lambda.1se", type = type))
  cf <- cbind(coef(cvfit, s = "lambda.min"), coef(cvfit, s = "lambda.1se"))
  write_prediction(paste0("cv_", tag), c(cvfit$lambda.min, cvfit$lambda.1se), pr, cf)
  fmt(data.frame(lambda = num(lambda_list(d, 1, family))), paste0("predict_cv_", tag,
                                                                  "_lambdas.csv"))
}
cat("wrote tests/data/predict_*.csv\n")
