# Reference values for alpha, omega and item statistics on psych::bfi (run from tests/data/r/).
# Output: ../reference_reliability_bfi.json
suppressMessages({library(psych); library(jsonlite)})
bfi <- read.csv("../bfi.csv")
# psych's bfi.keys: reverse-keyed items are A1 C4 C5 E1 E2 O2 O5; items are 1..6, so reverse = 7 - x.
scales <- list(
  agreeableness = c("A1", "A2", "A3", "A4", "A5"),
  conscientiousness = c("C1", "C2", "C3", "C4", "C5"),
  extraversion = c("E1", "E2", "E3", "E4", "E5"),
  neuroticism = c("N1", "N2", "N3", "N4", "N5"),
  openness = c("O1", "O2", "O3", "O4", "O5"))
reversed <- c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
keyed <- bfi
for (v in reversed) keyed[[v]] <- 7 - keyed[[v]]
out <- list()
for (s in names(scales)) {
  x <- keyed[, scales[[s]]]
  a <- psych::alpha(x, warnings = FALSE)
  om <- suppressWarnings(suppressMessages(psych::omega(x, nfactors = 1, flip = FALSE, plot = FALSE)))
  out[[s]] <- list(
    items = scales[[s]],
    raw_alpha = a$total$raw_alpha,
    std_alpha = a$total$std.alpha,
    omega_total = om$omega.tot,
    item_total_r = unname(a$item.stats$raw.r),
    item_rest_r = unname(a$item.stats$r.drop),
    item_mean = unname(a$item.stats$mean),
    alpha_if_deleted = unname(a$alpha.drop$raw_alpha))
}
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "../reference_reliability_bfi.json")
