package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/grunnlag/grunnlag/internal/auth/oidctest"
)

// TestOIDCSignInInTheBrowser signs a person in through a real OpenID
// provider process (zitadel/oidc's example provider, see
// internal/auth/oidctest) in headless Chromium, against `grunnlag serve
// --config` with the provider configured as a deployment would: the
// browser fills in the provider's login form, comes back to grunnlag and
// is signed in, and the audit log has the sign-in with its method. Without
// Chromium it skips, unless GRUNNLAG_REQUIRE_CHROMIUM=1.
func TestOIDCSignInInTheBrowser(t *testing.T) {
	bin := chromium(t)
	idp := oidctest.Start(t, "http://127.0.0.1:*/logg-inn/oidc/testidp/svar", oidctest.User{
		ID: "kari-1", Username: "kari", Password: "leverandorens-eget-passord", Email: "kari@example.invalid", EmailVerified: true,
	})
	dir := t.TempDir()
	db := filepath.Join(dir, "g.db")
	env := map[string]string{"GRUNNLAG_DB": db, "GRUNNLAG_TEST_OIDC_SECRET": idp.ClientSecret}
	// The account is given first; signing in never makes one.
	if code, _, errOut := runCLI(t, env, "user", "add", "--role", "lead", "--org", "0301", "kari@example.invalid"); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errOut)
	}
	cfg := filepath.Join(dir, "grunnlag.yaml")
	if err := os.WriteFile(cfg, fmt.Appendf(nil, `oidc:
  - id: testidp
    name: Logg inn med testtjenesten
    issuer: %s
    client_id: %s
    client_secret_env: GRUNNLAG_TEST_OIDC_SECRET
`, idp.Issuer, idp.ClientID), 0o600); err != nil {
		t.Fatal(err)
	}
	base, stop := serveEnv(t, env, "--no-sync", "--config", cfg)
	defer stop()

	ctx := chromeContext(t, bin)
	shots := shotsDir(t)
	shot := func(name string) {
		t.Helper()
		var buf []byte
		buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	do := func(steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatal(err)
		}
	}
	// A page that needs an account sends the browser to sign in.
	do(chromedp.Navigate(base+"/konto"), chromedp.WaitVisible(chromedp.CSS(`form[action="/logg-inn/oidc/testidp"] button`)))
	shot("oidc-1-logg-inn")
	do(chromedp.Click(chromedp.CSS(`form[action="/logg-inn/oidc/testidp"] button`)), chromedp.WaitVisible(chromedp.ID("username")))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loc, strings.TrimSuffix(idp.Issuer, "/")) {
		t.Fatalf("the button went to %s, want the provider at %s", loc, idp.Issuer)
	}
	shot("oidc-2-leverandor")
	do(chromedp.SendKeys(chromedp.ID("username"), "kari"),
		chromedp.SendKeys(chromedp.ID("password"), "leverandorens-eget-passord"),
		chromedp.Click(chromedp.CSS(`button[type="submit"]`)))
	deadline := time.Now().Add(20 * time.Second)
	for {
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		if loc == base+"/konto" {
			break
		}
		if time.Now().After(deadline) {
			body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			t.Fatalf("after the provider's login the browser is at %s, want %s/konto:\n%s", loc, base, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
	do(chromedp.WaitVisible(chromedp.CSS("h1")))
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Du er logget inn som kari@example.invalid gjennom en innloggingstjeneste") ||
		!strings.Contains(text, "ansvarlig for kartleggingen – Oslo (0301)") {
		t.Errorf("/konto after signing in says:\n%s", text)
	}
	shot("oidc-3-konto")

	// The audit log has the sign-in, with the method.
	code, out, errOut := runCLI(t, env, "audit", "--action", "login", "--json")
	if code != 0 {
		t.Fatalf("audit: exit %d: %s", code, errOut)
	}
	var entries []auditEntry
	if err := json.Unmarshal([]byte(out), &entries); err != nil {
		t.Fatalf("audit --json: %v\n%s", err, out)
	}
	found := false
	for _, e := range entries {
		if e.Action == "login" && e.Actor == "kari@example.invalid" && e.Detail == "oidc:testidp" && e.IP == "127.0.0.1" {
			found = true
		}
	}
	if !found {
		t.Errorf("the audit log has no sign-in of kari through testidp:\n%s", out)
	}
	if code, out, _ := runCLI(t, env, "audit", "verify"); code != 0 {
		t.Errorf("audit verify after the sign-in: exit %d\n%s", code, out)
	}
}

// serveEnv starts `grunnlag serve` with an environment, and returns its
// base URL and the function that stops it.
func serveEnv(t *testing.T, env map[string]string, args ...string) (string, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), environment{
			stdout: stdout, stderr: stderr, getenv: func(k string) string { return env[k] },
		})
	}()
	re := regexp.MustCompile(`serverer på (http://\S+)/`)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			return m[1], func() {
				cancel()
				select {
				case <-done:
				case <-time.After(20 * time.Second):
					t.Error("serve did not stop")
				}
			}
		}
		select {
		case c := <-done:
			t.Fatalf("serve exited with %d before listening:\n%s", c, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("serve did not say where it listens; stderr:\n%s", stderr.String())
	return "", nil
}

// chromium finds the browser, or skips (or fails with
// GRUNNLAG_REQUIRE_CHROMIUM=1).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("GRUNNLAG_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("GRUNNLAG_REQUIRE_CHROMIUM") == "1" {
		t.Fatal("GRUNNLAG_REQUIRE_CHROMIUM=1, but no Chromium was found (install Debian's chromium)")
	}
	t.Skip("no Chromium on this machine; set GRUNNLAG_REQUIRE_CHROMIUM=1 to fail instead")
	return ""
}

// chromeContext starts headless Chromium with a fresh profile.
func chromeContext(t *testing.T, bin string) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(bin), chromedp.Headless, chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.WindowSize(1280, 900))
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx)
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx
}

// shotsDir is where the screenshots go: $GRUNNLAG_ARTIFACTS/e2e, or a
// new temporary folder (logged).
func shotsDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("GRUNNLAG_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "grunnlag-e2e-"); err != nil {
			t.Fatal(err)
		}
	}
	dir = filepath.Join(dir, "e2e")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots in %s", dir)
	return dir
}
