package report

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// Format is an output format of the report.
type Format string

// The formats.
const (
	HTML     Format = "html"
	Markdown Format = "md"
	PDF      Format = "pdf"
)

// The files a report folder holds.
const (
	HTMLFile     = "rapport.html"
	MarkdownFile = "rapport.md"
	PDFFile      = "rapport.pdf"
)

// ParseFormats reads a comma-separated list of formats: "html,md,pdf".
func ParseFormats(s string) ([]Format, error) {
	var out []Format
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		switch Format(f) {
		case HTML, Markdown, PDF:
			if !slices.Contains(out, Format(f)) {
				out = append(out, Format(f))
			}
		case "markdown":
			if !slices.Contains(out, Markdown) {
				out = append(out, Markdown)
			}
		case "":
		default:
			return nil, fault.WithUser(fault.Invalid, fmt.Sprintf("Ukjent format «%s». Bruk html, md og pdf.", f), fmt.Errorf("unknown format %q", f))
		}
	}
	if len(out) == 0 {
		return nil, fault.WithUser(fault.Invalid, "Ingen format er valgt. Bruk html, md og pdf.", fmt.Errorf("no format in %q", s))
	}
	return out, nil
}

// PDFPrinter prints an HTML file to a PDF file; Chromium is one.
type PDFPrinter interface {
	PrintPDF(ctx context.Context, htmlPath, pdfPath string) error
}

// Written says what Write wrote.
type Written struct {
	Files []string // paths, in the order written
	// PDFSkipped is why no PDF was made when one was asked for and no
	// printer was given (no Chromium); nil otherwise.
	PDFSkipped error
}

// Write writes the report into dir in the formats asked for, and always
// rapport.json, which a later report compares with. Every file is written
// whole or not at all (a temporary file renamed into place). printer may
// be nil when no Chromium was found; then the PDF is skipped, the other
// formats are written, and Written.PDFSkipped says why.
func Write(ctx context.Context, dir string, r *Report, formats []Format, printer PDFPrinter) (Written, error) {
	var w Written
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return w, fault.E(fault.Invalid, fmt.Errorf("report folder %s: %w", dir, err))
	}
	put := func(name string, write func(io.Writer) error) error {
		var buf bytes.Buffer
		if err := write(&buf); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		path := filepath.Join(dir, name)
		if err := writeFile(path, buf.Bytes()); err != nil {
			return err
		}
		w.Files = append(w.Files, path)
		return nil
	}
	if err := put(JSONFile, r.WriteJSON); err != nil {
		return w, err
	}
	if slices.Contains(formats, HTML) {
		if err := put(HTMLFile, r.WriteHTML); err != nil {
			return w, err
		}
	}
	if slices.Contains(formats, Markdown) {
		if err := put(MarkdownFile, r.WriteMarkdown); err != nil {
			return w, err
		}
		if err := writeFigures(dir, r.Figures(), &w); err != nil {
			return w, err
		}
	}
	if !slices.Contains(formats, PDF) {
		return w, nil
	}
	if printer == nil {
		w.PDFSkipped = fault.WithUser(fault.NotFound, noChromiumMessage, ErrNoChromium)
		return w, nil
	}
	htmlPath := filepath.Join(dir, HTMLFile)
	if !slices.Contains(formats, HTML) {
		// Chromium prints a file: write the page where nobody will mistake
		// it for part of the report, and remove it afterwards.
		tmp, err := os.MkdirTemp("", "grunnlag-rapport-")
		if err != nil {
			return w, err
		}
		defer os.RemoveAll(tmp)
		htmlPath = filepath.Join(tmp, HTMLFile)
		var buf bytes.Buffer
		if err := r.WriteHTML(&buf); err != nil {
			return w, err
		}
		if err := os.WriteFile(htmlPath, buf.Bytes(), 0o644); err != nil {
			return w, err
		}
	}
	pdfPath := filepath.Join(dir, PDFFile)
	tmpPDF := pdfPath + ".tmp"
	if err := printer.PrintPDF(ctx, htmlPath, tmpPDF); err != nil {
		os.Remove(tmpPDF)
		return w, err
	}
	if err := os.Rename(tmpPDF, pdfPath); err != nil {
		return w, err
	}
	w.Files = append(w.Files, pdfPath)
	return w, nil
}

// writeFigures writes the Markdown's charts and removes charts an earlier
// build left that this one no longer has, so the folder holds exactly the
// report.
func writeFigures(dir string, figs []Figure, w *Written) error {
	fdir := filepath.Join(dir, FigureDir)
	if len(figs) > 0 {
		if err := os.MkdirAll(fdir, 0o755); err != nil {
			return err
		}
	}
	keep := map[string]bool{}
	for _, f := range figs {
		keep[f.Name] = true
		path := filepath.Join(fdir, f.Name)
		if err := writeFile(path, f.SVG); err != nil {
			return err
		}
		w.Files = append(w.Files, path)
	}
	old, err := filepath.Glob(filepath.Join(fdir, "figur-*.svg"))
	if err != nil {
		return err
	}
	for _, p := range old {
		if !keep[filepath.Base(p)] {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// writeFile writes data to path through a temporary file in the same
// folder, so a reader never sees half a file.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
