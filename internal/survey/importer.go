package survey

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/grunnlag/grunnlag/internal/audit"
	"github.com/grunnlag/grunnlag/internal/fault"
	"github.com/grunnlag/grunnlag/internal/store"
)

// Many municipalities keep their NSM status in a spreadsheet. A file of
// answers (CSV or XLSX) has a header row with the columns org, measure,
// answer, maturity and comment (any order; reason and evidence may
// follow), and one answer a row: org a municipality or county number
// ("0301") or a provider's id, measure NSM's number ("1.1.3"), answer one
// of ja, delvis, nei, vet ikke, ikke relevant.

// ImportColumns are the columns of an answers file, in the order Export
// writes them.
var importColumns = []string{"org", "measure", "answer", "maturity", "comment", "reason", "evidence"}

// maxImportBytes caps an answers file: 357 municipalities × 118 measures
// with comments is well under it.
const maxImportBytes = 32 << 20

// Problem is one thing wrong with a row of an answers file.
type Problem struct {
	File  string
	Line  int
	Field string
	Msg   string
}

func (p Problem) String() string { return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Field, p.Msg) }

// Problems is every problem of a file; the import stores nothing.
type Problems []Problem

func (ps Problems) Error() string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// ImportResult says what an import stored.
type ImportResult struct {
	Rows, Orgs int
}

// Import reads an answers file and stores every answer in one transaction,
// or, when any row is wrong, nothing: the error is Problems, each with
// file, line, field and what is wrong. by is who imports, as the audit log
// names them, and actorID the user the store checks (store.Operator for
// the command line); onlyOrg, when not empty, is the one organisation the
// file may hold (a lead's upload).
func (s *Service) Import(ctx context.Context, by audit.Actor, actorID int64, roundID, name string, r io.Reader, onlyOrg string) (ImportResult, error) {
	var res ImportResult
	round, err := s.Round(ctx, roundID)
	if err != nil {
		return res, err
	}
	b, err := io.ReadAll(io.LimitReader(r, maxImportBytes+1))
	if err != nil {
		return res, err
	}
	if len(b) > maxImportBytes {
		return res, fault.WithUser(fault.TooLarge, fmt.Sprintf("Filen er større enn %d MB.", maxImportBytes>>20), errors.New("answers file too large"))
	}
	rows, err := readRows(name, b)
	if err != nil {
		return res, err
	}
	base := filepath.Base(name)
	if len(rows) == 0 {
		return res, Problems{{base, 1, "", "filen er tom"}}
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[normalise(h)] = i
	}
	var problems Problems
	for _, c := range []string{"org", "measure", "answer"} {
		if _, ok := col[c]; !ok {
			problems = append(problems, Problem{base, 1, c, "kolonnen mangler i overskriftsraden (org, measure, answer, maturity, comment)"})
		}
	}
	if len(problems) > 0 {
		return res, problems
	}
	measures := map[string]store.RoundMeasure{}
	for _, m := range round.Measures {
		measures[m.Measure] = m
	}
	orgs := map[string]store.Organisation{}
	byOrg := map[int64][]store.Answer{}
	seen := map[string]int{}
	for i, row := range rows[1:] {
		line := i + 2
		get := func(c string) string {
			if j, ok := col[c]; ok && j < len(row) {
				return strings.TrimSpace(row[j])
			}
			return ""
		}
		if strings.Join(row, "") == "" {
			continue
		}
		bad := func(field, msg string) { problems = append(problems, Problem{base, line, field, msg}) }
		code, measure := get("org"), get("measure")
		o, ok := orgs[code]
		if !ok && code != "" {
			var err error
			if o, err = s.acc.Organisation(ctx, code); err == nil {
				orgs[code] = o
				ok = true
			} else if !fault.Is(err, fault.NotFound) {
				return res, err
			}
		}
		switch {
		case code == "":
			bad("org", "mangler")
		case !ok:
			bad("org", fmt.Sprintf("«%s» er ikke en kjent organisasjon (kommune- eller fylkesnummer, eller leverandørens id)", code))
		case onlyOrg != "" && code != onlyOrg:
			bad("org", fmt.Sprintf("«%s» er ikke din organisasjon (%s)", code, onlyOrg))
		}
		m, known := measures[measure]
		switch {
		case measure == "":
			bad("measure", "mangler")
		case !known:
			bad("measure", fmt.Sprintf("«%s» er ikke et tiltak i runden", measure))
		case ok && o.Kind == store.Provider && !m.Provider:
			bad("measure", fmt.Sprintf("en IT-leverandør svarer ikke på tiltak %s i denne runden", measure))
		}
		if first, dup := seen[code+" "+measure]; dup && code != "" && measure != "" {
			bad("measure", fmt.Sprintf("%s for %s står også på linje %d", measure, code, first))
		}
		seen[code+" "+measure] = line
		a, okAnswer := ParseAnswer(get("answer"))
		if !okAnswer {
			bad("answer", fmt.Sprintf("«%s» er ikke ja, delvis, nei, vet ikke eller ikke relevant", get("answer")))
		}
		maturity := -1
		if v := get("maturity"); v != "" {
			n, err := strconv.Atoi(v)
			switch {
			case !round.Settings.Maturity:
				bad("maturity", "runden spør ikke om modenhet; la kolonnen stå tom")
			case err != nil || n < 0 || n > 5:
				bad("maturity", fmt.Sprintf("«%s» er ikke et tall fra 0 til 5", v))
			default:
				maturity = n
			}
		}
		in := Input{Measure: measure, Answer: a, Reason: get("reason"), Maturity: maturity, Comment: get("comment"), Evidence: get("evidence")}
		if ok && known && okAnswer {
			p, _ := round.Principle(m.Principle)
			list, err := round.validate(p, []Input{in})
			if err != nil {
				bad("answer", strings.TrimSuffix(strings.TrimPrefix(err.Error(), "Svarene er ikke lagret: "), "."))
				continue
			}
			byOrg[o.ID] = append(byOrg[o.ID], list...)
			res.Rows++
		}
	}
	if len(problems) > 0 {
		return ImportResult{}, problems
	}
	if err := s.st.ImportAnswers(ctx, actorID, roundID, byOrg, s.now()); err != nil {
		return ImportResult{}, err
	}
	res.Orgs = len(byOrg)
	return res, s.log.Record(ctx, by, "answers.import", "runde:"+roundID, onlyOrg, fmt.Sprintf("%s: %d svar fra %d organisasjoner", base, res.Rows, res.Orgs))
}

