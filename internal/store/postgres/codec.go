package postgres

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// jsonOrNull encodes v as JSON for a jsonb column, or nil (NULL) when empty
// is true, so that an empty list or map is stored as absent and read back
// as nil.
func jsonOrNull(v any, empty bool) ([]byte, error) {
	if empty {
		return nil, nil
	}
	return json.Marshal(v)
}

// decodeJSON decodes a nullable JSON column into v; NULL leaves v as is.
func decodeJSON(b []byte, v any) error {
	if b == nil {
		return nil
	}
	return json.Unmarshal(b, v)
}

// verbatim returns source JSON for a text column, kept as received; nil or
// empty is NULL.
func verbatim(m json.RawMessage) *string {
	if len(m) == 0 {
		return nil
	}
	s := string(m)
	return &s
}

func rawMessage(s *string) json.RawMessage {
	if s == nil {
		return nil
	}
	return json.RawMessage(*s)
}

// storedRole is the JSON form of jsonstat.Role in data_role.
type storedRole struct {
	Time   []string `json:"time,omitempty"`
	Geo    []string `json:"geo,omitempty"`
	Metric []string `json:"metric,omitempty"`
}

func encodeRole(r jsonstat.Role) ([]byte, error) {
	empty := len(r.Time) == 0 && len(r.Geo) == 0 && len(r.Metric) == 0
	return jsonOrNull(storedRole(r), empty)
}

func decodeRole(b []byte) (jsonstat.Role, error) {
	var r storedRole
	err := decodeJSON(b, &r)
	return jsonstat.Role(r), err
}

// storedUnit is the JSON form of jsonstat.Unit in categories.unit. Pointers
// keep "decimals": 0 apart from no decimals.
type storedUnit struct {
	Label      string `json:"label,omitempty"`
	Symbol     string `json:"symbol,omitempty"`
	Position   string `json:"position,omitempty"`
	Decimals   *int   `json:"decimals,omitempty"`
	Multiplier *int   `json:"multiplier,omitempty"`
}

func encodeUnit(u *jsonstat.Unit) ([]byte, error) {
	if u == nil {
		return nil, nil
	}
	return json.Marshal(storedUnit(*u))
}

func decodeUnit(b []byte) (*jsonstat.Unit, error) {
	if b == nil {
		return nil, nil
	}
	var u storedUnit
	if err := json.Unmarshal(b, &u); err != nil {
		return nil, err
	}
	ju := jsonstat.Unit(u)
	return &ju, nil
}

// compress gzips b at the fastest level: the raw bodies are an archive that
// is rarely read, and a save should not wait long for it.
func compress(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decompress(b []byte, size int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	out := bytes.NewBuffer(make([]byte, 0, max(size, 0)))
	if _, err := io.Copy(out, zr); err != nil {
		return nil, err
	}
	if err := zr.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
