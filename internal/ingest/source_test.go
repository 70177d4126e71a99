package ingest

import "testing"

func TestShownSource(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"sync URL", "https://data.ssb.no/api/pxwebapi/v2/tables/12041/data?lang=no", "https://data.ssb.no/api/pxwebapi/v2/tables/12041/data?lang=no"},
		{"several URLs", "http://127.0.0.1:1/tables/1/data?a=1 http://127.0.0.1:1/tables/1/data?a=2", "http://127.0.0.1:1/tables/1/data?a=1 http://127.0.0.1:1/tables/1/data?a=2"},
		{"URL with a password", "http://bruker:hemmelig@px.example/api/tables/1/data", "http://px.example/api/tables/1/data"},
		{"imported file", "/home/analytiker/hemmelig-mappe/12041.json", "12041.json"},
		{"imported file with spaces", "/home/ola nordmann/nedlastinger/tabell 12041.json", "tabell 12041.json"},
		{"relative path", "nedlastinger/12041.json", "12041.json"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ShownSource(tt.in); got != tt.want {
				t.Errorf("ShownSource(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
