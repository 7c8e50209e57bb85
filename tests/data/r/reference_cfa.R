# Reference values for the Holzinger-Swineford three-factor CFA with lavaan (run from tests/data/r/).
# lavaan::cfa defaults: ML, first loading fixed to 1, factor covariances free, divisor N.
# Output: ../reference_cfa_hs.json
suppressMessages({library(lavaan); library(jsonlite)})
hs <- read.csv("../holzinger_swineford_1939.csv")
model <- "visual =~ x1 + x2 + x3
          textual =~ x4 + x5 + x6
          speed =~ x7 + x8 + x9"
fit <- cfa(model, data = hs)
fm <- fitMeasures(fit, c("chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "logl", "unrestricted.logl",
                         "aic", "bic", "baseline.chisq", "baseline.df"))
pe <- parameterEstimates(fit, standardized = TRUE)
ld <- pe[pe$op == "=~", ]
cv <- pe[pe$op == "~~" & pe$lhs != pe$rhs & pe$lhs %in% c("visual", "textual", "speed"), ]
rv <- pe[pe$op == "~~" & pe$lhs == pe$rhs & !(pe$lhs %in% c("visual", "textual", "speed")), ]
out <- list(
  fit = as.list(setNames(as.numeric(fm), names(fm))),
  loadings = list(factor = ld$lhs, item = ld$rhs, est = ld$est, se = ld$se, std_all = ld$std.all),
  factor_cov = list(lhs = cv$lhs, rhs = cv$rhs, est = cv$est, std_all = cv$std.all),
  residual_var = list(item = rv$lhs, est = rv$est),
  n_obs = nobs(fit))
write(toJSON(out, digits = NA, auto_unbox = TRUE, pretty = TRUE), "../reference_cfa_hs.json")
