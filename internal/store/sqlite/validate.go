package sqlite

import (
	"crypto/sha256"
	"encoding/hex"

	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// check refuses a snapshot the store cannot keep faithfully, and fills in
// SHA256 when it is empty and the raw bodies are at hand. It changes nothing
// else, so a refused snapshot leaves the store as it was.
func check(s *store.Snapshot) error {
	if s.TableID == "" {
		return fault.Errorf(fault.Invalid, "snapshot has no table id")
	}
	if s.Data == nil {
		return fault.Errorf(fault.Invalid, "table %s: snapshot has no data", s.TableID)
	}
	d := s.Data
	n := d.Len()
	if d.Values != nil && len(d.Values) != n {
		return fault.Errorf(fault.Invalid, "table %s: %d values for %d cells (dimension sizes %v)",
			s.TableID, len(d.Values), n, d.Size())
	}
	for idx := range d.Text {
		if idx < 0 || idx >= n {
			return fault.Errorf(fault.Invalid, "table %s: text for cell %d outside 0..%d", s.TableID, idx, n-1)
		}
	}
	for idx := range d.Status {
		if idx < 0 || idx >= n {
			return fault.Errorf(fault.Invalid, "table %s: status for cell %d outside 0..%d", s.TableID, idx, n-1)
		}
	}
	for i := range d.Dimensions {
		if d.Dimensions[i].ID == "" {
			return fault.Errorf(fault.Invalid, "table %s: dimension %d has no id", s.TableID, i)
		}
	}

	if len(s.Raw) == 0 {
		if s.SHA256 == "" {
			return fault.Errorf(fault.Invalid, "table %s: snapshot has neither raw bodies nor sha256", s.TableID)
		}
		return nil
	}
	sum := rawSHA256(s.Raw)
	switch s.SHA256 {
	case "":
		s.SHA256 = sum
	case sum:
	default:
		return fault.Errorf(fault.Invalid, "table %s: sha256 %s does not match the raw bodies (%s)", s.TableID, s.SHA256, sum)
	}
	return nil
}

// rawSHA256 returns the hex SHA-256 of the bodies concatenated in order.
func rawSHA256(raw [][]byte) string {
	h := sha256.New()
	for _, b := range raw {
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}
