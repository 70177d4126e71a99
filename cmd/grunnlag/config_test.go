package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigSecrets: the configuration file names where each secret is
// (an environment variable or a file), never the secret itself; a file
// that holds one, names both places or none, or names an empty variable
// is refused with the file and the field, and the server does not start.
func TestConfigSecrets(t *testing.T) {
	dir := t.TempDir()
	secretFile := filepath.Join(dir, "hemmelighet")
	if err := os.WriteFile(secretFile, []byte("konstruert-hemmelighet\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	provider := "oidc:\n  - id: kommune\n    issuer: https://idp.example.invalid\n    client_id: grunnlag\n"
	tests := []struct {
		name, yaml, want string
	}{
		{"the secret itself in the file", provider + "    client_secret: hemmelig\n", "client_secret"},
		{"both an environment variable and a file", provider + "    client_secret_env: GRUNNLAG_OIDC\n    client_secret_file: " + secretFile + "\n",
			"oppgi enten en miljøvariabel eller en fil, ikke begge"},
		{"neither", provider, "oidc[0].client_secret mangler"},
		{"an empty environment variable", provider + "    client_secret_env: GRUNNLAG_TOM\n", "miljøvariabelen GRUNNLAG_TOM er tom eller finnes ikke"},
		{"a file that cannot be read", provider + "    client_secret_file: " + filepath.Join(dir, "finnes-ikke") + "\n", "kan ikke lese filen"},
		{"a metrics token in the file", "metrics_token: hemmelig\n", "metrics_token"},
		{"a public address that is not one", "public_url: grunnlag.example.no\n", "public_url må være en full adresse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "grunnlag.yaml")
			if err := os.WriteFile(cfg, []byte(tt.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"GRUNNLAG_DB": filepath.Join(t.TempDir(), "g.db"), "GRUNNLAG_OIDC": "konstruert"}
			code, out, errOut := runCLI(t, env, "serve", "--no-sync", "--addr", "127.0.0.1:0", "--config", cfg)
			if code == 0 || strings.Contains(out, "serverer på") || !strings.Contains(errOut, tt.want) || !strings.Contains(errOut, cfg) {
				t.Errorf("serve with %s: exit %d, stderr %q; want a refusal naming %s and %q", tt.name, code, errOut, cfg, tt.want)
			}
		})
	}
}
