package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"reflect"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // Norwegian time on machines without zone data

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/pivot"
	"github.com/grunnlag/grunnlag/internal/progress"
	"github.com/grunnlag/grunnlag/internal/survey"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// page is the data of one HTML page: a typed struct per template, so the
// compiler and the template test know what each view gets.
type page interface {
	template() string // the file in templates/, without .html
	pageBase() *base
}

// base is what the layout needs from every page.
type base struct {
	Title   string // the page's <title> and first heading
	Section string // the navigation entry to mark as current: "oversikt", "tabeller", …
	// Refresh, when positive, makes the page reload itself after so many
	// seconds (the sync page while a sync runs; works without JavaScript).
	Refresh int
	Version string
	// Viewer is who is signed in (nil: nobody): the header shows them,
	// and forms carry their session's token.
	Viewer *viewer
}

func (b *base) pageBase() *base { return b }

func (b *base) setBase(title, section string) {
	b.Title = title
	b.Section = section
}

// layoutFiles returns the templates parsed with every page.
func layoutFiles() []string { return []string{"templates/layout.html", "templates/partials.html"} }

// pages holds one parsed template set per page.
type pages struct {
	sets map[string]*template.Template
}

// parsePages parses every page template with the layout. A page that
// fails to parse stops the server from starting.
func parsePages(funcs template.FuncMap) (*pages, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{sets: map[string]*template.Template{}}
	for _, n := range names {
		if isLayout(n) {
			continue
		}
		files := append(layoutFiles(), n)
		t, err := template.New(path.Base(n)).Funcs(funcs).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		if t.Lookup("content") == nil {
			return nil, fmt.Errorf("template %s: no content block", n)
		}
		p.sets[strings.TrimSuffix(path.Base(n), ".html")] = t
	}
	return p, nil
}

func isLayout(name string) bool {
	for _, l := range layoutFiles() {
		if l == name {
			return true
		}
	}
	return false
}

// names returns the page templates, sorted.
func (p *pages) names() []string {
	var out []string
	for n := range p.sets {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// content renders only pg's content block: the part of a page a memo
// may keep (see prerendered).
func (p *pages) content(pg page) ([]byte, error) {
	t, ok := p.sets[pg.template()]
	if !ok {
		return nil, fmt.Errorf("no template %q for %s", pg.template(), reflect.TypeOf(pg))
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "content", pg); err != nil {
		return nil, fault.E(fault.Internal, fmt.Errorf("render %s: %w", pg.template(), err))
	}
	return buf.Bytes(), nil
}

// prerendered is a page whose content block was rendered before, by
// pages.content from the page's own template (so escaped as that
// template escapes it), and kept: the layout around it is made for each
// request, since it names who is signed in.
type prerendered struct {
	base
	Content template.HTML
}

func (*prerendered) template() string { return "prerendered" }

// execute renders pg into w.
func (p *pages) execute(w io.Writer, pg page) error {
	t, ok := p.sets[pg.template()]
	if !ok {
		return fmt.Errorf("no template %q for %s", pg.template(), reflect.TypeOf(pg))
	}
	return t.ExecuteTemplate(w, "layout", pg)
}

// render writes pg as a complete HTML response. The page is rendered into a
// buffer first, so a template error becomes an error page, never half a page.
func (s *Server) render(w http.ResponseWriter, status int, pg page) error {
	pg.pageBase().Version = s.cfg.Version
	if vw, ok := w.(*viewerWriter); ok {
		pg.pageBase().Viewer = newViewer(vw.p)
	}
	var buf bytes.Buffer
	if err := s.pages.execute(&buf, pg); err != nil {
		return fault.E(fault.Internal, fmt.Errorf("render %s: %w", pg.template(), err))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if w.Header().Get("Cache-Control") == "" { // signed in: private, no-store (identify)
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	if err != nil {
		s.log.Debug("write page", "err", err)
	}
	return nil
}

// funcs returns the template functions. They format for Norwegian readers.
func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset":    func(name string) string { return s.assets.url(name) },
		"num":      progress.Number,
		"cell":     pivot.Format,
		"date":     func(t time.Time) string { return norDate(t, s.loc) },
		"datetime": func(t time.Time) string { return norDateTime(t, s.loc) },
		"ago":      func(t time.Time) string { return ago(s.now(), t) },
		"ssbdate":  func(v string) string { return ssbDate(v, s.loc) },
		"plural":   plural,
		"origin":   origin,
		"note":     s.cfg.Pack.ForReaders,
		"cite":     s.cfg.Pack.Cite,
		"join":     strings.Join,
		"add":      func(a, b int) int { return a + b },
		"weblink":  func(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") },
		// The self-assessment's words and figures.
		"pct":         func(f float64) string { return fmt.Sprintf("%.0f %%", f*100) },
		"answerlabel": survey.AnswerLabel,
		"service":     survey.ServiceLabel,
		"measuretext": measureText,
	}
}

// norMonth names a month in bokmål.
func norMonth(m time.Month) string {
	return [12]string{"januar", "februar", "mars", "april", "mai", "juni", "juli",
		"august", "september", "oktober", "november", "desember"}[m-1]
}

// norDate formats t as "3. mars 2026" in loc.
func norDate(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "ukjent"
	}
	t = t.In(loc)
	return fmt.Sprintf("%d. %s %d", t.Day(), norMonth(t.Month()), t.Year())
}

// norDateTime formats t as "3. mars 2026 kl. 14.05" in loc.
func norDateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return "ukjent"
	}
	lt := t.In(loc)
	return fmt.Sprintf("%s kl. %02d.%02d", norDate(t, loc), lt.Hour(), lt.Minute())
}