// readRows reads a CSV (comma or semicolon, UTF-8 with or without BOM) or
// XLSX file (the first sheet) into rows.
func readRows(name string, b []byte) ([][]string, error) {
	base := filepath.Base(name)
	if strings.EqualFold(filepath.Ext(name), ".xlsx") || bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			return nil, Problems{{base, 1, "", "filen kan ikke leses som XLSX: " + err.Error()}}
		}
		defer f.Close()
		sheets := f.GetSheetList()
		if len(sheets) == 0 {
			return nil, Problems{{base, 1, "", "arbeidsboken har ingen ark"}}
		}
		rows, err := f.GetRows(sheets[0])
		if err != nil {
			return nil, Problems{{base, 1, "", "arket kan ikke leses: " + err.Error()}}
		}
		return rows, nil
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	cr := csv.NewReader(bytes.NewReader(b))
	if first, _, _ := bytes.Cut(b, []byte("\n")); bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, Problems{{base, pe.Line, "", "ugyldig CSV: " + pe.Err.Error()}}
		}
		return nil, Problems{{base, 1, "", "ugyldig CSV: " + err.Error()}}
	}
	return rows, nil
}

// normalise lowercases and trims a header or a word and folds runs of
// white space.
func normalise(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// Export writes an organisation's own answers as CSV in the import's
// format (UTF-8 with BOM, semicolons, for Norwegian Excel).
func Export(w io.Writer, orgCode string, v *OrgView) error {
	if _, err := w.Write([]byte("\xef\xbb\xbf")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	if err := cw.Write(importColumns); err != nil {
		return err
	}
	for _, m := range v.Round.Measures {
		e := v.Answers[m.Measure]
		if e == nil || !e.Given {
			continue
		}
		maturity := ""
		if e.Maturity >= 0 {
			maturity = strconv.Itoa(e.Maturity)
		}
		if err := cw.Write([]string{orgCode, m.Measure, AnswerLabel(e.Answer.Answer), maturity, safeCell(e.Comment), safeCell(e.Reason), safeCell(e.Evidence)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// safeCell keeps a spreadsheet from taking a cell for a formula.
func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
