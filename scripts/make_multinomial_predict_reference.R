#!/usr/bin/env Rscript
# Multinomial prediction references from R glmnet (Debian 12: r-cran-glmnet 4.1-6) for
# tests/test_multinomial_model.cpp: predict(fit, newx, s, type, exact = FALSE) and
# coef(fit, s, exact = FALSE) of family = "multinomial" fits on held-out rows. Run from the
# repository root:
#
#   Rscript scripts/make_multinomial_predict_reference.R
#
# Seeded data (set.seed(20261204)): 140 training rows and 20 held-out rows, p = 6 features
# x1..x6, three classes labelled 2, 5 and 9 (not 0..C-1: the labels must come back as given).
# Every fit uses an explicit λ list (12 values log-spaced from the ungrouped α = 1 λ_max to
# 0.02 of it) and thresh = 1e-14, so that regpath, fitting the same list, has the same grid;
# predictions at s between grid points are then glmnet's lambda.interp, and beyond the path's
# ends those of the nearest end.
#
# Cases
#   1  ungrouped, α = 1
#   2  grouped, α = 0.5
#   3  ungrouped, α = 1, with an offset matrix (n × 3; the held-out rows' newoffset)
#   4  cv.glmnet ungrouped, α = 1, foldid multinom_predict_foldid.csv, at lambda.min and
#      lambda.1se (type.measure deviance)
#
# Outputs (tests/data/; numbers with %.17g, so they read back exactly)
#   multinom_predict_train.csv    y,x1..x6        the training rows (y in 2, 5, 9)
#   multinom_predict_new.csv      id,x6..x1       the held-out rows, columns in another order
#                                                 plus an extra column "id"
#   multinom_predict_offset.csv   o1,o2,o3        case 3's offset of the training rows
#   multinom_predict_newoffset.csv o1,o2,o3       ... and of the held-out rows
#   multinom_predict_foldid.csv   foldid          case 4's folds, 1..5
#   multinom_predict_lambdas.csv  lambda          the fitted list (descending)
#   multinom_predict_s.csv        case,s          the requested λ per case, in order
#   multinom_predict_ref.csv      case,s,row,class,link,response   one line per (s, row, class)
#                                 (row 1-based, class the label)
#   multinom_predict_class.csv    case,s,row,label                 predict(type = "class")
#   multinom_predict_coef.csv     case,s,class,a0,b1..b6           coef(fit, s, exact = FALSE)
# Every glmnet warning is fatal.
suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261204)

dir <- file.path("tests", "data")
THRESH <- 1e-14
n <- 140; m <- 20; p <- 6
labels <- c(2, 5, 9); C <- length(labels)
f17 <- function(v) sprintf("%.17g", v)
fmt <- function(df, file) {
  write.csv(data.frame(lapply(df, f17), check.names = FALSE), file.path(dir, file),
            row.names = FALSE, quote = FALSE)
}

x <- matrix(rnorm((n + m) * p), n + m, p)
x[, 2] <- 2 * x[, 2] + 1
x[, 4] <- 0.5 * x[, 4] - 1
colnames(x) <- paste0("x", 1:p)
B <- matrix(0, p, C)
B[1, ] <- c(0.9, -0.4, 0); B[2, ] <- c(0, 0.3, -0.3); B[3, ] <- c(-0.7, 0, 0.7)
B[5, ] <- c(0.3, 0.3, -0.5)
eta <- x %*% B + matrix(c(0.2, -0.1, 0), n + m, C, byrow = TRUE)
pr <- exp(eta) / rowSums(exp(eta))
y <- labels[apply(pr, 1, function(q) sample(1:C, 1, prob = q))]
offset <- matrix(round(rnorm((n + m) * C, sd = 0.4), 3), n + m, C)
colnames(offset) <- paste0("o", 1:C)
train <- 1:n; held <- (n + 1):(n + m)
foldid <- rep_len(1:5, n)[sample(n)]

fmt(data.frame(y = y[train], x[train, ]), "multinom_predict_train.csv")
fmt(data.frame(id = seq_len(m), x[held, rev(colnames(x))]), "multinom_predict_new.csv")
fmt(data.frame(offset[train, ]), "multinom_predict_offset.csv")
fmt(data.frame(offset[held, ]), "multinom_predict_newoffset.csv")
fmt(data.frame(foldid = foldid), "multinom_predict_foldid.csv")

