package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/report"
)

// The report is built by package report from the same analysis the pages
// show, once per data change, and served in every format: the HTML to read
// in the browser, Markdown with its charts, rapport.json, and a PDF when
// the server has Chromium (Config.PDF).

// reportOf returns the report of the newest snapshots.
func (s *Server) reportOf(ctx context.Context) (*report.Report, error) {
	rep, _, err := s.reportWithKey(ctx)
	return rep, err
}

// reportWithKey returns the report of the newest snapshots and of the
// newest closed round of the self-assessment, with the key it is cached
// under. A closed round never changes, so the round's id in the key is
// enough for a round closed since to give a new report.
func (s *Server) reportWithKey(ctx context.Context) (*report.Report, string, error) {
	key := "report"
	var round string
	if s.cfg.Survey != nil && s.cfg.Accounts != nil {
		r, ok, err := report.NewestClosedRound(ctx, s.cfg.Survey)
		if err != nil {
			return nil, "", err
		}
		if ok {
			round = r.ID
			key += "|runde:" + r.ID
		}
	}
	v, err := s.cache.get(ctx, key, func(ctx context.Context) (any, error) {
		res, err := s.analysis(ctx)
		if err != nil {
			return nil, err
		}
		opts := report.Options{IndicatorURL: indicatorPath}
		if round != "" {
			if opts.Survey, err = report.LoadSurvey(ctx, s.cfg.Accounts, s.cfg.Survey, round); err != nil {
				return nil, err
			}
		}
		return report.Build(s.cfg.Pack, res, opts), nil
	})
	if err != nil {
		return nil, "", err
	}
	return v.(*report.Report), key, nil
}

// reportPage shows the report's conclusions per theme, what data it lacks,
// and the links to read and download it.
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.reportOf(r.Context())
	if err != nil {
		return err
	}
	d := rep.Data()
	p := &reportViewPage{Available: true, ReadURL: "/rapport/" + report.HTMLFile}
	for _, t := range d.Themes {
		p.Themes = append(p.Themes, reportTheme{ID: t.ID, Title: t.Title, Text: t.Text})
	}
	for _, g := range d.Gaps {
		if g.Blocking {
			p.Gaps = append(p.Gaps, g.Message)
		}
	}
	p.Downloads = []download{
		{Label: "HTML", URL: "/rapport/" + report.HTMLFile, Note: "én selvstendig side med diagrammer og fotnoter"},
		{Label: "Markdown", URL: "/rapport/" + report.MarkdownFile, Note: "diagrammene ligger under /rapport/" + report.FigureDir + "/"},
		{Label: "JSON", URL: "/rapport/" + report.JSONFile, Note: "alle tall med eksakte verdier og kilder, for programmer"},
	}
	if s.cfg.PDF != nil {
		p.Downloads = append(p.Downloads, download{Label: "PDF", URL: "/rapport/" + report.PDFFile, Note: "laget av HTML-en med Chromium; tar noen sekunder første gang"})
	} else {
		p.PDFNote = "PDF er ikke tilgjengelig: tjeneren har ikke Chromium. Skriv ut HTML-versjonen, eller kjør «grunnlag report --format pdf» på en maskin med Chromium."
	}
	p.setBase("Rapport", "rapport")
	return s.render(w, http.StatusOK, p)
}

// reportCSP is the policy of the report's own HTML page: it has one inline
// stylesheet (allowed by its hash) and loads nothing at all.
func reportCSP(html []byte) string {
	policy := "default-src 'none'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	_, rest, ok := bytes.Cut(html, []byte("<style>"))
	if !ok {
		return policy
	}
	css, _, ok := bytes.Cut(rest, []byte("</style>"))
	if !ok {
		return policy
	}
	sum := sha256.Sum256(css)
	return policy + "; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

// reportDownload serves the report in one format.
func (s *Server) reportDownload(w http.ResponseWriter, r *http.Request) error {
	rep, key, err := s.reportWithKey(r.Context())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch name := r.PathValue("file"); name {
	case report.HTMLFile:
		if err := rep.WriteHTML(&buf); err != nil {
			return err
		}
		w.Header().Set("Content-Security-Policy", reportCSP(buf.Bytes()))
		return serveBytes(w, "text/html; charset=utf-8", "", buf.Bytes())
	case report.MarkdownFile:
		if err := rep.WriteMarkdown(&buf); err != nil {
			return err
		}
		return serveBytes(w, "text/markdown; charset=utf-8", name, buf.Bytes())
	case report.JSONFile:
		if err := rep.WriteJSON(&buf); err != nil {
			return err
		}
		return serveBytes(w, "application/json; charset=utf-8", name, buf.Bytes())
	case report.PDFFile:
		if err := heavy(r.Context()); err != nil { // Chromium prints it
			return err
		}
		pdf, err := s.reportPDF(r.Context(), rep, key)
		if err != nil {
			return err
		}
		return serveBytes(w, "application/pdf", name, pdf)
	default:
		return fault.WithUser(fault.NotFound, "Rapporten finnes som rapport.html, rapport.md, rapport.json og rapport.pdf.",
			fmt.Errorf("no report file %q", name))
	}
}

// reportFigure serves a chart of the Markdown report.
func (s *Server) reportFigure(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.reportOf(r.Context())
	if err != nil {
		return err
	}
	name := r.PathValue("file")
	for _, f := range rep.Figures() {
		if f.Name == name {
			return serveBytes(w, "image/svg+xml", "", f.SVG)
		}
	}
	return fault.Errorf(fault.NotFound, "no report figure %q", name)
}

// errNoPDF answers a PDF request on a server without Chromium.
var errNoPDF = fault.WithUser(fault.NotFound,
	"PDF er ikke tilgjengelig: tjeneren har ikke Chromium. Last ned HTML-versjonen og skriv den ut, eller kjør «grunnlag report --format pdf».",
	errors.New("no PDF printer configured"))

// reportPDF prints the report's HTML to PDF with Chromium, once per data
// change (key is the report's own cache key).
func (s *Server) reportPDF(ctx context.Context, rep *report.Report, key string) ([]byte, error) {
	if s.cfg.PDF == nil {
		return nil, errNoPDF
	}
	v, err := s.cache.get(ctx, key+"|pdf", func(ctx context.Context) (any, error) {
		dir, err := os.MkdirTemp("", "grunnlag-rapport-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		w, err := report.Write(ctx, dir, rep, []report.Format{report.HTML, report.PDF}, s.cfg.PDF)
		if err != nil {
			return nil, err
		}
		if w.PDFSkipped != nil {
			return nil, w.PDFSkipped
		}
		return os.ReadFile(filepath.Join(dir, report.PDFFile))
	})
	if err != nil {
		return nil, err
	}
	return v.([]byte), nil
}

// apiReport returns the report's data: rapport.json.
func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) error {
	rep, err := s.reportOf(r.Context())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, rep.Data())
}
