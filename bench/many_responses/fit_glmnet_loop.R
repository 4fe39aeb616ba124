#!/usr/bin/env Rscript
# R glmnet over many responses in one R process, for bench/many_responses/run (not meant to be
# run by hand):
#
#   Rscript fit_glmnet_loop.R DIR KEEP
#
# Reads DIR/{X.f64 (column-major n x p), Y.f64 (column-major n x m), meta.txt}, fits
# glmnet(x, Y[, k]) (gaussian, glmnet's defaults: 100 lambda on its own path, thresh 1e-7) for
# every response k and writes DIR/glmnet.info (seconds of the loop of glmnet() calls alone) and,
# for the first KEEP responses, DIR/glmnet_ref.csv: response,lambda,a0,b1..bp.
suppressPackageStartupMessages(library(glmnet))
args <- commandArgs(trailingOnly = TRUE)
dir <- args[1]; keep <- as.integer(args[2])
meta <- readLines(file.path(dir, "meta.txt"))
getm <- function(k) as.numeric(sub("^[^=]*=", "", meta[startsWith(meta, paste0(k, "="))][1]))
n <- getm("n"); p <- getm("p"); m <- getm("m")
rd <- function(f, len) {
  con <- file(f, "rb")
  on.exit(close(con))
  readBin(con, "double", n = len, size = 8, endian = "little")
}
x <- matrix(rd(file.path(dir, "X.f64"), n * p), n, p)
Y <- matrix(rd(file.path(dir, "Y.f64"), n * m), n, m)
fits <- vector("list", min(keep, m))
t0 <- proc.time()[["elapsed"]]
for (k in seq_len(m)) {
  fit <- glmnet(x, Y[, k], family = "gaussian")
  if (k <= keep) fits[[k]] <- fit
}
secs <- proc.time()[["elapsed"]] - t0
writeLines(sprintf("seconds=%.6f", secs), file.path(dir, "glmnet.info"))
rows <- NULL
for (k in seq_along(fits))
  rows <- rbind(rows, cbind(k, fits[[k]]$lambda, t(as.matrix(coef(fits[[k]])))))
write.table(rows, file.path(dir, "glmnet_ref.csv"), sep = ",", row.names = FALSE,
            col.names = c("response", "lambda", "a0", paste0("b", seq_len(p))))
