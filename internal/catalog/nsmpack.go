package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/goccy/go-yaml"
)

// NSMPackName names the pack that `grunnlag nsm-import` writes.
const NSMPackName = "nsm-regneark"

// measureYAML is one measure as a pack's nsm_measures section spells it.
type measureYAML struct {
	ID         string   `yaml:"id"`
	Principle  string   `yaml:"principle"`
	Title      string   `yaml:"title,omitempty"`
	Paraphrase string   `yaml:"paraphrase,omitempty"`
	Priority   string   `yaml:"priority,omitempty"`
	ISO27002   string   `yaml:"iso27002,omitempty"`
	Sources    []string `yaml:"sources,omitempty,flow"`
	Confidence string   `yaml:"confidence"`
	Notes      string   `yaml:"notes,omitempty"`
}

// MeasuresPack returns the nsm.yaml of a pack that overrides p's measures
// with those read from NSM's official spreadsheet (ReadMeasures): NSM's own
// text, priority and ISO/IEC 27002 mapping for each. sheet is the
// spreadsheet's file name and raw its bytes, named in the pack with their
// SHA-256 so the source can be checked; folder is where the pack will be,
// for the file's header. The file is plain YAML to review and commit.
func (p *Pack) MeasuresPack(measures []Measure, sheet string, raw []byte, folder string) ([]byte, MergeResult, error) {
	res, err := p.MergeMeasures(measures)
	if err != nil {
		return nil, res, err
	}
	sum := sha256.Sum256(raw)
	note := fmt.Sprintf("Importert fra NSMs regneark %s (SHA-256 %s).", sheet, hex.EncodeToString(sum[:]))
	imported := make(map[string]bool, len(measures))
	for _, m := range measures {
		imported[m.ID] = true
	}
	var doc struct {
		Pack struct {
			Name        string `yaml:"name"`
			Title       string `yaml:"title"`
			Description string `yaml:"description"`
		} `yaml:"pack"`
		Measures []measureYAML `yaml:"nsm_measures"`
	}
	doc.Pack.Name = NSMPackName
	doc.Pack.Title = "NSMs grunnprinsipper for IKT-sikkerhet: tiltakene fra NSMs regneark"
	doc.Pack.Description = note + " Laget av «grunnlag nsm-import»; rediger ikke for hånd."
	for _, m := range p.Measures {
		if !imported[m.ID] {
			continue
		}
		doc.Measures = append(doc.Measures, measureYAML{
			ID: m.ID, Principle: m.Principle, Title: m.Title, Paraphrase: m.Paraphrase,
			Priority: m.Priority, ISO27002: m.ISO27002, Sources: slices.Clone(m.Sources),
			Confidence: string(m.Confidence), Notes: m.Notes,
		})
	}
	body, err := yaml.Marshal(doc)
	if err != nil {
		return nil, res, err
	}
	header := "# NSM's measures as read from NSM's official spreadsheet by `grunnlag nsm-import`.\n" +
		"# Schema: data/README.md (nsm_measures). Load with --pack " + folder + ".\n"
	return append([]byte(header), body...), res, nil
}
