package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/grunnlag/grunnlag/internal/store"
)

// TestSurveyBrowser answers the self-assessment in headless Chromium: a
// respondent answers a principle without JavaScript (form, POST,
// redirect, notice) and meets a conflict from a second session, then
// with JavaScript (autosave after each change, the version updated, the
// time read out in the status region) and meets a conflict there too,
// which is shown and not overwritten; at last the lead submits. The
// second session is an HTTP client with the lead's own session, saving
// between the browser's loading and saving of the form.
func TestSurveyBrowser(t *testing.T) {
	bin := chromiumPath(t)
	e := newSurveyEnv(t)
	respondent := e.signIn(t, "svarer@example.invalid", store.RoleRespondent, "0301")
	lead := e.signIn(t, "leder@example.invalid", store.RoleLead, "0301")
	ctx := browserCtx(t, bin)
	b := &browse{t: t, ctx: ctx, base: e.ts.URL, shots: artifactsDir(t), downloads: t.TempDir()}
	httpOnly := true
	as := func(s *session) {
		t.Helper()
		if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: s.cookie.Name, Value: s.cookie.Value, URL: e.ts.URL, HTTPOnly: &httpOnly}); err != nil {
			t.Fatal(err)
		}
	}
	scripts := func(on bool) {
		t.Helper()
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on}); err != nil {
			t.Fatal(err)
		}
	}
	// The second session saves a principle through the ordinary form.
	secondSaves := func(principle string, set map[string]string) {
		t.Helper()
		form := e.principleForm(t, lead, "/kartlegging/2027/"+principle)
		for k, v := range set {
			form.Set(k, v)
		}
		if r, body := e.doAs(t, lead, http.MethodPost, "/kartlegging/2027/"+principle, form); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("the second session's save = %d:\n%s", r.StatusCode, body)
		}
	}
	stored := func(measure string) store.Answer {
		t.Helper()
		return e.view(t, e.oslo).Answers[measure].Answer
	}
	// Console errors: a CSP violation or a script error shows here. The
	// conflicts and the form with a mistake this test provokes answer 409
	// and 400, which the browser logs.
	var mu sync.Mutex
	var problems []string
	console := chromedp.Console(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for m, err := range console {
			if err != nil {
				return
			}
			if (m.Type == chromedp.ConsoleError || m.IsException()) && !strings.Contains(m.String(), "status of 409") && !strings.Contains(m.String(), "status of 400") {
				mu.Lock()
				problems = append(problems, m.String())
				mu.Unlock()
			}
		}
	}()
	as(respondent)

	t.Run("without JavaScript", func(t *testing.T) {
		b.t = t
		scripts(false)
		b.open("/kartlegging")
		b.do(chromedp.Click(chromedp.CSS(`a[href="/kartlegging/2027"]`)))
		b.waitJS(`location.pathname === "/kartlegging/2027" && document.readyState === "complete"`)
		b.shot("kartlegging-oversikt")
		b.do(chromedp.Click(chromedp.CSS(`a[href="/kartlegging/2027/1.1"]`)))
		b.waitJS(`location.pathname === "/kartlegging/2027/1.1" && document.readyState === "complete"`)
		b.do(chromedp.Click(chromedp.ID("svar-1-1-1-ja")),
			chromedp.SetValue(chromedp.ID("modenhet-1-1-1"), "3"),
			chromedp.SendKeys(chromedp.ID("kommentar-1-1-1"), "Konstruert kommentar fra nettleseren"),
			chromedp.Click(chromedp.ID("svar-1-1-2-ikke_relevant")))
		b.shot("kartlegging-skjema")
		// Ikke relevant without a reason: the error summary links to it.
		b.do(chromedp.Click(chromedp.CSS(`#svarskjema button[type=submit]`)))
		b.waitJS(`document.readyState === "complete" && !!document.getElementById("feil")`)
		if href := run(b, chromedp.Evaluate[string](`document.querySelector("#feil a").getAttribute("href")`)); href != "#grunn-1-1-2" {
			t.Errorf("the error summary links to %q, want #grunn-1-1-2", href)
		}
		b.shot("kartlegging-feil")
		b.do(chromedp.Click(chromedp.CSS(`#feil a`)))
		b.waitJS(`location.hash === "#grunn-1-1-2"`)
		b.do(chromedp.SendKeys(chromedp.ID("grunn-1-1-2"), "Konstruert grunn"),
			chromedp.Click(chromedp.CSS(`#svarskjema button[type=submit]`)))
		b.waitJS(`location.search === "?lagret=1" && document.readyState === "complete"`)
		if txt := run(b, chromedp.Text(chromedp.CSS(`p.freshness[role=status]`))); !strings.HasPrefix(txt, "Svarene er lagret.") {
			t.Errorf("the notice after saving = %q", txt)
		}
		if a := stored("1.1.1"); a.Answer != store.AnswerYes || a.Maturity != 3 || a.Comment != "Konstruert kommentar fra nettleseren" {
			t.Errorf("stored 1.1.1 = %+v", a)
		}
		if a := stored("1.1.2"); a.Answer != store.AnswerNotRelevant || a.Reason != "Konstruert grunn" {
			t.Errorf("stored 1.1.2 = %+v", a)
		}

		// A conflict: the second session saves while the form is open.
		b.open("/kartlegging/2027/1.1")
		secondSaves("1.1", map[string]string{"svar-1-1-1": store.AnswerPartly})
		b.do(chromedp.Click(chromedp.ID("svar-1-1-3-nei")), chromedp.Click(chromedp.CSS(`#svarskjema button[type=submit]`)))
		b.waitJS(`document.readyState === "complete" && !!document.getElementById("feil-tittel")`)
		if h := run(b, chromedp.Text(chromedp.ID("feil-tittel"))); h != "Noen andre har lagret i mellomtiden" {
			t.Errorf("the conflict's heading = %q", h)
		}
		if txt := run(b, chromedp.Text(chromedp.ID("lagret-1-1-1"))); !strings.Contains(txt, "Lagret av leder@example.invalid") || !strings.Contains(txt, "Delvis") {
			t.Errorf("the conflict does not show the other's answer: %q", txt)
		}
		if !run(b, chromedp.Evaluate[bool](`document.getElementById("svar-1-1-3-nei").checked && document.getElementById("svar-1-1-1-ja").checked`)) {
			t.Error("the conflict page does not keep the respondent's input")
		}
		if a := stored("1.1.3"); a.Answer != "" {
			t.Errorf("the stale save stored 1.1.3 = %+v", a)
		}
		b.shot("kartlegging-konflikt")
	})

	t.Run("with JavaScript", func(t *testing.T) {
		b.t = t
		scripts(true)
		b.open("/kartlegging/2027/1.2")
		b.do(chromedp.Click(chromedp.ID("svar-1-2-1-delvis")))
		b.waitJS(`document.getElementById("lagrestatus").textContent === "Lagret kl. 10.30."`)
		if v := run(b, chromedp.Value(chromedp.CSS(`input[name=versjon]`))); v != "1" {
			t.Errorf("the form's version after the autosave = %q, want 1", v)
		}
		if role := run(b, chromedp.Evaluate[string](`document.getElementById("lagrestatus").getAttribute("role")`)); role != "status" {
			t.Errorf("the save status is not a live region: role %q", role)
		}
		b.do(chromedp.SendKeys(chromedp.ID("kommentar-1-2-1"), "Skrevet og lagret av seg selv"))
		b.waitJS(`document.querySelector("input[name=versjon]").value === "2"`)
		if a := stored("1.2.1"); a.Answer != store.AnswerPartly || a.Comment != "Skrevet og lagret av seg selv" {
			t.Errorf("stored 1.2.1 after the autosaves = %+v", a)
		}
		b.shot("kartlegging-autolagret")

		// A conflict: the script stops and shows it; nothing is overwritten.
		secondSaves("1.2", map[string]string{"svar-1-2-2": store.AnswerYes})
		b.do(chromedp.Click(chromedp.ID("svar-1-2-2-nei")))
		b.waitJS(`!!document.getElementById("konflikt")`)
		if txt := run(b, chromedp.Text(chromedp.ID("konflikt"))); !strings.Contains(txt, "ikke overskrevet") {
			t.Errorf("the script's conflict notice = %q", txt)
		}
		if focused := run(b, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "konflikt" {
			t.Errorf("focus after the conflict is on %q, want the notice", focused)
		}
		if a := stored("1.2.2"); a.Answer != store.AnswerYes {
			t.Errorf("the conflict overwrote 1.2.2: %+v", a)
		}
		b.shot("kartlegging-konflikt-js")
		b.do(chromedp.Click(chromedp.CSS("#konflikt button")))
		b.waitJS(`document.readyState === "complete" && !!document.getElementById("feil-tittel")`)
		if !run(b, chromedp.Evaluate[bool](`document.getElementById("svar-1-2-2-nei").checked`)) {
			t.Error("the conflict page does not keep the input")
		}
		if focused := run(b, chromedp.Evaluate[string](`document.activeElement.id`)); focused != "feil" {
			t.Errorf("focus on the conflict page is on %q, want its summary", focused)
		}
		if txt := run(b, chromedp.Text(chromedp.ID("lagret-1-2-2"))); !strings.Contains(txt, "Ja") {
			t.Errorf("the conflict page does not show the stored answer: %q", txt)
		}
	})

	t.Run("phone", func(t *testing.T) {
		b.t = t
		b.do(chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
		for _, p := range []string{"/kartlegging/2027", "/kartlegging/2027/1.3"} {
			b.open(p)
			if w := run(b, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 400 {
				t.Errorf("%s is %d px wide on a 390 px phone: it scrolls sideways", p, w)
			}
		}
		b.shot("kartlegging-mobil")
		b.do(chromedp.EmulateReset())
	})

	t.Run("the lead submits", func(t *testing.T) {
		b.t = t
		as(lead)
		b.open("/kartlegging/2027")
		b.do(chromedp.Click(chromedp.CSS(`a[href="/kartlegging/2027/send-inn"]`)))
		b.waitJS(`location.pathname === "/kartlegging/2027/send-inn" && document.readyState === "complete"`)
		if txt := run(b, chromedp.Text(chromedp.CSS("ul.missing"))); !strings.Contains(txt, "1.1.4") {
			t.Errorf("the confirmation does not list the unanswered 1.1.4: %q", txt)
		}
		b.shot("kartlegging-send-inn")
		b.do(chromedp.Click(chromedp.CSS(`form[action="/kartlegging/2027/send-inn"] button`)))
		b.waitJS(`location.search === "?sendt=1" && document.readyState === "complete"`)
		if txt := run(b, chromedp.Text(chromedp.CSS(`p.freshness[role=status]`))); txt != "Svarene er sendt inn. Takk!" {
			t.Errorf("the notice after submitting = %q", txt)
		}
		subs, err := e.svc.Submissions(context.Background(), "2027")
		if err != nil || len(subs) != 1 {
			t.Errorf("submissions after the lead's = %v, %v", subs, err)
		}
		b.shot("kartlegging-sendt")
	})

	chromedp.Cancel(ctx)
	<-done
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser console: %s", p)
	}
}
