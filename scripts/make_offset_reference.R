#!/usr/bin/env Rscript
# glmnet's offset: R glmnet's paths and cv.glmnet curves with a seeded offset on the problems of
# the weights reference (penalty_gauss.csv n = 120, penalty_binom.csv n = 160,
# poisson_counts.csv n = 200), for tests/test_offset.cpp (Debian 12: r-cran-glmnet 4.1-6). Run
# from the repository root, after scripts/make_weights_reference.R (whose weights files case 3
# reads):
#
#   Rscript scripts/make_offset_reference.R
#
# Outputs (numbers with %.17g, so they read back exactly)
#   tests/data/offset_gauss.csv, offset_binom.csv, offset_poisson.csv   offset: one value per
#       row, N(0, 1) gaussian, N(0, 0.5²) binomial, N(0, 0.3²) poisson (a log exposure)
#   tests/data/offset_ref_gauss.csv, offset_ref_binom.csv, offset_ref_poisson.csv
#       case,alpha,weighted,intercept,lambda,dev_ratio,a0,b1..bp:
#       glmnet(x, y, family, offset = o, alpha, weights = (weighted ? w : 1), intercept,
#       nlambda = NLAM, thresh = THRESH) on its own automatic path (lambda[1] is glmnet's λ_max
#       with the offset); cases 1 alpha = 1; 2 alpha = 0.5; 3 alpha = 1 with the weights files
#       (weights_gauss.csv, weights_binom.csv, weights_poisson.csv); 4 alpha = 1 without an
#       intercept (the null model is then η = o)
#   tests/data/offset_cv.csv   family,measure,lambda,cvm,cvsd (codes: family 1 gaussian,
#       2 binomial, 3 poisson; measure 1 mse, 2 mae, 3 deviance, 4 class, 5 auc):
#       cv.glmnet(x, y, family, offset = o, foldid (penalty_foldid_gauss.csv,
#       penalty_foldid_binom.csv, poisson_foldid.csv), lambda = case 1's path, type.measure,
#       thresh = THRESH), alpha = 1: gaussian mse; binomial deviance and auc; poisson deviance
#       and mse
#   tests/data/offset_newoffset_<tag>.csv (binom, poisson)   offset: N(0, sd²) offsets of the
#       first 12 rows as new data
#   tests/data/offset_predict.csv   family,row,s,link,response: predict(case 1's fit,
#       x[1:12, ], s, newoffset, type = "link" / "response", exact = FALSE) at s = lambda[4]
#       (on the grid) and sqrt(lambda[5]·lambda[6]) (interpolated), binomial and poisson
# Every glmnet warning is fatal.

suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
set.seed(20261204)

dir <- file.path("tests", "data")
THRESH <- 1e-14
NLAM <- 15
FAMILIES <- c("gaussian", "binomial", "poisson")
MEASURES <- c("mse", "mae", "deviance", "class", "auc")

write_f17 <- function(m, name) {
  write.csv(apply(m, 2, function(v) sprintf("%.17g", v)), file.path(dir, name),
            row.names = FALSE, quote = FALSE)
}

problems <- list(
  list(family = "gaussian", data = "penalty_gauss.csv", foldid = "penalty_foldid_gauss.csv",
       weights = "weights_gauss.csv", tag = "gauss", sd = 1, measures = c("mse")),
  list(family = "binomial", data = "penalty_binom.csv", foldid = "penalty_foldid_binom.csv",
       weights = "weights_binom.csv", tag = "binom", sd = 0.5,
       measures = c("deviance", "auc")),
  list(family = "poisson", data = "poisson_counts.csv", foldid = "poisson_foldid.csv",
       weights = "weights_poisson.csv", tag = "poisson", sd = 0.3,
       measures = c("deviance", "mse")))
cv_rows <- list()
predict_rows <- list()
for (pr in problems) {
  d <- read.csv(file.path(dir, pr$data))
  x <- as.matrix(d[, setdiff(names(d), "y")])
  y <- d$y
  off <- rnorm(nrow(x), 0, pr$sd)
  write.csv(data.frame(offset = sprintf("%.17g", off)),
            file.path(dir, paste0("offset_", pr$tag, ".csv")), row.names = FALSE, quote = FALSE)
  w <- read.csv(file.path(dir, pr$weights))$w
  cases <- list(list(alpha = 1, weighted = FALSE, icpt = TRUE),
                list(alpha = 0.5, weighted = FALSE, icpt = TRUE),
                list(alpha = 1, weighted = TRUE, icpt = TRUE),
                list(alpha = 1, weighted = FALSE, icpt = FALSE))
  rows <- list()
  for (k in seq_along(cases)) {
    c <- cases[[k]]
    wk <- if (c$weighted) w else rep(1, nrow(x))
    f <- glmnet(x, y, family = pr$family, offset = off, weights = wk, alpha = c$alpha,
                intercept = c$icpt, nlambda = NLAM, thresh = THRESH)
    b <- as.matrix(coef(f))
    rows[[k]] <- cbind(k, c$alpha, as.integer(c$weighted), as.integer(c$icpt), f$lambda,
                       f$dev.ratio, t(b))
  }
  out <- do.call(rbind, rows)
  colnames(out) <- c("case", "alpha", "weighted", "intercept", "lambda", "dev_ratio", "a0",
                     paste0("b", seq_len(ncol(x))))
  write_f17(out, paste0("offset_ref_", pr$tag, ".csv"))

  if (pr$family != "gaussian") {
    f <- glmnet(x, y, family = pr$family, offset = off, nlambda = NLAM, thresh = THRESH)
    newoff <- rnorm(12, 0, pr$sd)
    write.csv(data.frame(offset = sprintf("%.17g", newoff)),
              file.path(dir, paste0("offset_newoffset_", pr$tag, ".csv")), row.names = FALSE,
              quote = FALSE)
    for (s in c(f$lambda[4], sqrt(f$lambda[5] * f$lambda[6]))) {
      link <- predict(f, x[1:12, ], s = s, newoffset = newoff, type = "link", exact = FALSE)
      resp <- predict(f, x[1:12, ], s = s, newoffset = newoff, type = "response",
                      exact = FALSE)
      predict_rows[[length(predict_rows) + 1]] <- data.frame(
        family = match(pr$family, FAMILIES), row = 1:12, s = sprintf("%.17g", s),
        link = sprintf("%.17g", as.vector(link)), response = sprintf("%.17g", as.vector(resp)))
    }
  }
  foldid <- read.csv(file.path(dir, pr$foldid))$foldid
  lam <- glmnet(x, y, family = pr$family, offset = off, nlambda = NLAM, thresh = THRESH)$lambda
  for (m in pr$measures) {
    cv <- cv.glmnet(x, y, family = pr$family, offset = off, foldid = foldid, lambda = lam,
                    type.measure = m, thresh = THRESH)
    cv_rows[[length(cv_rows) + 1]] <- data.frame(
      family = match(pr$family, FAMILIES), measure = match(m, MEASURES),
      lambda = sprintf("%.17g", cv$lambda),
      cvm = sprintf("%.17g", cv$cvm), cvsd = sprintf("%.17g", cv$cvsd))
  }
}
write.csv(do.call(rbind, cv_rows), file.path(dir, "offset_cv.csv"), row.names = FALSE,
          quote = FALSE)
write.csv(do.call(rbind, predict_rows), file.path(dir, "offset_predict.csv"), row.names = FALSE,
          quote = FALSE)