# the λ list: from the ungrouped α = 1 λ_max of the training rows (glmnet's own)
lmax <- glmnet(x[train, ], factor(y[train]), family = "multinomial", nlambda = 3)$lambda[1]
lam <- exp(seq(log(lmax), log(0.02 * lmax), length.out = 12))
fmt(data.frame(lambda = lam), "multinom_predict_lambdas.csv")
# s: above the path, a grid point, between grid points (twice), the last λ, below the path
s_fit <- c(1.5 * lam[1], lam[3], 0.5 * (lam[4] + lam[5]), sqrt(lam[9] * lam[10]), lam[12],
           lam[12] / 3)

pred_rows <- list(); class_rows <- list(); coef_rows <- list(); s_rows <- list()
record <- function(case, s, link, resp, cls, cf) {
  for (k in seq_along(s)) {
    s_rows[[length(s_rows) + 1]] <<- c(case, s[k])
    for (i in 1:m) {
      for (c in 1:C)
        pred_rows[[length(pred_rows) + 1]] <<- c(case, s[k], i, labels[c], link[i, c, k],
                                                 resp[i, c, k])
      class_rows[[length(class_rows) + 1]] <<- c(case, s[k], i, as.numeric(cls[i, k]))
    }
    for (c in 1:C)
      coef_rows[[length(coef_rows) + 1]] <<- c(case, s[k], labels[c],
                                               as.numeric(as.matrix(cf[[c]])[, k]))
  }
}

cases <- list(list(g = "ungrouped", a = 1, off = FALSE), list(g = "grouped", a = 0.5, off = FALSE),
              list(g = "ungrouped", a = 1, off = TRUE))
for (k in seq_along(cases)) {
  cs <- cases[[k]]
  off <- if (cs$off) offset[train, ] else NULL
  newoff <- if (cs$off) offset[held, ] else NULL
  fit <- glmnet(x[train, ], factor(y[train]), family = "multinomial", alpha = cs$a,
                lambda = lam, type.multinomial = cs$g, offset = off, thresh = THRESH,
                maxit = 1e7)
  stopifnot(length(fit$lambda) == length(lam))
  pr_at <- function(type) predict(fit, x[held, ], s = s_fit, type = type, exact = FALSE,
                                  newoffset = newoff)
  record(k, s_fit, pr_at("link"), pr_at("response"), pr_at("class"),
         coef(fit, s = s_fit, exact = FALSE))
}

cvfit <- cv.glmnet(x[train, ], factor(y[train]), family = "multinomial", alpha = 1,
                   lambda = lam, foldid = foldid, thresh = THRESH, maxit = 1e7)
s_cv <- c(cvfit$lambda.min, cvfit$lambda.1se)
cv_at <- function(type) {
  abind <- function(a, b) array(c(a, b), c(dim(a)[1:2], 2))
  abind(predict(cvfit, x[held, ], s = "lambda.min", type = type),
        predict(cvfit, x[held, ], s = "lambda.1se", type = type))
}
cls <- cbind(predict(cvfit, x[held, ], s = "lambda.min", type = "class"),
             predict(cvfit, x[held, ], s = "lambda.1se", type = "class"))
cf_min <- coef(cvfit, s = "lambda.min"); cf_1se <- coef(cvfit, s = "lambda.1se")
record(4, s_cv, cv_at("link"), cv_at("response"), cls,
       lapply(1:C, function(c) cbind(cf_min[[c]], cf_1se[[c]])))

table_of <- function(rows, names) {
  t <- do.call(rbind, rows)
  colnames(t) <- names
  data.frame(t, check.names = FALSE)
}
fmt(table_of(s_rows, c("case", "s")), "multinom_predict_s.csv")
fmt(table_of(pred_rows, c("case", "s", "row", "class", "link", "response")),
    "multinom_predict_ref.csv")
fmt(table_of(class_rows, c("case", "s", "row", "label")), "multinom_predict_class.csv")
fmt(table_of(coef_rows, c("case", "s", "class", "a0", paste0("b", 1:p))),
    "multinom_predict_coef.csv")
cat("wrote tests/data/multinom_predict_*.csv\n")
