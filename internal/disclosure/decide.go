package disclosure

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// A Group is one aggregate the UI, API, export or report can produce: its
// kind ("national", "size_class", "county", "provider", or any other the
// caller adds), its key ("" for national; a size class label; a county
// number; a provider id), and the organisations (ids, e.g. municipality
// codes) whose answers it aggregates.
//
// Shown marks a group whose figures were already shown to someone (a
// snapshot of an open round, say: once seen, a figure cannot be taken
// back). A shown group stays published, and the others are hidden as
// needed to protect around it. Pass every snapshot ever shown, each as its
// own group, or the difference between yesterday's and today's figure
// gives away the organisation that answered in between.
type Group struct {
	Kind    string
	Key     string
	Members []string
	Shown   bool
}

// Rule says which rule decided a group.
type Rule int

const (
	// RulePublish: no rule stops the group; it may be shown.
	RulePublish Rule = iota
	// RuleTooFew: primary suppression; the group has fewer than k members.
	RuleTooFew
	// RuleComplementary: secondary suppression; shown together with the
	// published groups it would let an attacker compute a figure that
	// rests on fewer than k organisations.
	RuleComplementary
	// RulePrecaution: hidden because it could not be shown safe within the
	// work limit (or, astronomically rarely, because the exact check over
	// the rationals disagreed with the fast one). Errs on the side of
	// hiding; the benchmarks show it does not happen on the real layout.
	RulePrecaution
)

// A Decision says whether one group may be published and, if not, why.
type Decision struct {
	Published bool
	Rule      Rule
	// Reason is bokmål for a tooltip; empty when published.
	Reason string
	// N is the number of distinct organisations the group aggregates. The
	// helpers (Summarize, CountOptions) check their input against it.
	N int
}

// Limits on the input, checked before anything is allocated for it.
const (
	// MaxGroups is the most groups one call may decide.
	MaxGroups = 1000
	// MaxMemberships is the most group memberships (the sum of len(Members))
	// one call may decide.
	MaxMemberships = 200_000
	// MinK is the smallest k accepted.
	MinK = 3
)

// ErrShownLeak is returned when the groups already shown leak by
// themselves: nothing Decide can hide repairs that, and the caller must
// treat it as a disclosure incident.
var ErrShownLeak = errors.New("disclosure: the groups already shown reveal fewer than k organisations")

// ErrShownUnchecked is returned when the groups already shown could not be
// proven safe by themselves (the search gave up, or no field could be
// certified); as with ErrShownLeak, hiding other groups cannot settle it.
var ErrShownUnchecked = errors.New("disclosure: the groups already shown could not be proven safe")

// config holds what tests may vary: the fields tried in turn (the first
// whose result the exact certificate accepts wins) and the work limit of
// one leak search.
type config struct {
	fields []field
	limit  int
}

var defaultConfig = config{
	fields: []field{newField(61), newField(31)},
	limit:  1 << 17,
}

// Decide returns, for each group (same order), whether it may be
// published, given k: the minimum number of organisations any published
// figure, or any figure derivable by adding and subtracting published
// ones, may rest on. k below MinK is refused. Every group the caller could
// ever show at the same time must be passed in one call, so that
// complementary suppression covers every combination; groups shown
// earlier are passed with Shown set. The result depends only on the
// groups as sets (not on their order or the order of members).
//
// Use one call per round for all its figures: Members are the
// organisations that answered, and every figure of a published group is
// computed over all of them (a share of "ja" among those for whom a
// measure is relevant is count(ja)/(n − count(ikke relevant)), both
// counts over all members), so the same decision covers scores,
// quartiles and counts per option. A decision is cheap enough for a page
// request (see BenchmarkDecide), but it depends only on who answered, so
// it can be cached until the next answer arrives.
func Decide(groups []Group, k int) ([]Decision, error) {
	return decide(groups, k, defaultConfig)
}

