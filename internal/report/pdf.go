package report

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/grunnlag/grunnlag/internal/fault"
)

// ErrNoChromium means no headless Chromium was found to render the PDF.
var ErrNoChromium = errors.New("no chromium, chromium-browser or google-chrome on PATH and GRUNNLAG_CHROMIUM not set")

// noChromiumMessage tells a person what to do.
const noChromiumMessage = "PDF ble ikke laget: fant ikke Chromium. Installer pakken «chromium» (Debian/Ubuntu), eller sett GRUNNLAG_CHROMIUM til stien til en Chromium- eller Chrome-fil."

// FindChromium returns the browser to print PDFs with: GRUNNLAG_CHROMIUM
// when set, else the first of chromium, chromium-browser and google-chrome
// on PATH. getenv and lookPath are os.Getenv and exec.LookPath outside
// tests.
func FindChromium(getenv func(string) string, lookPath func(string) (string, error)) (string, error) {
	if p := getenv("GRUNNLAG_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fault.WithUser(fault.NotFound, fmt.Sprintf("PDF ble ikke laget: GRUNNLAG_CHROMIUM peker på %s, som ikke finnes.", p), err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := lookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fault.WithUser(fault.NotFound, noChromiumMessage, ErrNoChromium)
}

// Chromium prints HTML files to PDF with a headless Chromium.
type Chromium struct {
	Path    string
	Timeout time.Duration // 0 means two minutes
}

// PrintPDF renders the HTML file to a PDF file. The browser runs with a
// throw-away profile and without any background networking; the page
// itself loads nothing, so the PDF is made offline.
func (c Chromium) PrintPDF(ctx context.Context, htmlPath, pdfPath string) error {
	timeout := c.Timeout
	if timeout == 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	absHTML, err := filepath.Abs(htmlPath)
	if err != nil {
		return err
	}
	absPDF, err := filepath.Abs(pdfPath)
	if err != nil {
		return err
	}
	profile, err := os.MkdirTemp("", "grunnlag-chromium-")
	if err != nil {
		return fmt.Errorf("chromium profile: %w", err)
	}
	defer os.RemoveAll(profile)
	page := (&url.URL{Scheme: "file", Path: absHTML}).String()
	cmd := exec.CommandContext(ctx, c.Path,
		"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--disable-extensions", "--disable-dev-shm-usage", "--no-pdf-header-footer",
		"--user-data-dir="+profile, "--print-to-pdf="+absPDF, page)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fault.WithUser(fault.Internal, "Chromium klarte ikke å lage PDF-en.", fmt.Errorf("%s: %w\n%s", c.Path, err, lastLines(out.String(), 20)))
	}
	info, err := os.Stat(absPDF)
	if err != nil || info.Size() == 0 {
		return fault.WithUser(fault.Internal, "Chromium laget ingen PDF.", fmt.Errorf("%s wrote no %s:\n%s", c.Path, absPDF, lastLines(out.String(), 20)))
	}
	return nil
}

func lastLines(s string, n int) string {
	lines := bytes.Split([]byte(s), []byte("\n"))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return string(bytes.Join(lines, []byte("\n")))
}
