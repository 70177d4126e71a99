package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// Spreadsheets of answers: the organisation's own answers as CSV, and a
// lead's upload of a CSV or XLSX file for their own organisation (the
// service reads it all or nothing and names every problem by line and
// column).

// Request bodies larger than the forms of the rest of the site
// (maxBodyBytes): an answer form holds up to a principle's measures with
// their comments (2 000 characters each, which percent-encoding may make
// nine bytes a character), and an upload a spreadsheet.
const (
	maxAnswerFormBytes = 1 << 20
	maxUploadBytes     = 4 << 20
)

// bodyLimit returns how large the body of a request may be. It is decided
// by the address before any route runs (limitBody), so it matches the
// self-assessment's routes by their paths.
func bodyLimit(r *http.Request) int64 {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.URL.Path, "/kartlegging/") {
		return maxBodyBytes
	}
	if strings.HasSuffix(r.URL.Path, "/last-opp") {
		return maxUploadBytes
	}
	return maxAnswerFormBytes
}

// safeName keeps the characters of a download's file name that need no
// quoting.
var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// surveyExport sends the organisation's answers as CSV in the import's
// format. The export is audited.
func (s *Server) surveyExport(w http.ResponseWriter, r *http.Request) error {
	o, err := s.memberView(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := survey.Export(&buf, o.org.Code, o.view); err != nil {
		return err
	}
	if err := s.cfg.Auth.Audit().Record(r.Context(), o.p.Actor(), "answers.export", "runde:"+o.view.Round.ID, o.org.Code, "CSV"); err != nil {
		return err
	}
	name := fmt.Sprintf("svar-%s-%s.csv", unsafeName.ReplaceAllString(o.view.Round.ID, "_"), unsafeName.ReplaceAllString(o.org.Code, "_"))
	return serveBytes(w, "text/csv; charset=utf-8", name, buf.Bytes())
}

// surveyUploadPage is the lead's upload of a spreadsheet of answers.
type surveyUploadPage struct {
	base
	RoundID  string
	OrgName  string
	OrgCode  string
	Open     bool
	State    string
	MaxMB    int
	File     string
	Problems []survey.Problem
	Error    string
}

func (*surveyUploadPage) template() string { return "survey_upload" }

func (s *Server) surveyUploadPage(w http.ResponseWriter, r *http.Request) error {
	o, err := s.memberView(r)
	if err != nil {
		return err
	}
	return s.renderUpload(w, http.StatusOK, o, &surveyUploadPage{})
}

func (s *Server) renderUpload(w http.ResponseWriter, status int, o *orgRound, pg *surveyUploadPage) error {
	pg.RoundID, pg.OrgName, pg.OrgCode = o.view.Round.ID, o.org.Name, o.org.Code
	pg.Open, pg.State, pg.MaxMB = o.view.Open, s.roundState(o.view), maxUploadBytes>>20
	pg.setBase("Last opp svar fra et regneark", "kartlegging")
	return s.render(w, status, pg)
}

// surveyUpload reads an uploaded file into the organisation's answers,
// all or nothing.
func (s *Server) surveyUpload(w http.ResponseWriter, r *http.Request) error {
	o, err := s.memberView(r)
	if err != nil {
		return err
	}
	f, hdr, err := r.FormFile("fil")
	if err != nil {
		msg := "Velg en fil (CSV eller XLSX) å laste opp."
		if !errors.Is(err, http.ErrMissingFile) {
			msg = "Filen kom ikke fram. Prøv igjen."
		}
		return s.renderUpload(w, http.StatusBadRequest, o, &surveyUploadPage{Error: msg})
	}
	defer f.Close()
	_, err = o.svc.Import(r.Context(), o.p.Actor(), o.p.User.ID, o.view.Round.ID, hdr.Filename, f, o.org.Code)
	var ps survey.Problems
	switch {
	case errors.As(err, &ps):
		return s.renderUpload(w, http.StatusBadRequest, o, &surveyUploadPage{File: ps[0].File, Problems: ps,
			Error: "Ingen svar er lest inn: filen har " + plural(len(ps), "problem", "problemer") + ". Rett dem og last opp filen igjen."})
	case fault.Is(err, fault.Invalid), fault.Is(err, fault.Conflict), fault.Is(err, fault.TooLarge), fault.Is(err, fault.Forbidden):
		return s.renderUpload(w, fault.KindOf(err).Status(), o, &surveyUploadPage{Error: "Ingen svar er lest inn. " + fault.UserMessage(err)})
	case err != nil:
		return err
	}
	http.Redirect(w, r, "/kartlegging/"+o.view.Round.ID+"?lastet-opp=1", http.StatusSeeOther)
	return nil
}