func decide(groups []Group, k int, cfg config) ([]Decision, error) {
	if err := validate(groups, k); err != nil {
		return nil, err
	}
	u := newUniverse(groups)
	var eligible []int // canonical indices with at least k members
	for c, g := range u.groups {
		if len(g.Members) >= k {
			eligible = append(eligible, c)
		}
	}

	for _, g := range u.groups {
		if g.Shown && len(g.Members) > 0 && len(g.Members) < k {
			return nil, fmt.Errorf("%w: %s %q was shown with %d", ErrShownLeak, g.Kind, g.Key, len(g.Members))
		}
	}

	rules := map[int]Rule{}
	var published []int
	certified := false
	for _, f := range cfg.fields {
		var err error
		published, rules, err = suppress(u, eligible, f, k, cfg.limit)
		if err != nil {
			return nil, err
		}
		ok, err := certify(u, published, f)
		if err != nil {
			return nil, err
		}
		if ok {
			certified = true
			break
		}
	}
	if !certified {
		var err error
		if published, rules, err = disjointOnly(u, eligible, cfg.fields); err != nil {
			return nil, err
		}
	}

	out := make([]Decision, len(groups))
	for c, g := range u.groups {
		d := Decision{N: len(g.Members), Published: true, Rule: RulePublish}
		switch {
		case len(g.Members) < k:
			d.Published, d.Rule = false, RuleTooFew
		case rules[c] != RulePublish:
			d.Published, d.Rule = false, rules[c]
		}
		d.Reason = reason(d.Rule, k)
		out[u.input[c]] = d
	}
	return out, nil
}

// reason words a rule for the user, in bokmål.
func reason(r Rule, k int) string {
	switch r {
	case RuleTooFew:
		return fmt.Sprintf("færre enn %d kommuner", k)
	case RuleComplementary:
		return fmt.Sprintf("skjult fordi tallet sammen med andre viste tall ville avsløre svar fra færre enn %d kommuner", k)
	case RulePrecaution:
		return "skjult for sikkerhets skyld fordi det ikke kunne bekreftes at tallet er trygt"
	}
	return ""
}

// suppress returns the published groups (canonical indices, in priority
// order) and the rule for every eligible group it hid. First, while the
// published rows contain a leak, it hides the lowest-priority group the
// leak uses. Then it offers each hidden group back, highest priority
// first, and publishes it if that adds no leak; so at the end no hidden
// group could be published on its own without a leak (or without the
// search giving up).
func suppress(u *universe, eligible []int, f field, k, limit int) ([]int, map[int]Rule, error) {
	published := slices.Clone(eligible)
	rules := map[int]Rule{}
search:
	for len(published) > 0 {
		l, err := findLeak(u, published, f, k, limit)
		var hide int
		switch {
		case errors.Is(err, errWorkLimit):
			hide = lastNotShown(u, published, nil)
			if hide < 0 {
				return nil, nil, fmt.Errorf("%w within the work limit", ErrShownUnchecked)
			}
			rules[published[hide]] = RulePrecaution
		case err != nil:
			return nil, nil, err
		case l == nil:
			break search
		default:
			// x is in the span of the shown rows only if every group it
			// uses was shown: then hiding cannot help.
			hide = lastNotShown(u, published, l.y)
			if hide < 0 {
				return nil, nil, fmt.Errorf("%w: %s", ErrShownLeak, u.describe(published, l.y))
			}
			rules[published[hide]] = RuleComplementary
		}
		published = slices.Delete(published, hide, hide+1)
	}
	hidden := make([]int, 0, len(rules))
	for c := range rules {
		hidden = append(hidden, c)
	}
	slices.Sort(hidden)
	for _, c := range hidden {
		at, _ := slices.BinarySearch(published, c)
		trial := slices.Insert(slices.Clone(published), at, c)
		l, err := findLeak(u, trial, f, k, limit)
		switch {
		case errors.Is(err, errWorkLimit):
			rules[c] = RulePrecaution
		case err != nil:
			return nil, nil, err
		case l == nil:
			published = trial
			delete(rules, c)
		default:
			rules[c] = RuleComplementary
		}
	}
	return published, rules, nil
}

// lastNotShown returns the position in published of the lowest-priority
// group that was not already shown (and, if y is not nil, that has a
// nonzero coefficient in y), or −1.
func lastNotShown(u *universe, published []int, y []uint64) int {
	for i := len(published) - 1; i >= 0; i-- {
		if !u.groups[published[i]].Shown && (y == nil || y[i] != 0) {
			return i
		}
	}
	return -1
}

// describe names the groups a leak combines, for an error message.
func (u *universe) describe(published []int, y []uint64) string {
	var names []string
	for i, c := range y {
		if c != 0 {
			g := u.groups[published[i]]
			names = append(names, fmt.Sprintf("%s %q", g.Kind, g.Key))
		}
	}
	return "combining " + strings.Join(names, ", ")
}

