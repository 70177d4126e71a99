package report

import "testing"

func TestGuillemets(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mer enn 60 kommuner", "«mer enn 60 kommuner»"},
		{"«dedikert sikkerhetsfunksjon som rapporterer til rådmann» (54 %)", "«‘dedikert sikkerhetsfunksjon som rapporterer til rådmann’ (54 %)»"},
		{"informasjonssikkerhetsfunksjon som rapporterer til IKT-ansvarlige» (13 %)", "«[‘]informasjonssikkerhetsfunksjon som rapporterer til IKT-ansvarlige’ (13 %)»"},
		{"en «tilfeldig utvalgt ressurs", "«en ‘tilfeldig utvalgt ressurs[’]»"},
	}
	for _, tt := range tests {
		if got := guillemets(tt.in); got != tt.want {
			t.Errorf("guillemets(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
