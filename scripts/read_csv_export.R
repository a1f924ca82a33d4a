#!/usr/bin/env Rscript
# Read IRDE's CSV export with base R and check it: every file's columns match codebook.csv, coded
# columns become factors whose levels are their vocabulary's codes (codes.csv, in vocabulary order)
# with no value outside them, dates, counts, scores and flags convert without loss.
#
#   Rscript scripts/read_csv_export.R [build/export/csv]
#
# Prints one "rows<TAB>file<TAB>n" line per file and one "levels<TAB>file<TAB>column<TAB>codes" line per
# coded column; stops with a message naming the file and column on the first problem.
# Everything is read as text first (colClasses = "character"), so CAMEO codes keep their leading zeros.

args <- commandArgs(trailingOnly = TRUE)
folder <- if (length(args) >= 1) args[1] else file.path("build", "export", "csv")

read_text <- function(path, na) {
  read.csv(path, colClasses = "character", fileEncoding = "UTF-8", na.strings = na, check.names = FALSE)
}

codebook <- read_text(file.path(folder, "codebook.csv"), character(0))
codes <- read_text(file.path(folder, "codes.csv"), character(0))
converters <- list(date = as.Date, integer = as.integer, number = as.numeric, boolean = as.logical)

for (file in unique(codebook$file)) {
  fields <- codebook[codebook$file == file, ]
  data <- read_text(file.path(folder, file), "")
  if (!identical(names(data), fields$field)) {
    stop(sprintf("%s: columns %s differ from codebook.csv (%s)", file,
                 paste(names(data), collapse = ","), paste(fields$field, collapse = ",")))
  }
  for (i in seq_len(nrow(fields))) {
    field <- fields$field[i]
    column <- data[[field]]
    vocabulary <- fields$vocabulary[i]
    if (vocabulary %in% codes$vocabulary) {
      levels <- codes$code[codes$vocabulary == vocabulary]
      unknown <- setdiff(unique(column[!is.na(column)]), levels)
      if (length(unknown) > 0) {
        stop(sprintf("%s: %s: not codes of %s: %s", file, field, vocabulary, paste(unknown, collapse = ", ")))
      }
      data[[field]] <- factor(column, levels = levels)
      cat(sprintf("levels\t%s\t%s\t%s\n", file, field, paste(levels(data[[field]]), collapse = ",")))
    } else if (fields$type[i] %in% names(converters)) {
      converted <- converters[[fields$type[i]]](column)
      lost <- !is.na(column) & is.na(converted)
      if (any(lost)) stop(sprintf("%s: %s: cannot read %s as %s", file, field, column[lost][1], fields$type[i]))
      data[[field]] <- converted
    }
  }
  cat(sprintf("rows\t%s\t%d\n", file, nrow(data)))
}