// oslo returns Norway's time zone (the zone data is embedded with
// time/tzdata, so this works on any machine).
func oslo() *time.Location {
	if loc, err := time.LoadLocation("Europe/Oslo"); err == nil {
		return loc
	}
	return time.UTC
}

// ssbDate formats SSB's "updated" (RFC 3339) as a Norwegian date, or
// returns it unchanged when it is something else.
func ssbDate(v string, loc *time.Location) string {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return v
	}
	return norDate(t, loc)
}

// ago says how long before now t was, in words: "for 3 timer siden".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "aldri"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "nå nettopp"
	case d < time.Hour:
		return "for " + plural(int(d/time.Minute), "minutt", "minutter") + " siden"
	case d < 48*time.Hour:
		return "for " + plural(int(d/time.Hour), "time", "timer") + " siden"
	default:
		return "for " + plural(int(d/(24*time.Hour)), "dag", "dager") + " siden"
	}
}

// plural writes n with the singular or plural noun: "1 tabell", "3 tabeller".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return progress.Number(n) + " " + many
}

// assets serves the embedded static files with a content hash in their
// URL, so browsers may cache them for a year.
type assets struct {
	hash map[string]string // file name → short content hash
}

func newAssets() (*assets, error) {
	a := &assets{hash: map[string]string{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		b, err := fs.ReadFile(staticFS, "static/"+e.Name())
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		a.hash[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return a, nil
}

// url returns the address of a static file; a name that is not embedded
// panics at template execution, which the template test catches.
func (a *assets) url(name string) string {
	h, ok := a.hash[name]
	if !ok {
		panic(fmt.Sprintf("no static file %q", name))
	}
	return "/static/" + name + "?v=" + h
}

// static serves an embedded asset.
func (s *Server) static(w http.ResponseWriter, r *http.Request) error {
	name := r.PathValue("file")
	h, ok := s.assets.hash[name]
	if !ok {
		return fault.Errorf(fault.NotFound, "no static file %q", name)
	}
	b, err := fs.ReadFile(staticFS, "static/"+name)
	if err != nil {
		return fault.E(fault.NotFound, err)
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ctype)
	if r.URL.Query().Get("v") == h {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	w.Header().Set("ETag", `"`+h+`"`)
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(b))
	return nil
}
