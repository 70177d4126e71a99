package sqlstore

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"encoding/json"
	"io"

	"github.com/grunnlag/grunnlag/internal/jsonstat"
)

// jsonText encodes v as JSON, or NULL when empty is true, so that an empty
// list or map is stored as absent and read back as nil.
func jsonText(v any, empty bool) (sql.NullString, error) {
	if empty {
		return sql.NullString{}, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return sql.NullString{}, err
	}
	return sql.NullString{String: string(b), Valid: true}, nil
}

// decodeJSON decodes a nullable JSON column into v; NULL leaves v as is.
func decodeJSON(s sql.NullString, v any) error {
	if !s.Valid {
		return nil
	}
	return json.Unmarshal([]byte(s.String), v)
}

// verbatim keeps source JSON as received (re-encoding it would drop its
// spacing); nil or empty is NULL.
func verbatim(m json.RawMessage) sql.NullString {
	if len(m) == 0 {
		return sql.NullString{}
	}
	return sql.NullString{String: string(m), Valid: true}
}

func rawMessage(s sql.NullString) json.RawMessage {
	if !s.Valid {
		return nil
	}
	return json.RawMessage(s.String)
}

// storedRole is the JSON form of jsonstat.Role in data_role.
type storedRole struct {
	Time   []string `json:"time,omitempty"`
	Geo    []string `json:"geo,omitempty"`
	Metric []string `json:"metric,omitempty"`
}

func encodeRole(r jsonstat.Role) (sql.NullString, error) {
	empty := len(r.Time) == 0 && len(r.Geo) == 0 && len(r.Metric) == 0
	return jsonText(storedRole(r), empty)
}

func decodeRole(s sql.NullString) (jsonstat.Role, error) {
	var r storedRole
	err := decodeJSON(s, &r)
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

func encodeUnit(u *jsonstat.Unit) (sql.NullString, error) {
	if u == nil {
		return sql.NullString{}, nil
	}
	return jsonText(storedUnit(*u), false)
}

func decodeUnit(s sql.NullString) (*jsonstat.Unit, error) {
	if !s.Valid {
		return nil, nil
	}
	var u storedUnit
	if err := decodeJSON(s, &u); err != nil {
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
