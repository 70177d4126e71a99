// Package oidctest runs a real OpenID provider process for end-to-end
// tests: the program in ./oidcprovider (zitadel/oidc's example provider),
// built with the go command and started on loopback. Its login page asks
// for a user name and a password; the tests' browser fills it in.
package oidctest

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// User is a person who can sign in at the provider.
type User struct {
	ID            string
	Username      string
	Password      string
	Email         string
	EmailVerified bool
}

// Provider is a running provider.
type Provider struct {
	Issuer       string // http://localhost:PORT/: another site than 127.0.0.1, as a real provider is
	ClientID     string
	ClientSecret string
}

// Start builds the provider (the go command caches the build), starts it
// with users and one client, grunnlag, whose redirect URIs match the glob
// redirect, and stops it when the test ends.
func Start(t testing.TB, redirect string, users ...User) *Provider {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "oidcprovider")
	build := exec.Command(goCommand(), "build", "-o", bin, "github.com/grunnlag/grunnlag/internal/auth/oidctest/oidcprovider")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build the OIDC provider: %v\n%s", err, out)
	}
	list := map[string]any{}
	for _, u := range users {
		list[u.ID] = map[string]any{"ID": u.ID, "Username": u.Username, "Password": u.Password,
			"Email": u.Email, "EmailVerified": u.EmailVerified, "PreferredLanguage": "nb"}
	}
	b, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	usersFile := filepath.Join(dir, "users.json")
	if err := os.WriteFile(usersFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	p := &Provider{ClientID: "grunnlag", ClientSecret: "konstruert-klienthemmelighet-for-testen"}
	cmd := exec.Command(bin, "-users", usersFile, "-client-id", p.ClientID, "-redirect", redirect)
	cmd.Env = append(os.Environ(), "OIDCPROVIDER_CLIENT_SECRET="+p.ClientSecret)
	cmd.Stderr = &testWriter{t: t}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	issuer := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if v, ok := strings.CutPrefix(sc.Text(), "issuer="); ok {
				issuer <- v
			}
		}
	}()
	select {
	case p.Issuer = <-issuer:
	case <-time.After(30 * time.Second):
		t.Fatal("the OIDC provider did not say where it listens")
	}
	return p
}

// goCommand is the go command of the toolchain running the tests.
func goCommand() string {
	if p := filepath.Join(runtime.GOROOT(), "bin", "go"); fileExists(p) {
		return p
	}
	return "go"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// testWriter logs the provider's own log lines into the test's.
type testWriter struct{ t testing.TB }

func (w *testWriter) Write(p []byte) (int, error) {
	w.t.Logf("oidcprovider: %s", strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
