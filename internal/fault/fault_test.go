package fault

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
)

func TestKindOfThroughWrapping(t *testing.T) {
	base := Errorf(NotFound, "table %s has no snapshot", "12041")
	err := fmt.Errorf("show: %w", base)
	if got := KindOf(err); got != NotFound {
		t.Errorf("KindOf(wrapped not found) = %v, want %v", got, NotFound)
	}
	if got := KindOf(errors.New("plain")); got != Internal {
		t.Errorf("KindOf(plain error) = %v, want internal", got)
	}
	if Is(nil, Internal) {
		t.Error("Is(nil, Internal) = true, want false")
	}
	if got := err.Error(); got != "show: table 12041 has no snapshot" {
		t.Errorf("Error() = %q", got)
	}
}

func TestUserMessage(t *testing.T) {
	inner := WithUser(Invalid, "Filen er ikke gyldig JSON-stat.", errors.New("value: 3 entries, size says 4"))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"specific message wins", fmt.Errorf("import: %w", inner), "Filen er ikke gyldig JSON-stat."},
		{"kind message", Errorf(Unavailable, "503"), "Tjenesten er ikke tilgjengelig nå. Prøv igjen senere."},
		{"internal never leaks detail", errors.New("pq: relation \"x\" does not exist"), "Det oppstod en intern feil."},
	}
	for _, tt := range tests {
		if got := UserMessage(tt.err); got != tt.want {
			t.Errorf("%s: UserMessage = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestStatus(t *testing.T) {
	tests := map[Kind]int{
		Internal: http.StatusInternalServerError, Invalid: http.StatusBadRequest, NotFound: http.StatusNotFound,
		Unavailable: http.StatusServiceUnavailable, Conflict: http.StatusConflict, Unauthorized: http.StatusUnauthorized,
		Forbidden: http.StatusForbidden, TooLarge: http.StatusRequestEntityTooLarge, Kind(99): http.StatusInternalServerError,
	}
	for k, want := range tests {
		if got := k.Status(); got != want {
			t.Errorf("%v.Status() = %d, want %d", k, got, want)
		}
	}
}
