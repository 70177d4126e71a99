// Package disclosure decides which aggregates of the self-assessment may be
// published without revealing the answers of fewer than k organisations,
// and gives the helpers that publish a group's figures (quartiles, counts
// per answer option) only when the group is published. It is pure: no
// I/O, no store, no web.
//
// # What is protected, against whom
//
// Every figure of a group is a sum over its members (a mean with its n is
// a sum; a share is a count; counts per option are sums of indicators), so
// an attacker who knows each group's members and each published figure
// knows every linear combination Σ y_g·sum_g of published sums. Groups
// are public classifications, so the attacker is assumed to know all
// memberships, including those of hidden groups (their n is shown). The
// decision guarantees:
//
//	No nonzero linear combination of the published groups' membership
//	vectors has a support (the organisations with a nonzero coefficient)
//	of fewer than k organisations.
//
// This covers differences of nested groups (national minus
// national-without-a-county, a county minus one of its size-class cells, a
// filter that drops one member), unions of disjoint groups subtracted from
// a group, every 0/1 combination in the span, and solving the published
// sums for individual organisations. It is deliberately stronger than "no
// 0/1 combination isolates fewer than k": a signed combination such as
// county − provider, where the provider swaps one member of the county for
// one outside it, gives x_a − x_b; organisation a knows x_a and learns x_b,
// and with bounded answers (0 ≤ x ≤ 1 per measure) even outsiders learn
// both when the difference is ±1. Primary suppression protects a group of
// k against coalitions of up to k − 2 of its members; the rule above
// extends exactly that protection to every derivable figure.
//
// Not covered here: figures that are not sums (quartiles, medians) are
// protected only by being shown for published groups (Summarize refuses
// the others); group attribute disclosure (every member of a published
// group gave the same answer) is not prevented by any threshold rule; and
// figures shown earlier must be passed again as groups with Shown set, or
// the difference between two snapshots of an open round reveals whoever
// answered in between.
//
// # Atoms
//
// Organisations that belong to exactly the same groups form an atom; its
// weight is its number of organisations. Every combination of group sums
// is constant on an atom, so supports are unions of atoms and their size
// is the sum of the atoms' weights. All linear algebra runs on atoms
// (merged further, per check, when no published group tells them apart).
//
// # The decision
//
//  1. Order the groups canonically by priority: groups already shown, then
//     national, size_class, county, provider, any other kind; larger groups
//     first; then by kind and key. Nothing depends on the input order.
//  2. Primary suppression: a group with fewer than k members is hidden.
//  3. Complementary suppression: while the published groups contain a
//     leak (a combination whose support weighs 1..k−1), hide the
//     lowest-priority group the leak's combination uses (never a shown
//     group; if the leak uses only shown groups, return ErrShownLeak).
//  4. Offer back: each group hidden in step 3, highest priority first, is
//     published again if the published groups with it contain no leak. So
//     the result is maximal: every complementary suppression is needed
//     (publishing that group as well would leak).
//  5. Certify: the leak search runs in GF(p), p = 2^61 − 1; step 5 checks
//     that the published matrix has the same rank over GF(p) as over the
//     rationals (dependencies found modulo p are lifted to small fractions
//     and verified exactly; otherwise the rational rank is computed
//     exactly). If not, the decision is redone in GF(2^31 − 1); if that
//     fails too, only groups disjoint from all others are published.
//
// # The leak search
//
// Given the published rows M (groups × atoms, 0/1) and weights w, find a
// nonzero x in the row space with weight(supp x) ≤ β = k − 1:
//
//   - Heavy atoms (weight > β) cannot be in a leak's support. Reduced row
//     echelon form with heavy columns pivoted first splits off the light
//     span V′ = {x in the row space : x is zero on heavy atoms}; its basis
//     is systematic (identity) on an information set I₁ of light columns.
//   - A vector of V′ is fixed by its values on any information set, so a
//     leak is nonzero somewhere on every information set. Further
//     information sets I₂, I₃, … are built preferring columns used least
//     so far (they may overlap). With u_j the number of sets holding column
//     j, a leak x has Σ_i weight(x on I_i) = Σ_{j in supp x} u_j·w_j ≤ U,
//     where U is the largest Σ u_j·w_j over columns of total weight ≤ β (a
//     small knapsack). Choosing τ_i with Σ_i (τ_i + 1) > U, some I_i holds
//     weight ≤ τ_i of x; so enumerating, on every I_i, every support S of
//     weight ≤ τ_i and searching the vectors whose support on I_i is
//     exactly S finds every leak. (This is the information-set bound of
//     Brouwer and Zimmermann's minimum-distance algorithm, with weights and
//     overlapping sets.) Sets are added while the enumeration they save
//     costs more than another elimination.
//   - For one S, the candidates are x = g_{s₀} + Σ λ_s·g_s (the systematic
//     rows of S, the first scaled to 1). A branch-and-bound over columns
//     decides each column zero (one direction fewer) or nonzero (its
//     weight spent). A column's weight is counted when the branch assumed
//     it nonzero or when every candidate left is nonzero there; so no
//     candidate is counted lighter than it is, pruning (count > β) loses
//     no leak, and what it returns is a leak.
//   - Before enumerating, each systematic row is looked at on its own: it
//     is in the span, so a light row is a leak. Most leaks are found there.
//
// # Proof obligations (each checked by a test that can fail)
//
//   - Atoms: supports are unions of atoms (attacker tests compute atoms on
//     their own from the published groups).
//   - GF(p) is sound: if rank_p(M) = rank_Q(M), every rational leak w gives
//     a GF(p) leak with support inside supp(w). With the Smith normal form
//     M = U·D·V, the integer vectors of the rational row space modulo the
//     integer row space form a group of exponent d_r (the largest
//     elementary divisor); d_r·w is an integer combination of rows, and
//     modulo p it is nonzero when w is primitive and p ∤ d_r, which is what
//     equal ranks mean. certify checks the ranks (TestCertify… shows a
//     matrix whose rank drops modulo 3 and a leak the search cannot see
//     there, caught by the certificate).
//   - The search misses no leak: compared with exhaustion on random
//     matrices, with and without the row look and with many information
//     sets (TestLeakSearch…, TestPlan).
//   - The published set is checked as a whole: the last search of step 3
//     or the last accepted offer of step 4 ran on exactly the final set.
//   - An exact attacker (rational arithmetic, no shared code) recovers
//     nothing from what Decide publishes, and recovers the secret from the
//     naive primary-only decider in every named case (attacker_test.go,
//     attack_cases_test.go, property_test.go).
//   - Termination and determinism: step 3 hides one group per round, step 4
//     is one pass; all orders are canonical.
//
// # Cost
//
// Eliminations are polynomial (at most maxInfoSets of them per search, each
// about d²·q for d light rows and q atoms). The enumeration is bounded by a
// work limit; if it is reached the search reports "not proven safe" and
// the lowest-priority group is hidden with RulePrecaution, which errs on
// the side of hiding and is rechecked in step 4. BenchmarkDecide measures
// constructed Norway-like layouts (357 municipalities, 9 size classes, 15
// counties, 50 regional providers or 50 national networks); none of them
// reaches the limit.
//
// # References
//
// The approach follows the field's practice, not its code: Statistics
// Norway's GaussSuppression (suppression by Gaussian elimination over the
// model matrix that maps units to published cells, with linked tables
// protected together), sdcTable and τ-ARGUS (primary and secondary
// suppression, attacker audits), and Hundepool et al., Statistical
// Disclosure Control (Wiley, 2012). The information-set bound is from A.
// E. Brouwer's and K.-H. Zimmermann's minimum-distance algorithm for
// linear codes.
package disclosure
