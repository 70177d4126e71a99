package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/pxweb/pxwebtest"
)

// lockedBuffer is a buffer the server writes to while the test reads it.
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

// serve starts `grunnlag serve` with args and returns its base URL, the
// function that stops it (returning the exit code) and its stdout.
func serve(t *testing.T, db string, args ...string) (base string, stop func() int, stdout *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout = &lockedBuffer{}
	stderr := &lockedBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, append([]string{"--db", db, "serve", "--addr", "127.0.0.1:0"}, args...), environment{
			stdout: stdout, stderr: stderr, getenv: func(string) string { return "" },
		})
	}()
	re := regexp.MustCompile(`serverer på (http://\S+)/`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case c := <-code:
			t.Fatalf("serve exited with %d before listening:\n%s", c, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if base == "" {
		cancel()
		t.Fatalf("serve did not say where it listens; stderr:\n%s", stderr.String())
	}
	stop = func() int {
		cancel()
		select {
		case c := <-code:
			return c
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop")
			return -1
		}
	}
	return base, stop, stdout
}

func getBody(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServeSyncsInTheBackground(t *testing.T) {
	fake := pxwebtest.New()
	defer fake.Close()
	// Constructed test data, not SSB's figures.
	fake.AddTable(pxwebtest.ConstructedTable("12041", 3, 2, 4))
	db := filepath.Join(t.TempDir(), "g.db")
	base, stop, stdout := serve(t, db, "--base-url", fake.URL(), "--timeout", "5s")

	// The site answers at once, while the sync runs.
	if code, body := getBody(t, base+"/"); code != 200 || !strings.Contains(body, "Situasjonsbilde") {
		t.Fatalf("GET / = %d", code)
	}
	var st struct {
		Running bool `json:"running"`
		Results []struct {
			TableID string `json:"table_id"`
			Outcome string `json:"outcome"`
		} `json:"results"`
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, body := getBody(t, base+"/api/v1/sync")
		if err := json.Unmarshal([]byte(body), &st); err != nil {
			t.Fatal(err)
		}
		if !st.Running && len(st.Results) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sync at start did not finish: %s", body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if st.Results[0].TableID != "12041" || st.Results[0].Outcome != "added" {
		t.Errorf("first result = %+v, want 12041 added", st.Results[0])
	}
	// The person who started the server is told too, in bokmål.
	if out := stdout.String(); !strings.Contains(out, "Synkronisering ferdig: 7 tabeller") ||
		!strings.Contains(out, "Nettsiden viser det som er lagret") {
		t.Errorf("stdout = %q, want the outcome of the sync", out)
	}
	// The other registered tables are not on the fake server: they fail,
	// and the pages say so while showing what is stored.
	code, body := getBody(t, base+"/tabeller")
	if code != 200 || !strings.Contains(body, `href="/tabeller/12041"`) || !strings.Contains(body, "mislyktes") {
		t.Errorf("GET /tabeller = %d; want 12041 stored and the failed tables marked", code)
	}
	if c := stop(); c != 0 {
		t.Errorf("serve exit code %d, want 0", c)
	}
	if !strings.Contains(stdout.String(), "tjeneren er stoppet") {
		t.Errorf("stdout = %q", stdout.String())
	}
}

func TestServeNoSync(t *testing.T) {
	db := filepath.Join(t.TempDir(), "g.db")
	base, stop, _ := serve(t, db, "--no-sync")
	defer stop()
	if code, _ := getBody(t, base+"/healthz"); code != 200 {
		t.Errorf("healthz = %d", code)
	}
	post := func(token string) int {
		req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/sync", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(""); code != http.StatusUnauthorized {
		t.Errorf("POST /api/v1/sync without a token = %d, want 401", code)
	}
	// An analyst's token, made on the command line as a script would.
	env := map[string]string{"GRUNNLAG_DB": db}
	if code, _, errOut := runCLI(t, env, "user", "add", "--role", "analyst", "analytiker@example.invalid"); code != 0 {
		t.Fatalf("user add exit %d: %s", code, errOut)
	}
	code, out, errOut := runCLI(t, env, "token", "create", "analytiker@example.invalid")
	if code != 0 {
		t.Fatalf("token create exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if !strings.HasPrefix(token, "gl_") {
		t.Fatalf("token create's last line = %q, want the token", token)
	}
	if code := post(token); code != http.StatusForbidden {
		t.Errorf("POST /api/v1/sync with --no-sync as an analyst = %d, want 403", code)
	}
	if _, body := getBody(t, base+"/"); !strings.Contains(body, "Ingen statistikk er hentet ennå") {
		t.Errorf("an empty store should say no statistics are fetched yet:\n%s", body)
	}
}

func TestServeBadAddress(t *testing.T) {
	db := filepath.Join(t.TempDir(), "g.db")
	code, _, errOut := runCLI(t, map[string]string{"GRUNNLAG_DB": db}, "serve", "--no-sync", "--addr", "256.1.1.1:99999")
	if code != 1 || !strings.Contains(errOut, "Kan ikke lytte på 256.1.1.1:99999") {
		t.Errorf("serve on a bad address: exit %d, stderr %q", code, errOut)
	}
}
