package oidctest_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/chart/charttest"

	"github.com/chromedp/chromedp"

	"github.com/grunnlag/grunnlag/internal/auth/oidctest"
)

// auditEntry is one entry of `grunnlag audit --json`.
type auditEntry struct {
	Actor  string `json:"actor"`
	IP     string `json:"ip"`
	Action string `json:"action"`
	Detail string `json:"detail"`
}

// TestOIDCSignInInTheBrowser signs a person in through a real OpenID
// provider process (zitadel/oidc's example provider, ./oidcprovider) in
// headless Chromium, against the real grunnlag binary (`grunnlag serve
// --config`) with the provider configured as a deployment would: the
// browser fills in the provider's login form, comes back to grunnlag and
// is signed in, and the audit log has the sign-in with its method. Without
// Chromium it skips, unless GRUNNLAG_REQUIRE_CHROMIUM=1. It lives here,
// not in cmd/grunnlag, to keep that package's tests within their time.
func TestOIDCSignInInTheBrowser(t *testing.T) {
	bin := charttest.Chromium(t)
	idp := oidctest.Start(t, "http://127.0.0.1:*/logg-inn/oidc/testidp/svar", oidctest.User{
		ID: "kari-1", Username: "kari", Password: "leverandorens-eget-passord", Email: "kari@example.invalid", EmailVerified: true,
	})
	dir := t.TempDir()
	grunnlag := filepath.Join(dir, "grunnlag")
	if out, err := exec.Command(goCommand(), "build", "-o", grunnlag, "github.com/grunnlag/grunnlag/cmd/grunnlag").CombinedOutput(); err != nil {
		t.Fatalf("build grunnlag: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "g.db")
	env := []string{"GRUNNLAG_DB=" + db, "GRUNNLAG_TEST_OIDC_SECRET=" + idp.ClientSecret}
	cli := func(args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(grunnlag, args...)
		cmd.Env = append(os.Environ(), env...)
		var out, errb strings.Builder
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode(), out.String(), errb.String()
		} else if err != nil {
			t.Fatal(err)
		}
		return 0, out.String(), errb.String()
	}
	// The account is given first; signing in never makes one.
	if code, _, errOut := cli("user", "add", "--role", "lead", "--org", "0301", "kari@example.invalid"); code != 0 {
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
	base := serve(t, grunnlag, env, "--no-sync", "--config", cfg)

	ctx := charttest.Browser(t, bin)
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
	code, out, errOut := cli("audit", "--action", "login", "--json")
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
	if code, out, _ := cli("audit", "verify"); code != 0 {
		t.Errorf("audit verify after the sign-in: exit %d\n%s", code, out)
	}
}

// serve starts `grunnlag serve` as a process with the environment and
// returns its base URL; it is stopped when the test ends.
func serve(t *testing.T, bin string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	base := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`serverer på (http://\S+)/`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				base <- m[1]
			}
		}
	}()
	select {
	case b := <-base:
		return b
	case <-time.After(60 * time.Second):
		t.Fatalf("serve did not say where it listens; stderr:\n%s", stderr.String())
		return ""
	}
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
