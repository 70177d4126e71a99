package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
	"github.com/grunnlag/grunnlag/internal/survey"
)

// The register of providers of security services, curated by analysts:
// every entry has a source, and nothing is pre-filled without one.

type servicesPage struct {
	base
	Providers []store.ServiceProvider
	Types     []serviceType
	CanEdit   bool
	Error     string
}

type serviceType struct{ Value, Label string }

func (*servicesPage) template() string { return "services" }

func serviceTypes() []serviceType {
	var out []serviceType
	for _, t := range survey.ServiceTypes() {
		out = append(out, serviceType{t, survey.ServiceLabel(t)})
	}
	return out
}

func (s *Server) servicesPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderServices(w, r, http.StatusOK, "")
}

func (s *Server) renderServices(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	list, err := s.cfg.Survey.ServiceProviders(r.Context())
	if err != nil {
		return err
	}
	pg := &servicesPage{Providers: list, Types: serviceTypes(), CanEdit: principalOf(r).Has(store.RoleAnalyst), Error: errMsg}
	pg.setBase("Leverandører av sikkerhetstjenester", "")
	return s.render(w, status, pg)
}

func (s *Server) serviceAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return fault.E(fault.Invalid, err)
	}
	var types []string
	for _, t := range r.PostForm["tjeneste"] {
		if slices.Contains(survey.ServiceTypes(), t) {
			types = append(types, t)
		}
	}
	link := strings.TrimSpace(r.PostFormValue("url"))
	if u, err := url.Parse(link); link != "" && (err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "") {
		return s.renderServices(w, r, http.StatusBadRequest, "Nettadressen må begynne med https://.")
	}
	p := principalOf(r)
	_, err := s.cfg.Survey.AddServiceProvider(r.Context(), p, store.ServiceProvider{
		Name: strings.TrimSpace(r.PostFormValue("navn")), URL: link, Services: types,
		Source: strings.TrimSpace(r.PostFormValue("kilde")), Notes: strings.TrimSpace(r.PostFormValue("merknad")),
	})
	if fault.Is(err, fault.Invalid) {
		return s.renderServices(w, r, http.StatusBadRequest, fault.UserMessage(err))
	}
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/tjenester", http.StatusSeeOther)
	return nil
}

func (s *Server) serviceRetire(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return fault.WithUser(fault.NotFound, "Fant ikke leverandøren.", err)
	}
	if err := s.cfg.Survey.RetireServiceProvider(r.Context(), principalOf(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/tjenester", http.StatusSeeOther)
	return nil
}
