#!/usr/bin/env Rscript
# R side of scripts/check_public_data.py (the acceptance check on public data): exports R's
# bundled data sets and runs glmnet / cv.glmnet on the jobs the Python script lists. Not meant
# to be run by hand; the Python script calls it:
#
#   Rscript scripts/check_public_data.R export OUTDIR         mtcars, swiss, longley, MASS::Boston
#   Rscript scripts/check_public_data.R fit MANIFEST.csv OUTDIR
#   Rscript scripts/check_public_data.R cv  MANIFEST.csv OUTDIR
#
# cv's lambda column: a .bin file (explicit list), "default" (cv.glmnet's lambda = NULL: its
# fold fits then make their own lambda sequences, interpolated at the full-data lambdas) or
# "fullpath" (glmnet's full-data default path, computed first and passed explicitly).
#
# Every number crosses between Python and R as raw little-endian float64 (.bin files), so both
# solvers see bit-identical data and lambdas (R's decimal parser is not correctly rounded).
# Data file DATA.bin: n, p (as doubles), then the n x p design column-major, then y.

suppressPackageStartupMessages(library(glmnet))

args <- commandArgs(trailingOnly = TRUE)
mode <- args[1]

g17 <- function(v) sprintf("%.17g", v)

write_csv17 <- function(df, path) {
  lines <- apply(as.matrix(df), 1, function(r) paste(g17(r), collapse = ","))
  writeLines(c(paste(names(df), collapse = ","), lines), path)
}

read_data <- function(path) {
  con <- file(path, "rb"); on.exit(close(con))
  np <- readBin(con, "double", 2)
  n <- np[1]; p <- np[2]
  x <- matrix(readBin(con, "double", n * p), n, p)
  y <- readBin(con, "double", n)
  list(x = x, y = y)
}

read_doubles <- function(path) {
  con <- file(path, "rb"); on.exit(close(con))
  readBin(con, "double", file.info(path)$size / 8)
}

write_doubles <- function(v, path) {
  con <- file(path, "wb"); on.exit(close(con))
  writeBin(as.double(v), con)
}

# Runs expr, collecting its warnings instead of stopping.
with_warnings <- function(expr) {
  w <- character(0)
  val <- withCallingHandlers(expr, warning = function(c) {
    w <<- c(w, conditionMessage(c)); invokeRestart("muffleWarning")
  })
  list(value = val, warnings = paste(gsub("[\n,]", " ", w), collapse = " | "))
}

if (mode == "export") {
  dir <- args[2]
  write_csv17(mtcars, file.path(dir, "r_mtcars.csv"))
  write_csv17(swiss, file.path(dir, "r_swiss.csv"))
  write_csv17(longley, file.path(dir, "r_longley.csv"))
  if (requireNamespace("MASS", quietly = TRUE))
    write_csv17(MASS::Boston, file.path(dir, "r_boston.csv"))
  quit(status = 0)
}

if (mode == "fit") {
  man <- read.csv(args[2], stringsAsFactors = FALSE)
  out <- args[3]
  status <- data.frame(id = man$id, returned = NA_integer_, seconds = NA_real_,
                       warnings = "", stringsAsFactors = FALSE)
  cache <- list()
  for (i in seq_len(nrow(man))) {
    m <- man[i, ]
    if (is.null(cache[[m$data]])) cache[[m$data]] <- read_data(m$data)
    d <- cache[[m$data]]
    lam <- if (m$lambda == "default") NULL else read_doubles(m$lambda)
    t0 <- proc.time()[["elapsed"]]
    r <- with_warnings(tryCatch(
      glmnet(d$x, d$y, family = m$family, alpha = m$alpha, lambda = lam,
             standardize = m$standardize == 1, intercept = m$intercept == 1,
             thresh = m$thresh, maxit = m$maxit),
      error = function(e) { warning(conditionMessage(e)); NULL }))
    status$seconds[i] <- proc.time()[["elapsed"]] - t0
    status$warnings[i] <- r$warnings
    fit <- r$value
    if (is.null(fit)) { status$returned[i] <- -1L; next }
    cf <- as.matrix(coef(fit))  # (p + 1) x nlambda: intercept, then original-scale betas
    status$returned[i] <- length(fit$lambda)
    # rows: lambda, a0, b1..bp, one column per lambda
    write_doubles(rbind(fit$lambda, cf), file.path(out, paste0(m$id, ".bin")))
  }
  write.csv(status, file.path(out, "status.csv"), row.names = FALSE)
  quit(status = 0)
}

if (mode == "cv") {
  man <- read.csv(args[2], stringsAsFactors = FALSE)
  out <- args[3]
  status <- data.frame(id = man$id, lambda.min = NA_real_, lambda.1se = NA_real_,
                       returned = NA_integer_, warnings = "", stringsAsFactors = FALSE)
  for (i in seq_len(nrow(man))) {
    m <- man[i, ]
    d <- read_data(m$data)
    foldid <- scan(m$foldid, quiet = TRUE)
    lam <- if (m$lambda == "default") NULL
           else if (m$lambda == "fullpath")  # the full-data default path, passed explicitly
             glmnet(d$x, d$y, family = m$family, alpha = m$alpha, thresh = m$thresh,
                    maxit = m$maxit)$lambda
           else read_doubles(m$lambda)
    r <- with_warnings(tryCatch(
      cv.glmnet(d$x, d$y, family = m$family, alpha = m$alpha, lambda = lam,
                foldid = foldid, type.measure = m$measure, thresh = m$thresh,
                maxit = m$maxit),
      error = function(e) { warning(conditionMessage(e)); NULL }))
    status$warnings[i] <- r$warnings
    cv <- r$value
    if (is.null(cv)) { status$returned[i] <- -1L; next }
    status$lambda.min[i] <- cv$lambda.min
    status$lambda.1se[i] <- cv$lambda.1se
    status$returned[i] <- length(cv$lambda)
    write_doubles(rbind(cv$lambda, cv$cvm, cv$cvsd, cv$nzero),
                  file.path(out, paste0(m$id, ".bin")))
    write_doubles(c(cv$lambda.min, cv$lambda.1se), file.path(out, paste0(m$id, "_sel.bin")))
  }
  write.csv(status, file.path(out, "status.csv"), row.names = FALSE)
  quit(status = 0)
}

stop("unknown mode: ", mode)
