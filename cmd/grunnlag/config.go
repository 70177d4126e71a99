package main

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/grunnlag/grunnlag/internal/auth"
	"github.com/grunnlag/grunnlag/internal/fault"
)

// fileConfig is the deployment's configuration file (--config FILE, or
// GRUNNLAG_CONFIG): what a deployment sets once and that does not belong in
// flags. Secrets are never in the file either: it names the environment
// variable or the file that holds each.
type fileConfig struct {
	// PublicURL is the address people reach the site at, e.g.
	// https://grunnlag.example.no: set-up links and OIDC callbacks are
	// built from it.
	PublicURL string `yaml:"public_url"`
	// MetricsTokenEnv and MetricsTokenFile name where the bearer token for
	// /metrics is; without one, /metrics answers loopback callers only.
	MetricsTokenEnv  string `yaml:"metrics_token_env"`
	MetricsTokenFile string `yaml:"metrics_token_file"`
	// OIDC lists the identity providers people may sign in with.
	OIDC []oidcConfig `yaml:"oidc"`
	// DisclosureK is the fewest organisations an aggregate of the
	// self-assessment may rest on (default 5, never below 3).
	DisclosureK int `yaml:"disclosure_k"`
}

type oidcConfig struct {
	ID               string   `yaml:"id"`
	Name             string   `yaml:"name"`
	Issuer           string   `yaml:"issuer"`
	ClientID         string   `yaml:"client_id"`
	ClientSecretEnv  string   `yaml:"client_secret_env"`
	ClientSecretFile string   `yaml:"client_secret_file"`
	EmailClaim       string   `yaml:"email_claim"`
	OrgClaim         string   `yaml:"org_claim"`
	Scopes           []string `yaml:"scopes"`
}

// config is the configuration as the program uses it, secrets read.
type config struct {
	DisclosureK  int
	PublicURL    string
	MetricsToken string
	Providers    []auth.Provider
}

// loadConfig reads the configuration file, if one is given, and the
// secrets it names.
func (a *app) loadConfig() (config, error) {
	path := a.configPath
	if path == "" {
		path = a.env.getenv("GRUNNLAG_CONFIG")
	}
	var c config
	if path == "" {
		return c, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return c, fault.WithUser(fault.Invalid, fmt.Sprintf("Kan ikke lese konfigurasjonsfilen %s.", path), err)
	}
	var fc fileConfig
	if err := yaml.NewDecoder(bytes.NewReader(b), yaml.DisallowUnknownField()).Decode(&fc); err != nil {
		return c, fault.WithUser(fault.Invalid, fmt.Sprintf("Konfigurasjonsfilen %s har en feil: %s", path, yaml.FormatError(err, false, false)), err)
	}
	if fc.PublicURL != "" {
		u, err := url.Parse(fc.PublicURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			return c, fault.WithUser(fault.Invalid, fmt.Sprintf("%s: public_url må være en full adresse, som https://grunnlag.example.no.", path),
				fmt.Errorf("public_url %q", fc.PublicURL))
		}
		c.PublicURL = strings.TrimRight(fc.PublicURL, "/")
	}
	c.DisclosureK = fc.DisclosureK
	if c.MetricsToken, err = a.secret(path, "metrics_token", fc.MetricsTokenEnv, fc.MetricsTokenFile, false); err != nil {
		return c, err
	}
	for i, o := range fc.OIDC {
		secret, err := a.secret(path, fmt.Sprintf("oidc[%d].client_secret", i), o.ClientSecretEnv, o.ClientSecretFile, true)
		if err != nil {
			return c, err
		}
		c.Providers = append(c.Providers, auth.Provider{
			ID: o.ID, Name: o.Name, Issuer: o.Issuer, ClientID: o.ClientID, ClientSecret: secret,
			EmailClaim: o.EmailClaim, OrgClaim: o.OrgClaim, Scopes: o.Scopes,
		})
	}
	return c, nil
}

// secret reads a secret from the environment variable env or the file, as
// the configuration names them.
func (a *app) secret(path, what, env, file string, required bool) (string, error) {
	switch {
	case env != "" && file != "":
		return "", fault.WithUser(fault.Invalid, fmt.Sprintf("%s: %s: oppgi enten en miljøvariabel eller en fil, ikke begge.", path, what), fmt.Errorf("%s: env and file", what))
	case env != "":
		v := a.env.getenv(env)
		if v == "" {
			return "", fault.WithUser(fault.Invalid, fmt.Sprintf("%s: %s: miljøvariabelen %s er tom eller finnes ikke.", path, what, env), fmt.Errorf("%s: $%s empty", what, env))
		}
		return v, nil
	case file != "":
		b, err := os.ReadFile(file)
		if err != nil {
			return "", fault.WithUser(fault.Invalid, fmt.Sprintf("%s: %s: kan ikke lese filen %s.", path, what, file), err)
		}
		return strings.TrimSpace(string(b)), nil
	case required:
		return "", fault.WithUser(fault.Invalid, fmt.Sprintf("%s: %s mangler: oppgi en miljøvariabel (…_env) eller en fil (…_file).", path, what), fmt.Errorf("%s missing", what))
	}
	return "", nil
}

// publicURL returns the site's address for links: the configuration's, or
// the address serve listens on by default.
func (c config) publicURL() string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	return "http://127.0.0.1:8080"
}
