package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// client talks to the server as people's browsers do: each request with
// the person's session cookie, from the site itself.
type client struct {
	http *http.Client
	base string
}

func newClient(base string, conns int, timeout time.Duration) *client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, DisableCompression: true}
	return &client{base: base, http: &http.Client{
		Transport: tr, Timeout: timeout,
		// A form posted without JavaScript answers 303; that answer is
		// the one measured.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (c *client) close() { c.http.Transport.(*http.Transport).CloseIdleConnections() }

// errStatus is an answer with an unexpected status.
type errStatus struct {
	code int
	body string
}

func (e *errStatus) Error() string {
	return fmt.Sprintf("status %d: %s", e.code, strings.Join(strings.Fields(e.body), " "))
}

// do sends one request as p (bearer: with p's API token instead of the
// session) and returns the status and body. An answer whose status is not
// one of want is an *errStatus.
func (c *client) do(ctx context.Context, p *person, bearer bool, method, path string, form url.Values, header http.Header, want ...int) (int, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if bearer {
		req.Header.Set("Authorization", "Bearer "+p.token)
	} else {
		req.Header.Set("Cookie", p.cookie)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, nil, err
	}
	for _, w := range want {
		if resp.StatusCode == w {
			return resp.StatusCode, b, nil
		}
	}
	return resp.StatusCode, b, &errStatus{resp.StatusCode, string(b[:min(len(b), 300)])}
}

var versionRE = regexp.MustCompile(`name="versjon" value="(\d+)"`)

// form fetches a principle's answer form and returns the version it was
// made from.
func (c *client) form(ctx context.Context, p *person, principle string) (int, error) {
	_, b, err := c.do(ctx, p, false, http.MethodGet, "/kartlegging/"+roundID+"/"+principle, nil, nil, http.StatusOK)
	if err != nil {
		return 0, err
	}
	m := versionRE.FindSubmatch(b)
	if m == nil {
		return 0, errors.New("the form has no version")
	}
	return strconv.Atoi(string(m[1]))
}

// errConflict is a save the server refused because someone saved the
// principle since the form was made.
var errConflict = errors.New("conflict")

// save posts answers to a principle as the page's script does (the form
// token in a header, asking for JSON) and returns the new version.
func (c *client) save(ctx context.Context, p *person, pr survey.Principle, version int, answers []survey.Input) (int, error) {
	form := url.Values{"versjon": {strconv.Itoa(version)}}
	for _, a := range answers {
		k := strings.ReplaceAll(a.Measure, ".", "-")
		form.Set("svar-"+k, a.Answer)
		if a.Reason != "" {
			form.Set("grunn-"+k, a.Reason)
		}
		if a.Maturity >= 0 {
			form.Set("modenhet-"+k, strconv.Itoa(a.Maturity))
		}
		if a.Comment != "" {
			form.Set("kommentar-"+k, a.Comment)
		}
		if a.Evidence != "" {
			form.Set("dok-"+k, a.Evidence)
		}
	}
	h := http.Header{"Accept": {"application/json"}, "X-Csrf-Token": {p.csrf}}
	code, b, err := c.do(ctx, p, false, http.MethodPost, "/kartlegging/"+roundID+"/"+pr.ID, form, h, http.StatusOK, http.StatusConflict)
	if err != nil {
		return 0, err
	}
	var reply struct {
		Version  int  `json:"version"`
		Conflict bool `json:"conflict"`
	}
	if err := json.Unmarshal(b, &reply); err != nil {
		return 0, fmt.Errorf("status %d, not the JSON of a save: %w", code, err)
	}
	if code == http.StatusConflict {
		if !reply.Conflict {
			return 0, &errStatus{code, string(b)} // not a version conflict: the round refused
		}
		return 0, errConflict
	}
	if reply.Version != version+1 {
		return reply.Version, fmt.Errorf("saved at version %d, the form was at %d", reply.Version, version)
	}
	return reply.Version, nil
}

// submit posts the lead's submission as a browser without JavaScript does.
func (c *client) submit(ctx context.Context, p *person) error {
	_, _, err := c.do(ctx, p, false, http.MethodPost, "/kartlegging/"+roundID+"/send-inn", url.Values{"csrf": {p.csrf}}, nil, http.StatusSeeOther)
	return err
}

// profile fetches p's profile page.
func (c *client) profile(ctx context.Context, p *person) error {
	_, _, err := c.do(ctx, p, false, http.MethodGet, "/kartlegging/"+roundID+"/profil", nil, nil, http.StatusOK)
	return err
}

// analysis fetches the analysts' page of the round's aggregates.
func (c *client) analysis(ctx context.Context, p *person) error {
	_, _, err := c.do(ctx, p, false, http.MethodGet, "/analyse/"+roundID, nil, nil, http.StatusOK)
	return err
}

// aggregatesAPI asks the API for the size classes' aggregates with p's
// API token.
func (c *client) aggregatesAPI(ctx context.Context, p *person) error {
	_, _, err := c.do(ctx, p, true, http.MethodGet, "/api/v1/rounds/"+roundID+"/aggregates?group=size_class", nil, nil, http.StatusOK)
	return err
}

// answersFor makes up answers to every measure of a principle, as a
// person might give them: any answer of the scale (with a reason when not
// relevant), a maturity, and now and then a comment or evidence that
// names the save (n), so that each save's values differ. Constructed for
// the benchmark.
func answersFor(rng *rand.Rand, r *survey.Round, pr survey.Principle, who string, n int) []survey.Input {
	out := make([]survey.Input, 0, len(pr.Measures))
	for _, m := range pr.Measures {
		a := survey.Input{Measure: m.Measure, Answer: r.Settings.Scale[rng.IntN(len(r.Settings.Scale))], Maturity: -1}
		if a.Answer == store.AnswerNotRelevant {
			a.Reason = fmt.Sprintf("Konstruert grunn (%s, lagring %d)", who, n)
		}
		if r.Settings.Maturity && rng.IntN(4) > 0 {
			a.Maturity = rng.IntN(6)
		}
		if rng.IntN(2) == 0 {
			a.Comment = fmt.Sprintf("Konstruert kommentar fra %s, lagring %d.", who, n)
		}
		if rng.IntN(4) == 0 {
			a.Evidence = fmt.Sprintf("https://intranett.example.invalid/rutiner/%s/%d", m.Measure, n)
		}
		out = append(out, a)
	}
	return out
}
