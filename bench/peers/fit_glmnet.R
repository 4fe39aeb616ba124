#!/usr/bin/env Rscript
# One R glmnet fit for bench/peers/run (not meant to be run by hand).
#
#   Rscript fit_glmnet.R PROBLEM_DIR LAMBDA_FILE ALPHA THRESH OUT_PREFIX
#
# Reads PROBLEM_DIR/{X.f64 (column-major n x p), y.f64, meta.txt} and the lambda list
# (raw little-endian float64, descending), fits
# glmnet(x, y, alpha, lambda, thresh) with standardization and an intercept (glmnet's
# defaults otherwise) and writes OUT_PREFIX.coef.f64 ((p+1) x K, column-major: intercept,
# then the coefficients on the original scale), OUT_PREFIX.lambda.f64 and OUT_PREFIX.info
# (key=value lines: seconds of the glmnet() call alone, returned lambdas, jerr, warnings).
suppressPackageStartupMessages(library(glmnet))

args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; lamfile <- args[2]; alpha <- as.numeric(args[3]); thresh <- as.numeric(args[4])
out <- args[5]

meta <- readLines(file.path(dir, "meta.txt"))
getm <- function(k) as.numeric(sub("^[^=]*=", "", meta[startsWith(meta, paste0(k, "="))][1]))
n <- getm("n"); p <- getm("p")

rd <- function(f, len) {
  con <- file(f, "rb")
  on.exit(close(con))
  v <- readBin(con, "double", n = len, size = 8, endian = "little")
  if (length(v) != len) stop(sprintf("%s: read %d of %d values", f, length(v), len))
  v
}
x <- matrix(rd(file.path(dir, "X.f64"), n * p), n, p)
y <- rd(file.path(dir, "y.f64"), n)
lam <- rd(lamfile, file.info(lamfile)$size %/% 8)

warns <- character(0)
t0 <- proc.time()[["elapsed"]]
fit <- withCallingHandlers(
  glmnet(x, y, family = "gaussian", alpha = alpha, lambda = lam, thresh = thresh,
         standardize = TRUE, intercept = TRUE),
  warning = function(w) {
    warns <<- c(warns, conditionMessage(w))
    invokeRestart("muffleWarning")
  })
secs <- proc.time()[["elapsed"]] - t0

cf <- as.matrix(coef(fit))  # (p+1) x K
wb <- function(v, f) {
  con <- file(f, "wb")
  on.exit(close(con))
  writeBin(as.double(v), con, size = 8, endian = "little")
}
wb(cf, paste0(out, ".coef.f64"))
wb(fit$lambda, paste0(out, ".lambda.f64"))
jerr <- if (is.null(fit$jerr)) 0 else fit$jerr
writeLines(c(sprintf("seconds=%.6f", secs), sprintf("nlambda=%d", length(fit$lambda)),
             sprintf("jerr=%d", jerr),
             sprintf("warnings=%s", gsub("[\r\n=]", " ", paste(unique(warns), collapse = "; ")))),
           paste0(out, ".info"))
