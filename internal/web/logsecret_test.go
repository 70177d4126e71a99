package web

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a log destination the server's goroutines share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogHasNoLinkSecret: the request log names a one-time link's route,
// never its secret (ASVS 7.1.1).
func TestLogHasNoLinkSecret(t *testing.T) {
	var log lockedBuffer
	e := newEnv(t, func(c *Config) { c.Logger = slog.New(slog.NewTextHandler(&log, nil)) })
	const secret = "konstruerthemmelighet0123456789"
	for _, method := range []string{"GET", "POST"} {
		e.do(t, method, "/konto/lenke/"+secret, nil, nil)
	}
	out := log.String()
	if !strings.Contains(out, "/konto/lenke/{secret}") {
		t.Fatalf("the log has no line for the link's route:\n%s", out)
	}
	if strings.Contains(out, secret) {
		t.Errorf("the log holds the link's secret:\n%s", out)
	}
}
