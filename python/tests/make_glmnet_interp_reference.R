#!/usr/bin/env Rscript
# glmnet's coef(fit, s) between and beyond the λ of a path (its lambda.interp), for the Python
# package's Path.coef / Path.predict tests. Run from the repository root:
#
#   Rscript python/tests/make_glmnet_interp_reference.R
#
# The fit: tests/data/tall.csv at the λ of tests/data/lambdas_tall.csv's group alpha = 1,
# standardize = 1, intercept = 1 (y there has mean 0 and 1/n-sd 1, so glmnet's λ is regpath's).
# Output: python/tests/data/glmnet_interp_tall.csv, one row per s: s, a0, b1..bp.
suppressPackageStartupMessages(library(glmnet))
options(warn = 2)
d <- read.csv(file.path("tests", "data", "tall.csv"))
x <- as.matrix(d[, setdiff(names(d), "y")])
y <- d$y
lam <- read.csv(file.path("tests", "data", "lambdas_tall.csv"))
lam <- lam$lambda[lam$alpha == 1 & lam$standardize == 1 & lam$intercept == 1]
fit <- glmnet(x, y, family = "gaussian", alpha = 1, lambda = lam, thresh = 1e-30, maxit = 1e7)
stopifnot(length(fit$lambda) == length(lam))
# beyond both ends, at a node, and between neighbours at several fractions
s <- c(2 * lam[1], lam[1], 0.7 * lam[1] + 0.3 * lam[2], lam[3],
       0.5 * (lam[4] + lam[5]), 0.9 * lam[7] + 0.1 * lam[8], lam[8], 0.5 * lam[8])
cf <- as.matrix(coef(fit, s = s, exact = FALSE))  # (p + 1) x length(s)
out <- cbind(s, t(cf))
colnames(out) <- c("s", "a0", paste0("b", seq_len(ncol(x))))
lines <- apply(out, 1, function(r) paste(sprintf("%.17g", r), collapse = ","))
writeLines(c(paste(colnames(out), collapse = ","), lines),
           file.path("python", "tests", "data", "glmnet_interp_tall.csv"))
