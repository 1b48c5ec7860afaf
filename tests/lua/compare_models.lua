-- radlab: comparing survival models: rad.compare_c, rad.td_auc with SEs and
-- contrasts, rad.cox_lrt.  SPDX-License-Identifier: GPL-3.0-or-later
--
-- Hand-worked cases first (no data needed), then the agreement with R on
-- ../shared/data/study/lung_cc.csv (see its README): Hmisc 4.8.0
-- rcorr.cens / rcorrp.cens, riskRegression 2022.11.28 Score, survival 3.5.
-- Reference comparisons print both values and the absolute difference, and
-- the worst difference; the tolerance is the README's 1e-6.
local T = require "rad.test"

-- ---- rad.compare_c by hand: 5 patients -------------------------------------------
--
-- id time event  a  b      comparable pairs (earlier event first), 8 in all:
--  1   1    1    3  2      (1,2) (1,3) (1,4) (1,5) (2,3) (2,4) (2,5) (4,5)
--  2   2    1    1  3      a: concordant 6, discordant (2,3) (2,4)   -> C_a = 6/8
--  3   3    0    2  1      b: discordant (1,2), tied (1,4)           -> C_b = 6.5/8
--  4   4    1    2  2
--  5   5    0    0  1
-- Per patient i: r_i = comparable pairs {4, 4, 2, 3, 3} (R = 16, R2 = 54) and
-- w_i = sum of +1 / -1 / 0 (concordant / discordant / tie).
--   a: w = {4, 0, 0, 1, 3}:  W = 8,  W2 = 26, RW = 28
--      v = R2 W^2 - 2 R W RW + W2 R^2 = 3456 - 7168 + 6656 = 2944
--      S.D.(Dxy) = 2 sqrt(v) / R^2 = sqrt(46) / 16, SE(C) = sqrt(46) / 32
--   b: w = {1, 2, 2, 2, 3}:  W = 10, W2 = 22, RW = 31, v = 5400 - 9920 + 5632 = 1112
--      SE(C) = sqrt(1112) / 256
--   b - a: w = {-3, 2, 2, 1, 0}: W = 2, W2 = 18, RW = 3, v = 216 - 192 + 4608 = 4632
--      SE(C_b - C_a) = sqrt(4632) / 256
--   rcorrp (a more concordant when its score difference exceeds b's):
--      pair (da, db): (1,2) (2,-1) +, (1,3) (1,1) 0, (1,4) (1,0) +, (1,5) (3,1) +,
--      (2,3) (-1,2) -, (2,4) (-1,1) -, (2,5) (1,2) -, (4,5) (2,1) +
--      Dxy = (4 - 3) / 8 = 0.125, a more 4/8, b more 3/8;
--      w = {3, -2, -1, 1, 1}: W = 2, W2 = 16, RW = 8, v = 216 - 512 + 4096 = 3800,
--      S.D. = 2 sqrt(3800) / 256
local hand = {time = {1, 2, 3, 4, 5}, event = {1, 1, 0, 1, 0}, a = {3, 1, 2, 2, 0}, b = {2, 3, 1, 2, 1}}
local r = rad.compare_c(hand)
T.is(r.pairs, 8, "hand: 8 comparable pairs")
T.near(r.c_a, 0.75, 1e-15, "hand: C_a = 6/8")
T.near(r.c_b, 0.8125, 1e-15, "hand: C_b = 6.5/8 (one tied score)")
T.near(r.se_a, math.sqrt(46) / 32, 1e-15, "hand: SE(C_a) = sqrt(46)/32")
T.near(r.se_b, math.sqrt(1112) / 256, 1e-15, "hand: SE(C_b) = sqrt(1112)/256")
T.near(r.delta, 0.0625, 1e-15, "hand: delta = C_b - C_a = 0.0625")
T.near(r.se_delta, math.sqrt(4632) / 256, 1e-15, "hand: SE(delta) = sqrt(4632)/256")
T.near(r.lower, 0.0625 - 1.959963984540054 * math.sqrt(4632) / 256, 1e-12, "hand: lower = delta - z se")
T.near(r.upper, 0.0625 + 1.959963984540054 * math.sqrt(4632) / 256, 1e-12, "hand: upper = delta + z se")
-- two-sided normal p of z = 0.0625 / (sqrt(4632) / 256) = 0.2350908398:
-- R 2 * pnorm(-0.2350908398) = 0.8141382283
T.near(r.p, 0.8141382283, 1e-9, "hand: p = 2 (1 - Phi(0.23509)) = 0.8141382283")
T.near(r.dxy, 0.125, 1e-15, "hand: rcorrp Dxy = 1/8")
T.near(r.dxy_sd, 2 * math.sqrt(3800) / 256, 1e-15, "hand: rcorrp S.D. = 2 sqrt(3800)/256")
T.near(r.a_more, 0.5, 1e-15, "hand: a more concordant in 4 of 8 pairs")
T.near(r.b_more, 0.375, 1e-15, "hand: b more concordant in 3 of 8 pairs")
T.is(r.n, 5, "hand: n")
T.is(r.events, 3, "hand: events")
T.like(r.method, "U-statistic", "hand: method says U-statistic")
-- columns of a table give the same as arrays
local ht = rad.table.new{{"t", hand.time}, {"e", hand.event}, {"sa", hand.a}, {"sb", hand.b}}
local rt = rad.compare_c{data = ht, time = "t", event = "e", a = "sa", b = hand.b}
T.near(rt.se_delta, r.se_delta, 0, "table columns and arrays give the same result")
-- swapping a and b: delta and rcorrp's Dxy change sign, the SEs stay
local rs = rad.compare_c{time = hand.time, event = hand.event, a = hand.b, b = hand.a}
T.near(rs.delta, -r.delta, 1e-15, "swap: delta changes sign")
T.near(rs.se_delta, r.se_delta, 1e-15, "swap: same SE of delta")
T.near(rs.dxy, -r.dxy, 1e-15, "swap: rcorrp Dxy changes sign")
T.near(rs.p, r.p, 1e-15, "swap: same p")
-- a score compared with itself: no difference, SE 0, p = 1
local r0 = rad.compare_c{time = hand.time, event = hand.event, a = hand.a, b = hand.a}
T.is(r0.delta, 0, "same score: delta 0")
T.is(r0.se_delta, 0, "same score: SE 0")
T.is(r0.p, 1, "same score: p = 1")

-- ties: tied event times are not comparable, an event tied with a censoring is
-- (the censored patient lived at least as long).  times {2, 2, 2, 5}, events
-- {1, 1, 0, 1}: pairs (1,3) (2,3) (1,4) (2,4); a = {1, 2, 3, 0}: (1,3) and
-- (2,3) discordant, (1,4) (2,4) concordant -> C = 0.5; b = {1, 1, 1, 1}: all
-- tied -> C = 0.5, Dxy contributions 0.
local tie = rad.compare_c{time = {2, 2, 2, 5}, event = {1, 1, 0, 1}, a = {1, 2, 3, 0}, b = {1, 1, 1, 1}}
T.is(tie.pairs, 4, "tied times: 4 comparable pairs")
T.near(tie.c_a, 0.5, 1e-15, "tied times: C_a = 2/4")
T.near(tie.c_b, 0.5, 1e-15, "constant score: C_b = 1/2")
-- per patient w_a = {0, 0, -2, 2} with r = {2, 2, 2, 2}: R = 8, R2 = 16, W = 0,
-- W2 = 8: v = 8 * 64 = 512, S.D.(Dxy) = 2 sqrt(512) / 64, SE(C) = sqrt(512)/64
T.near(tie.se_a, math.sqrt(512) / 64, 1e-15, "tied times: SE(C_a) = sqrt(512)/64")
T.near(tie.se_b, 0, 1e-15, "constant score: every contribution 0, SE 0")

-- with ties in both scores and times, C agrees with rad.concordance (an
-- independent O(n log n) implementation of the same pair definition)
do
  local tt = {3, 3, 5, 5, 5, 8, 8, 9, 12, 12, 12, 15}
  local ee = {1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 1, 0}
  local sa = {2, 2, 1, 3, 3, 1, 0, 2, 1, 1, 0, 0}
  local sb = {0.5, 1.5, 1.5, 2, 0.5, 1, 1, 0.2, 1, 0.3, 0.3, 0.1}
  local tb = rad.table.new{{"t", tt}, {"e", ee}}
  local cc = rad.compare_c{data = tb, time = "t", event = "e", a = sa, b = sb}
  local ka = rad.concordance(tb, {time = "t", event = "e", score = sa})
  local kb = rad.concordance(tb, {time = "t", event = "e", score = sb})
  T.near(cc.c_a, ka.harrell, 1e-14, "ties: C_a = rad.concordance's Harrell C")
  T.near(cc.c_b, kb.harrell, 1e-14, "ties: C_b = rad.concordance's Harrell C")
  T.is(cc.pairs, ka.comparable, "ties: same number of comparable pairs as rad.concordance")
end

-- ---- rad.td_auc: properties -------------------------------------------------------
do
  local tt = {1, 2, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10}
  local ee = {1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1}
  local s = {5, 4, 4.5, 3, 1, 4, 2, 2, 3, 1, 0, 2}
  local neg = {}
  for i = 1, #s do neg[i] = -s[i] end
  local tb = rad.table.new{{"t", tt}, {"e", ee}}
  local a = rad.td_auc(tb, {time = "t", event = "e", score = s, times = {4, 6}, score2 = neg})
  T.near(a.auc[1] + a.auc2[1], 1, 1e-14, "td_auc: AUC(-score) = 1 - AUC(score)")
  T.near(a.se2[1], a.se[1], 1e-14, "td_auc: AUC(-score) has the same SE")
  T.near(a.delta[2], a.auc2[2] - a.auc[2], 1e-15, "td_auc: delta = AUC2 - AUC1")
  T.near(a.se_delta[1], 2 * a.se[1], 1e-14, "td_auc: SE(AUC(-s) - AUC(s)) = 2 SE (influence functions negated)")
  T.near(a.lower[1], math.max(0, a.auc[1] - 1.959963984540054 * a.se[1]), 1e-12, "td_auc: lower = AUC - z se")
  local b = rad.td_auc(tb, {time = "t", event = "e", score = s, times = 4, score2 = s, conf = 0.9})
  T.is(b.delta[1], 0, "td_auc: a score against itself: delta 0")
  T.is(b.p[1], 1, "td_auc: a score against itself: p = 1")
  T.is(b.conf, 0.9, "td_auc: conf is reported")
  T.ok(b.upper[1] - b.lower[1] < a.upper[1] - a.lower[1], "td_auc: a 90 % CI is narrower than the 95 % one")
  T.is(a.cases[1], 4, "td_auc: 4 cases by t = 4 (events at 1, 2, 3, 4)")
  T.is(a.controls[1], 6, "td_auc: 6 controls beyond t = 4")
end

-- ---- rad.nri by hand: 9 patients, t = 10 -------------------------------------------
--
-- times 1 3 5 7 (events), 4 (censored), 20 21 22 23 (censored); Kaplan-Meier
-- S(10) = 8/9 7/8 5/6 4/5 = 14/27, P(event) = 13/27.
-- Categorical (cut 0.5): up = {1, 2, 7, 9}, down = {3, 5, 6}:
--   S_up(10) = 3/4 2/3 = 1/2, S_down(10) = 2/3; P(up) = 4/9, P(down) = 3/9
--   P(up | event) = (1/2)(4/9)/(13/27) = 6/13, P(down | event) = (1/3)(3/9)/(13/27) = 3/13
--   P(up | no event) = (1/2)(4/9)/(14/27) = 3/7 = P(down | no event) = (2/3)(3/9)/(14/27)
--   NRI = 3/13 + 0.
-- Continuous: patient 4 also moves up (0.2 -> 0.3): up = {1, 2, 4, 7, 9},
--   S_up(10) = 4/5 3/4 1/2 = 3/10, P(up) = 5/9
--   P(up | event) = (7/10)(5/9)(27/13) = 21/26, NRI_events = 21/26 - 6/26 = 15/26
--   P(up | no event) = (3/10)(5/9)(27/14) = 9/28, NRI_nonevents = 12/28 - 9/28 = 3/28
do
  local tm = {1, 3, 5, 7, 20, 21, 22, 23, 4}
  local ev = {1, 1, 1, 1, 0, 0, 0, 0, 0}
  local ra = {0.2, 0.2, 0.6, 0.2, 0.6, 0.6, 0.2, 0.2, 0.2}
  local rb = {0.6, 0.6, 0.2, 0.3, 0.2, 0.2, 0.6, 0.2, 0.6}
  local c = rad.nri{time = tm, event = ev, a = ra, b = rb, at = 10, cuts = {0.5}}
  T.is(c.type, "categorical", "nri: with cuts, categorical")
  T.near(c.p_event, 13 / 27, 1e-15, "nri: P(event by 10) = 13/27 (Kaplan-Meier)")
  T.is(c.up, 4, "nri: 4 patients move up a category")
  T.is(c.down, 3, "nri: 3 patients move down")
  T.near(c.nri_events, 3 / 13, 1e-15, "nri: categorical NRI of events = 3/13")
  T.near(c.nri_nonevents, 0, 1e-15, "nri: categorical NRI of non-events = 0")
  T.near(c.nri, 3 / 13, 1e-15, "nri: categorical NRI = 3/13")
  local d = rad.nri{time = tm, event = ev, a = ra, b = rb, at = 10}
  T.is(d.type, "continuous", "nri: without cuts, continuous")
  T.near(d.nri_events, 15 / 26, 1e-15, "nri: continuous NRI of events = 15/26")
  T.near(d.nri_nonevents, 3 / 28, 1e-15, "nri: continuous NRI of non-events = 3/28")
  T.near(d.nri, 15 / 26 + 3 / 28, 1e-15, "nri: continuous NRI = 249/364")
  T.is(d.se, rad.NA, "nri: no bootstrap, no SE")
  local e1 = rad.nri{time = tm, event = ev, a = ra, b = rb, at = 10, boot = 200, seed = 3}
  local e2 = rad.nri{time = tm, event = ev, a = ra, b = rb, at = 10, boot = 200, seed = 3}
  local e3 = rad.nri{time = tm, event = ev, a = ra, b = rb, at = 10, boot = 200, seed = 4}
  T.is(e1.se, e2.se, "nri: the same seed gives the same bootstrap")
  T.ok(e1.se ~= e3.se, "nri: another seed gives another bootstrap")
  T.ok(e1.lower < e1.nri and e1.nri < e1.upper and e1.se > 0, "nri: the percentile CI contains the estimate")
  -- no patient moved: NRI 0
  local z = rad.nri{time = tm, event = ev, a = ra, b = ra, at = 10}
  T.is(z.nri, 0, "nri: the same predictions: NRI 0")
end

-- ---- agreement with R on lung_cc ------------------------------------------------------
local data, why = T.data()
if not data then
  T.skip(39, "no reference data: " .. tostring(why))
  T.done()
  return
end
local ref = {}
for line in io.lines(data .. "/study/reference_values.csv") do
  local k, v = line:match('^"([^"]+)","([^"]+)"$')
  if k then ref[k] = tonumber(v) end
end
local TOL, worst = 1e-6, 0
local function cmp(got, name, scale)
  local want = ref[name]
  if want == nil then
    T.ok(false, name .. " (no reference value)")
    return
  end
  want = want * (scale or 1)
  local d = type(got) == "number" and math.abs(got - want) or math.huge
  T.diag(string.format("%-32s radlab %.12g  R %.12g  abs.diff %.2e", name, got or 0 / 0, want, d))
  worst = math.max(worst, d)
  T.ok(d <= TOL, string.format("%s within %g", name, TOL))
end

local cc = rad.read_csv(data .. "/study/lung_cc.csv")
local m1 = rad.cox(cc, {time = "time", event = "status", x = {"age", "sex"}})
local m2 = rad.cox(cc, {time = "time", event = "status", x = {"age", "sex", "ph.ecog"}})
-- the README's scores are x = -lp for Hmisc (higher x = longer survival);
-- radlab's scores are risks, so a = lp1, b = lp2.  rad.cox's linear
-- predictor is centred at the means; ranks and score differences (all that
-- rcorr.cens, rcorrp.cens and the AUC use) do not depend on the centre.
local lp1, lp2 = m1:predict(cc), m2:predict(cc)
local c = rad.compare_c{data = cc, time = "time", event = "status", a = lp1, b = lp2}
cmp(c.c_a, "lung.c1")
cmp(2 * c.se_a, "lung.c1.sd_dxy")
cmp(c.c_b, "lung.c2")
cmp(2 * c.se_b, "lung.c2.sd_dxy")
cmp(c.dxy, "lung.rcorrp.dxy")
cmp(c.dxy_sd, "lung.rcorrp.sd")
cmp(c.a_more, "lung.rcorrp.x1_more_concordant")
T.near(c.delta, ref["lung.c2"] - ref["lung.c1"], 1e-9, "delta C = lung.c2 - lung.c1")
T.is(c.n, 227, "lung_cc: 227 patients")
T.ok(c.p > 0 and c.p < 1 and c.se_delta > 0, "delta C has a p and a positive SE")
T.diag(string.format("delta C = %.4f (SE %.4f, 95%% CI %.4f to %.4f, p = %.4f)", c.delta, c.se_delta, c.lower,
  c.upper, c.p))

local ta = rad.td_auc(cc, {time = "time", event = "status", score = lp1, score2 = lp2, times = {180, 365}})
for k, t in ipairs{180, 365} do
  for _, f in ipairs{{"auc", "auc"}, {"se", "se"}, {"lower", "lower"}, {"upper", "upper"}} do
    cmp(ta[f[1]][k], "lung.tdauc.m1.t" .. t .. "." .. f[2])
  end
  for _, f in ipairs{{"auc2", "auc"}, {"se2", "se"}, {"lower2", "lower"}, {"upper2", "upper"}} do
    cmp(ta[f[1]][k], "lung.tdauc.m2.t" .. t .. "." .. f[2])
  end
  cmp(ta.delta[k], "lung.tdauc.delta.t" .. t .. ".est")
  cmp(ta.p[k], "lung.tdauc.delta.t" .. t .. ".p")
end
-- rad.td_auc without score2 gives the same AUC and SE
local t1 = rad.td_auc(cc, {time = "time", event = "status", score = lp1, times = {180, 365}})
T.near(t1.se[2], ta.se[2], 0, "td_auc: the SE without score2 is the same")
T.is(t1.delta, nil, "td_auc: no delta without score2")

-- likelihood-ratio test of the nested fits.  R 4.2.2, survival 3.5.3:
--   d <- read.csv("lung_cc.csv")
--   coxph(Surv(time, status) ~ age + sex, d)$loglik[2]            -737.542341553052
--   coxph(Surv(time, status) ~ age + sex + ph.ecog, d)$loglik[2]  -729.230121374862
--   anova(m1, m2): Chisq 16.6244403564, Df 1, P 4.556e-05
local R_LL1, R_LL2 = -737.542341553052, -729.230121374862
local lrt = rad.cox_lrt(m1, m2)
T.diag(string.format("loglik small %.12f (R %.12f), big %.12f (R %.12f)", m1.loglik, R_LL1, m2.loglik, R_LL2))
T.near(m1.loglik, R_LL1, 1e-6, "loglik of age + sex matches R")
T.near(m2.loglik, R_LL2, 1e-6, "loglik of age + sex + ph.ecog matches R")
T.near(lrt.chisq, 2 * (m2.loglik - m1.loglik), 1e-12, "LRT chi-square = 2 (loglik_big - loglik_small)")
T.near(lrt.chisq, 16.6244403564, 1e-6, "LRT chi-square = R's anova 16.6244403564")
T.is(lrt.df, 1, "LRT: 1 df (ph.ecog)")
T.near(lrt.p, 4.55601281349e-05, 1e-12, "LRT p = R pchisq(16.6244403564, 1, lower.tail = FALSE)")
T.is(lrt.n, 227, "LRT: n")

T.diag(string.format("worst absolute difference from R over %s: %.2e", "rcorr.cens, rcorrp.cens and Score", worst))
T.done()
