package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/goccy/go-yaml"

	"github.com/grunnlag/grunnlag/internal/catalog"
)

// nsmPackName names the pack folder `grunnlag nsm-import` writes.
const nsmPackName = "nsm-regneark"

// measureYAML is one measure as the pack's nsm_measures section spells it.
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

// runNSMImport reads NSM's official measure spreadsheet and writes it as a
// knowledge-pack folder that overrides the base pack's measures: NSM's own
// text, priority and ISO/IEC 27002 mapping for all of them. The folder is
// plain YAML to review and commit; load it with --pack.
func runNSMImport(_ context.Context, a *app, args []string) error {
	fs := flag.NewFlagSet("nsm-import", flag.ContinueOnError)
	out := fs.String("out", nsmPackName, "mappen pakken skrives til")
	files, err := a.parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fmt.Fprintln(a.env.stderr, "grunnlag nsm-import: oppgi NSMs regneark (XLSX)")
		a.commandUsage(fs)
		return errUsage
	}
	file := files[0]
	raw, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	measures, err := catalog.ReadMeasures(bytes.NewReader(raw), file)
	if err != nil {
		return err
	}
	pack, err := a.loadPack()
	if err != nil {
		return err
	}
	res, err := pack.MergeMeasures(measures)
	if err != nil {
		return err
	}

	sum := sha256.Sum256(raw)
	note := fmt.Sprintf("Importert fra NSMs regneark %s (SHA-256 %s).", filepath.Base(file), hex.EncodeToString(sum[:]))
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
	doc.Pack.Name = nsmPackName
	doc.Pack.Title = "NSMs grunnprinsipper for IKT-sikkerhet: tiltakene fra NSMs regneark"
	doc.Pack.Description = note + " Laget av «grunnlag nsm-import»; rediger ikke for hånd."
	for _, m := range pack.Measures {
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
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	path := filepath.Join(*out, "nsm.yaml")
	header := "# NSM's measures as read from NSM's official spreadsheet by `grunnlag nsm-import`.\n# Schema: data/README.md (nsm_measures). Load with --pack " + *out + ".\n"
	if err := os.WriteFile(path, append([]byte(header), body...), 0o644); err != nil {
		return err
	}
	// The pack must load on top of the base pack as written.
	a.packs = append(a.packs, *out)
	if _, err := a.loadPack(); err != nil {
		return fmt.Errorf("the written pack %s does not load: %w", *out, err)
	}
	fmt.Fprintf(a.env.stdout, "Leste %d tiltak fra %s: %d fikk NSMs tekst og prioritet, %d var nye. Skrev %s; bruk «--pack %s».\n",
		len(measures), file, len(res.Updated), len(res.Added), path, *out)
	return nil
}
