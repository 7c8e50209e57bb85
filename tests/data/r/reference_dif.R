# Simulated DIF data and reference DIF statistics from base R (run from tests/data/r/).
# difR is not in Debian, so the Mantel-Haenszel statistics come from stats::mantelhaen.test
# (continuity-corrected chi-square, common odds ratio) and the logistic-regression DIF from glm()
# (Swaminathan & Rogers 1990 likelihood-ratio tests, Nagelkerke R-squared as difR computes it).
# Matching criterion: the total score including the studied item; strata with fewer than 2 persons
# are dropped (they carry no information and mantelhaen.test refuses them).
# Output: ../dif_simulated.csv, ../reference_dif.json
suppressMessages(library(jsonlite))
set.seed(20240501)
n <- 1500; k <- 20
group <- rep(c(0L, 1L), c(800, 700))           # 0 = reference, 1 = focal
theta <- rnorm(n, mean = ifelse(group == 1, -0.3, 0))
a <- runif(k, 0.8, 2.0); b <- seq(-1.8, 1.8, length.out = k)
logit <- outer(theta, a) - matrix(a * b, n, k, byrow = TRUE)
logit[, 1] <- logit[, 1] - 0.9 * group                        # uniform DIF against the focal group
logit[, 2] <- logit[, 2] + 0.6 * group                        # uniform DIF favouring the focal group
logit[, 3] <- a[3] * (theta - b[3]) * ifelse(group == 1, 0.35, 1.6) / a[3]   # non-uniform DIF
resp <- matrix(as.integer(runif(n * k) < plogis(logit)), n, k)
colnames(resp) <- sprintf("i%02d", 1:k)
resp[sample(n * k, 60)] <- NA                                  # a few missing answers (scored 0 in total)
dat <- data.frame(resp, group = group)
write.csv(dat, "../dif_simulated.csv", row.names = FALSE, na = "")
total <- rowSums(resp, na.rm = TRUE)
mh <- list(); lr <- list()
for (j in colnames(resp)) {
  ok <- !is.na(resp[, j])
  y <- resp[ok, j]; g <- group[ok]; s <- total[ok]
  keep <- s %in% as.numeric(names(which(table(s) >= 2)))
  tab <- table(factor(g[keep], levels = c(0, 1)), factor(y[keep], levels = c(1, 0)), s[keep])
  m <- mantelhaen.test(tab, correct = TRUE)
  mh[[j]] <- list(chi_square = unname(m$statistic), p_value = m$p.value, alpha_mh = unname(m$estimate),
                  conf_low = m$conf.int[1], conf_high = m$conf.int[2],
                  d_dif = -2.35 * log(unname(m$estimate)))
  m0 <- glm(y ~ s, family = binomial); m1 <- glm(y ~ s + g, family = binomial)
  m2 <- glm(y ~ s * g, family = binomial)
  nag <- function(m) { nn <- length(m$y)
    (1 - exp((m$deviance - m$null.deviance) / nn)) / (1 - exp(-m$null.deviance / nn)) }
  lr[[j]] <- list(uniform_chi2 = deviance(m0) - deviance(m1), nonuniform_chi2 = deviance(m1) - deviance(m2),
                  combined_chi2 = deviance(m0) - deviance(m2),
                  r2_m0 = nag(m0), r2_m1 = nag(m1), r2_m2 = nag(m2))
}
write(toJSON(list(mantel_haenszel = mh, logistic = lr), digits = NA, auto_unbox = TRUE, pretty = TRUE),
      "../reference_dif.json")
