package fault

import (
	"context"
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
	if got, want := err.Error(), "show: table 12041 has no snapshot"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
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
		t.Run(tt.name, func(t *testing.T) {
			if got := UserMessage(tt.err); got != tt.want {
				t.Errorf("UserMessage(%v) = %q, want %q", tt.err, got, tt.want)
			}
		})
	}
}

func TestKindText(t *testing.T) {
	tests := []struct {
		kind        Kind
		name, users string
	}{
		{Internal, "internal", "Det oppstod en intern feil."},
		{NotFound, "not found", "Fant ikke det du ba om."},
		{TooLarge, "too large", "Dataene er for store."},
		{Kind(99), "kind(99)", "Det oppstod en intern feil."},
		{Kind(-1), "kind(-1)", "Det oppstod en intern feil."},
	}
	for _, tt := range tests {
		if got := tt.kind.String(); got != tt.name {
			t.Errorf("Kind(%d).String() = %q, want %q", int(tt.kind), got, tt.name)
		}
		if got := tt.kind.Message(); got != tt.users {
			t.Errorf("Kind(%d).Message() = %q, want %q", int(tt.kind), got, tt.users)
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

func TestUserMessageCanceled(t *testing.T) {
	err := fmt.Errorf("table 12041: %w", context.Canceled)
	if got, want := UserMessage(err), "Avbrutt før arbeidet var ferdig."; got != want {
		t.Errorf("UserMessage(canceled) = %q, want %q", got, want)
	}
	// A classified error keeps its own message even if a cancel is inside.
	err = E(Unavailable, err)
	if got := UserMessage(err); got != Unavailable.Message() {
		t.Errorf("UserMessage(unavailable wrapping canceled) = %q, want the kind's message", got)
	}
}
