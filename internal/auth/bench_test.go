package auth_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
)

// BenchmarkPasswordLogin measures failed sign-ins for an address with an
// account (wrong password), one without, a closed account and one with no
// password yet, interleaved so that the load of the machine falls on all
// alike. It reports the median time of each and each median's ratio to
// the known account's: near 1 for all, timing does not tell which
// addresses have accounts.
//
//	go test -run '^$' -bench PasswordLogin ./internal/auth
func BenchmarkPasswordLogin(b *testing.B) {
	f := newFixture(b)
	ctx := context.Background()
	f.user(b, "kari@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	closed := f.user(b, "stengt@example.invalid", store.RoleLead, "0301", "riktig hest batteri stift")
	if err := f.st.SetDisabled(ctx, closed.ID, f.clk.Now()); err != nil {
		b.Fatal(err)
	}
	f.user(b, "uten.passord@example.invalid", store.RoleLead, "0301", "")
	kinds := []struct{ name, email string }{
		{"known", "kari@example.invalid"}, {"unknown", "ingen@example.invalid"},
		{"closed", "stengt@example.invalid"}, {"nopassword", "uten.passord@example.invalid"},
	}
	times := make([][]time.Duration, len(kinds))
	i := 0
	for b.Loop() {
		k := i % len(kinds)
		i++
		start := time.Now()
		if _, err := f.svc.PasswordLogin(ctx, kinds[k].email, "feil passord her", "192.0.2.1"); err == nil {
			b.Fatal("signed in with a wrong password")
		}
		times[k] = append(times[k], time.Since(start))
	}
	median := func(d []time.Duration) float64 {
		if len(d) == 0 {
			return 0
		}
		slices.Sort(d)
		return float64(d[len(d)/2])
	}
	base := median(times[0])
	for k, kind := range kinds {
		m := median(times[k])
		b.ReportMetric(m/1e6, kind.name+"-ms")
		if k > 0 && base > 0 {
			b.ReportMetric(m/base, kind.name+"/known")
		}
	}
}