// findLeak searches the published rows for a leak: a combination resting
// on fewer than k organisations.
func findLeak(u *universe, published []int, f field, k, limit int) (*leak, error) {
	rows, weights := u.matrix(published)
	s := &leakSearch{f: f, w: weights, beta: k - 1, limit: limit}
	return s.find(rows)
}

// disjointOnly is the fallback when no field's result could be certified:
// publish the shown groups (if a field certifies them alone), then, in
// priority order, each eligible group that shares no member with one
// already published. A group disjoint from all others adds its own
// coordinates only, so nothing combined with it rests on fewer members
// than it has, and this is safe without any algebra.
func disjointOnly(u *universe, eligible []int, fields []field) ([]int, map[int]Rule, error) {
	rules := map[int]Rule{}
	var published []int
	used := make([]bool, len(u.weight))
	for _, c := range eligible {
		if u.groups[c].Shown {
			published = append(published, c)
			for _, a := range u.atomsOf[c] {
				used[a] = true
			}
		}
	}
	if len(published) > 0 {
		certified := false
		for _, f := range fields {
			ok, err := certify(u, published, f)
			if err != nil {
				return nil, nil, err
			}
			if ok {
				certified = true
				break
			}
		}
		if !certified {
			return nil, nil, fmt.Errorf("%w: no field could be certified", ErrShownUnchecked)
		}
	}
	for _, c := range eligible {
		if u.groups[c].Shown {
			continue
		}
		free := true
		for _, a := range u.atomsOf[c] {
			if used[a] {
				free = false
				break
			}
		}
		if !free {
			rules[c] = RulePrecaution
			continue
		}
		for _, a := range u.atomsOf[c] {
			used[a] = true
		}
		published = append(published, c)
	}
	slices.Sort(published)
	return published, rules, nil
}

// validate refuses input the decision cannot be trusted on, naming the
// group and the problem.
func validate(groups []Group, k int) error {
	if k < MinK {
		return fmt.Errorf("disclosure: k = %d; it must be at least %d", k, MinK)
	}
	if len(groups) > MaxGroups {
		return fmt.Errorf("disclosure: %d groups; at most %d can be decided at once", len(groups), MaxGroups)
	}
	total := 0
	for _, g := range groups {
		total += len(g.Members)
		if total > MaxMemberships {
			return fmt.Errorf("disclosure: more than %d group memberships; too many to decide at once", MaxMemberships)
		}
	}
	type id struct{ kind, key string }
	seen := make(map[id]int, len(groups))
	for i, g := range groups {
		if g.Kind == "" {
			return fmt.Errorf("disclosure: group %d (key %q): kind is empty", i, g.Key)
		}
		if j, dup := seen[id{g.Kind, g.Key}]; dup {
			return fmt.Errorf("disclosure: groups %d and %d are both %s %q", j, i, g.Kind, g.Key)
		}
		seen[id{g.Kind, g.Key}] = i
		members := make(map[string]bool, len(g.Members))
		for _, m := range g.Members {
			if m == "" {
				return fmt.Errorf("disclosure: group %d (%s %q): a member id is empty", i, g.Kind, g.Key)
			}
			if members[m] {
				return fmt.Errorf("disclosure: group %d (%s %q): member %q is listed twice", i, g.Kind, g.Key, m)
			}
			members[m] = true
		}
	}
	return nil
}

// kindRank puts the standard classifications first: they are what the
// report and most pages show, so they are the last to be hidden.
func kindRank(kind string) int {
	switch kind {
	case "national":
		return 0
	case "size_class":
		return 1
	case "county":
		return 2
	case "provider":
		return 3
	}
	return 4
}

// priority orders groups from most to least worth publishing: groups
// already shown first (they cannot be hidden), then by kind rank, then
// larger first, then by kind and key. (Kind, key) is unique, so the order
// is total and does not depend on the input order.
func priority(a, b Group) int {
	shown := func(g Group) int {
		if g.Shown {
			return 0
		}
		return 1
	}
	return cmp.Or(
		cmp.Compare(shown(a), shown(b)),
		cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)),
		cmp.Compare(len(b.Members), len(a.Members)),
		cmp.Compare(a.Kind, b.Kind),
		cmp.Compare(a.Key, b.Key),
	)
}
