package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/store/sqlstore"
)

// TestReportCommand_survey: grunnlag report has the self-assessment's
// section once a round is closed, and none while it is open. The round and
// its answers are constructed: five municipalities of Rogaland with 20 000
// inhabitants or more answer principle 1.1 and submit.
func TestReportCommand_survey(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		env := map[string]string{"GRUNNLAG_DB": dsn, "GRUNNLAG_CHROMIUM": filepath.Join(t.TempDir(), "ingen-chromium")}
		codes := []string{"1103", "1108", "1124", "1149", "1106"} // Stavanger, Sandnes, Sola, Karmøy, Haugesund
		var csv strings.Builder
		csv.WriteString("org,measure,answer\n")
		for n, code := range codes {
			for i, m := range []string{"1.1.1", "1.1.2", "1.1.3"} {
				csv.WriteString(fmt.Sprintf("%s,%s,%s\n", code, m, []string{"ja", "delvis", "nei"}[(n+i)%3]))
			}
		}
		answers := filepath.Join(t.TempDir(), "svar.csv")
		writeFile(t, answers, csv.String())
		for _, args := range [][]string{
			{"round", "create", "--id", "r1", "--name", "Konstruert runde", "--opens", "2020-01-01", "--closes", "2099-12-31"},
			{"round", "open", "r1"},
			{"answers", "import", "--round", "r1", answers},
		} {
			if code, out, errOut := runCLI(t, env, args...); code != 0 {
				t.Fatalf("%s exit %d: %s%s", strings.Join(args, " "), code, out, errOut)
			}
		}
		// There is no command to submit (a lead does it on the web): the
		// store's operator submits for them.
		ctx := context.Background()
		st, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range codes {
			o, err := st.Organisation(ctx, code)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Submit(ctx, store.Operator, "r1", o.ID, time.Now()); err != nil {
				t.Fatalf("submit %s: %v", code, err)
			}
		}
		st.Close()

		report := func(t *testing.T) (string, string, []byte) {
			t.Helper()
			dir := filepath.Join(t.TempDir(), "rapport")
			code, out, errOut := runCLI(t, env, "report", "--out", dir, "--format", "html,md")
			if code != 0 {
				t.Fatalf("report exit %d: %s", code, errOut)
			}
			md, err := os.ReadFile(filepath.Join(dir, "rapport.md"))
			if err != nil {
				t.Fatal(err)
			}
			js, err := os.ReadFile(filepath.Join(dir, "rapport.json"))
			if err != nil {
				t.Fatal(err)
			}
			return out, strings.ReplaceAll(string(md), "\u00a0", " "), js
		}
		// The web's report, as a reader downloads it; the server is
		// started afresh after the round closes (its answers are cached
		// for up to a minute).
		web := func(t *testing.T) (string, string) {
			t.Helper()
			base, stop, _ := serve(t, dsn, "--no-sync")
			defer stop()
			code, md := getBody(t, base+"/rapport/rapport.md")
			if code != 200 {
				t.Fatalf("GET /rapport/rapport.md = %d", code)
			}
			code, js := getBody(t, base+"/api/v1/report")
			if code != 200 {
				t.Fatalf("GET /api/v1/report = %d", code)
			}
			return strings.ReplaceAll(md, "\u00a0", " "), js
		}
		if md, js := web(t); strings.Contains(md, "Egenvurderingen etter NSMs grunnprinsipper") || strings.Contains(js, `"survey"`) {
			t.Error("the web's report of an open round has the self-assessment")
		}
		out, md, js := report(t)
		if strings.Contains(out, "egenvurderingen") || strings.Contains(md, "Egenvurderingen etter NSMs grunnprinsipper") || strings.Contains(string(js), `"survey"`) {
			t.Errorf("the report of an open round has the self-assessment:\n%s", out)
		}

		if code, out, errOut := runCLI(t, env, "round", "close", "r1"); code != 0 {
			t.Fatalf("round close exit %d: %s%s", code, out, errOut)
		}
		out, md, js = report(t)
		if !strings.Contains(out, "Rapporten har med egenvurderingen «Konstruert runde», avsluttet ") {
			t.Errorf("report output does not name the round:\n%s", out)
		}
		for _, want := range []string{"## Egenvurderingen etter NSMs grunnprinsipper", "5 av 357 kommuner sendte inn svarene sine, en svarprosent på 1,4 %."} {
			if !strings.Contains(md, want) {
				t.Errorf("rapport.md lacks %q", want)
			}
		}
		webMD, webJS := web(t)
		if !strings.Contains(webMD, "5 av 357 kommuner sendte inn svarene sine") || !strings.Contains(webJS, `"survey"`) {
			t.Errorf("the web's report of the closed round lacks the self-assessment:\n%s", webMD)
		}
		var d struct {
			Survey *struct {
				Answered int `json:"answered"`
				Groups   []struct {
					Label      string `json:"label"`
					N          int    `json:"n"`
					Suppressed bool   `json:"suppressed"`
				} `json:"groups"`
			} `json:"survey"`
		}
		if err := json.Unmarshal(js, &d); err != nil {
			t.Fatal(err)
		}
		if d.Survey == nil || d.Survey.Answered != 5 || len(d.Survey.Groups) == 0 || d.Survey.Groups[0].Label != "Hele landet" || d.Survey.Groups[0].Suppressed {
			t.Errorf("rapport.json survey = %+v, want 5 answered and the country shown", d.Survey)
		}
	})
}
